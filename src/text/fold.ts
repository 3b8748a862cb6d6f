/**
 * Vietnamese text folding. Pure functions, shared by search, the VietQR codec and holder names.
 *
 * NFD splits every precomposed letter into base + combining marks, so "Hòa" and "Hoà" (tone mark
 * placed on different vowels) and NFC/NFD input all fold to the same "hoa". Đ/đ is a distinct
 * letter, not a base + mark, so it is mapped by hand.
 */
const COMBINING_MARKS = /[\u0300-\u036f]/g;

/** Removes diacritics and maps Đ→D, keeping case: "Nguyễn Thị Đào" → "Nguyen Thi Dao". */
export function stripDiacritics(text: string): string {
  return text.normalize('NFD').replace(COMBINING_MARKS, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').normalize('NFC');
}

/**
 * Invisible characters that make two equal-looking texts differ: zero-width space/joiners, word joiner, BOM,
 * soft hyphen, bidi marks and controls. New input refuses them (src/text/input-text.ts); older rows may hold them.
 */
const INVISIBLE = /[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;

/**
 * The search and comparison key: no diacritics, lower case, no invisible characters, single spaces.
 * "  Chợ  HOA Lư " → "cho hoa lu"; "SẠP DUP 5", "sap dup 5" and "SAP\u200B DUP 5" all → "sap dup 5".
 */
export function foldForSearch(text: string): string {
  return stripDiacritics(text.replace(INVISIBLE, '')).toLowerCase().replace(/\s+/g, ' ').trim();
}

/** True when every word of the query occurs in the text, both folded: "hoa lu" matches "Chợ Hoa Lư". */
export function matchesSearch(text: string, query: string): boolean {
  const haystack = foldForSearch(text);
  return foldForSearch(query)
    .split(' ')
    .filter(Boolean)
    .every((word) => haystack.includes(word));
}

/** NFC and trimmed, inner whitespace collapsed: what we store for names typed by people. */
export function cleanText(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ').trim();
}
