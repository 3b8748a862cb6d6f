import { stripDiacritics } from '../text/fold.js';

/**
 * VietQR text fields (59, 60, 62/xx) are EMV "ANS": printable ASCII, 0x20–0x7E. Vietnamese with
 * diacritics is not allowed there (NAPAS v1.0 Tables 1–3), and peers disagree on how to count its
 * length, so the codec only ever emits ASCII and folding is the caller's explicit, visible step.
 */

/** Index of the first character outside printable ASCII, or -1. */
export function firstNonPrintableAscii(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) return i;
  }
  return -1;
}

export function isPrintableAscii(text: string): boolean {
  return firstNonPrintableAscii(text) === -1;
}

/**
 * Vietnamese → ASCII for a payment code: NFC first (so decomposed input from some keyboards folds the
 * same), diacritics removed, Đ/đ → D/d. "Tiền hàng chợ Đầm" → "Tien hang cho Dam". The result may still
 * hold non-ASCII characters that have no Vietnamese base letter (€, emoji, curly quotes); the encoder
 * refuses those, naming the field. Show the folded text to the user before it goes into a code.
 */
export function foldToAscii(text: string): string {
  return stripDiacritics(text.normalize('NFC'));
}
