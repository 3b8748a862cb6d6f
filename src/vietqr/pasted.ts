/**
 * The one cleaner for a code a person pasted or typed (web form, JSON API, CLI), so every entry point
 * reads the same text the same way. Only the ends are trimmed: whitespace (incl. \r\n), NBSP U+00A0,
 * the BOM U+FEFF that Windows editors and some chat apps prepend, and the zero-width characters
 * (U+200B–U+200D, U+2060) that copy-paste from messaging apps leaves behind. Nothing inside the code is
 * touched: every inner character is covered by the CRC, so "fixing" it would be guessing, and decode
 * reports it instead. No NFC either: template 64 may hold Unicode text whose CRC is over the bytes as sent.
 */

const EDGE = /^[\s\u200B-\u200D\u2060\uFEFF]+|[\s\u200B-\u200D\u2060\uFEFF]+$/g;

export function cleanPastedCode(text: string): string {
  return text.replace(EDGE, '');
}
