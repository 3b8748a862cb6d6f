/**
 * Text saved before the input normaliser (src/text/input-text.ts) may still hold control characters and bidi
 * controls. New input refuses them; where old text is shown to others — exports, the public sticker check —
 * each leaves as U+FFFD, visibly, instead of driving a terminal or reversing a stall's name on the page.
 * Tab and line breaks are kept.
 */
const HIDDEN = /[\p{Cc}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;
const KEPT = new Set(['\t', '\n', '\r']);

export function showHidden(text: string): string {
  return text.replace(HIDDEN, (c) => (KEPT.has(c) ? c : '\ufffd'));
}
