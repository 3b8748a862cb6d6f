import { foldForSearch } from './fold.js';

/**
 * The caps on every search box. No name we search (a stall, a site, a commune with its province, a user) has
 * more than a few words; a query of hundreds of words turns into hundreds of LIKE clauses and blocks the
 * database, so a longer query is cut to these and the page says so.
 */
export const SEARCH_MAX_WORDS = 6;
export const SEARCH_MAX_CHARS = 100;

/** A search box's text as searched: NFC, single spaces, within the caps; `cut` when the caps shortened it. */
export interface SearchQuery {
  readonly text: string;
  readonly cut: boolean;
}

/** Reads a query parameter (anything the URL may hold: a string, an array, nothing) as a capped search. */
export function searchQuery(raw: unknown): SearchQuery {
  if (typeof raw !== 'string') return { text: '', cut: false };
  const words = raw.normalize('NFC').trim().split(/\s+/).filter(Boolean);
  let text = words.slice(0, SEARCH_MAX_WORDS).join(' ');
  let cut = words.length > SEARCH_MAX_WORDS;
  if (text.length > SEARCH_MAX_CHARS) {
    // Cut at the last whole word that fits; a single word longer than the cap is cut where the cap falls.
    const head = text.slice(0, SEARCH_MAX_CHARS + 1);
    const lastSpace = head.lastIndexOf(' ');
    text = (lastSpace > 0 ? head.slice(0, lastSpace) : head.slice(0, SEARCH_MAX_CHARS)).trimEnd();
    cut = true;
  }
  return { text, cut };
}

/** What the page says above its results when the query was cut. */
export function searchCutNotice(query: SearchQuery): string {
  return query.cut
    ? `Từ khóa quá dài nên chỉ tìm theo "${query.text}" (tối đa ${SEARCH_MAX_WORDS} từ, ${SEARCH_MAX_CHARS} ký tự).`
    : '';
}

/**
 * The folded words a search matches, at most SEARCH_MAX_WORDS: the bound every query builder relies on,
 * whatever its caller checked. "Chợ  Hoa Lư" → ["cho", "hoa", "lu"].
 */
export function searchWords(query: string): string[] {
  return foldForSearch(query).split(' ').filter(Boolean).slice(0, SEARCH_MAX_WORDS);
}
