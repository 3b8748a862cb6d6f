/**
 * A Vietnamese phone number as typed ("0905 123 456", "090.512.3456", "+84 905 123 456") in its stored form,
 * 10 digits starting with 0, or undefined when it is not one. A spreadsheet that stored the number as a
 * number has lost its leading 0 ("905123456"), and one that kept the country code its "+" ("84905123456"):
 * both are read back as the number they were.
 */
export function parseVietnamesePhone(raw: string): string | undefined {
  const compact = raw.replace(/[\s.\-()]/g, '');
  const national = compact.startsWith('+84')
    ? `0${compact.slice(3)}`
    : /^84\d{9}$/.test(compact)
      ? `0${compact.slice(2)}`
      : /^[1-9]\d{8}$/.test(compact)
        ? `0${compact}`
        : compact;
  return /^0\d{9}$/.test(national) ? national : undefined;
}
