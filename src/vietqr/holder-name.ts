import { cleanText, stripDiacritics } from '../text/fold.js';

/**
 * Account holder names. Bank apps show the holder UPPERCASE without diacritics ("NGUYEN THI KIM DUNG"),
 * looked up through NAPAS — the payload carries no name. The sticker prints the name the way the payer's
 * app will show it, so the payer can compare the two before sending money.
 */

/** "  Nguyễn Thị  Kim Dung " → "NGUYEN THI KIM DUNG": NFC, folded, upper case, single spaces. */
export function toBankHolderName(text: string): string {
  return stripDiacritics(cleanText(text)).toUpperCase();
}

/** Letters and digits only, words single-spaced: punctuation and spacing differences do not make a different person. */
function comparisonKey(name: string): string {
  return toBankHolderName(name)
    .replace(/[^A-Z0-9]+/g, ' ')
    .trim();
}

/**
 * True when two spellings name the same holder after folding: what the trader said ("Nguyễn Thị Kim
 * Dung") against what a bank app showed ("NGUYEN THI KIM DUNG"). Word order and missing words still
 * count as a mismatch: that is exactly what the name check must catch.
 */
export function holderNamesMatch(a: string, b: string): boolean {
  const keyA = comparisonKey(a);
  return keyA !== '' && keyA === comparisonKey(b);
}
