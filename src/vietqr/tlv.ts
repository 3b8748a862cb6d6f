/**
 * EMV TLV writing: a 2-digit ID, a 2-digit length "01"–"99", the value. Lengths come from a table,
 * and a value outside 1–99 characters is refused: naive `("00" + n).slice(-2)` silently turns 120 into
 * "20" (a bug in a popular peer), which yields a code that scans as something else.
 */

const LENGTHS: readonly string[] = Array.from({ length: 100 }, (_, n) => (n < 10 ? `0${n}` : String(n)));

export const MAX_VALUE_LENGTH = 99;

/** Thrown by the TLV writer; the encoder's own limits (19, 25, 13…) are stricter, so reaching it is a bug. */
export class TlvLengthError extends Error {
  override readonly name = 'TlvLengthError';
  constructor(
    readonly id: string,
    readonly length: number,
  ) {
    super(`Trường ${id} dài ${length} ký tự, ngoài khoảng 1–${MAX_VALUE_LENGTH} mà định dạng EMV cho phép.`);
  }
}

/** The 2-digit length field for a value of `length` characters. */
export function lengthField(id: string, length: number): string {
  if (length < 1 || length > MAX_VALUE_LENGTH) throw new TlvLengthError(id, length);
  return LENGTHS[length] as string;
}

/** One TLV object. */
export function tlv(id: string, value: string): string {
  return id + lengthField(id, value.length) + value;
}
