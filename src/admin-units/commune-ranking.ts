/**
 * The commune picker's order, pure: the repository fetches a bounded set of candidates with plain, portable
 * queries (issue 18 moves to PostgreSQL) and this module decides which answer the user meant.
 *
 * Order: the current name equals the query (with or without its type word "Phường/Xã/Đặc khu"), then it starts
 * with the query, then it holds every word of the query, then an old (pre-reform or renamed) name holds every word
 * of the query — labelled "(trước đây: …)" so the user sees why a commune of another name came up. Inside each
 * step, the user's own provinces come first. Accents and tone placement never matter: everything compares
 * folded (src/text/fold.ts), so "hoa", "hòa" and "hoà" are one word.
 */
import { foldForSearch } from '../text/fold.js';

/** How a commune matched the query, best first. */
export type CommuneMatch = 'exact' | 'prefix' | 'name' | 'former';

const MATCH_ORDER: Record<CommuneMatch, number> = { exact: 0, prefix: 1, name: 2, former: 3 };

/** The folded type words a commune's name starts with (migrations store name_folded with them). */
const TYPE_WORDS = ['phuong ', 'xa ', 'dac khu '] as const;

/** What ranking needs of a commune. */
export interface RankableCommune {
  readonly code: string;
  readonly name: string;
  readonly province_code: string;
}

/** An old name of a commune, as table commune_mappings holds it. */
export interface FormerName {
  readonly communeCode: string;
  readonly oldName: string;
}

export type RankedCommune<T extends RankableCommune> = T & {
  readonly match: CommuneMatch;
  /** The old name that matched, only when the commune was found by it: "Phường Tam Quan Bắc". */
  readonly formerName?: string;
};

/** "phuong tam quan" → "tam quan"; a name without a type word is returned as it is. */
export function withoutTypeWord(folded: string): string {
  for (const word of TYPE_WORDS) if (folded.startsWith(word)) return folded.slice(word.length);
  return folded;
}

interface NameFit {
  readonly match: Exclude<CommuneMatch, 'former'>;
  /** Every query word starts a word of the name ("an" in "an binh", not in "lan"). */
  readonly atWordStarts: boolean;
}

/** How a name fits the folded query, or undefined when some word of the query is not in it. */
function fitName(name: string, query: string, words: readonly string[]): NameFit | undefined {
  const folded = foldForSearch(name);
  const bare = withoutTypeWord(folded);
  const queryHasType = withoutTypeWord(query) !== query;
  // "tam quan" is exact for "Phường Tam Quan"; "xa tam quan" is not, since the user said another type.
  if (folded === query || (!queryHasType && bare === query)) return { match: 'exact', atWordStarts: true };
  if (folded.startsWith(query) || (!queryHasType && bare.startsWith(query))) {
    return { match: 'prefix', atWordStarts: true };
  }
  if (!words.every((word) => folded.includes(word))) return undefined;
  const nameWords = folded.split(' ');
  const atWordStarts = words.every((word) => nameWords.some((nameWord) => nameWord.startsWith(word)));
  return { match: 'name', atWordStarts };
}

/**
 * Ranks candidates for a query, best first, at most `limit`. A commune found both by its current name and an old
 * one counts by its current name (no label); of several old names that match, the closest one is the label.
 * Candidates that match neither are dropped, so the repository may over-fetch freely. An empty query keeps
 * every candidate, in name order (the picker listing a province).
 */
export function rankCommunes<T extends RankableCommune>(
  query: string,
  candidates: readonly T[],
  formerNames: readonly FormerName[],
  preferredProvinces: ReadonlySet<string>,
  limit: number,
): RankedCommune<T>[] {
  const folded = foldForSearch(query);
  const words = folded.split(' ').filter(Boolean);
  const formerByCode = new Map<string, FormerName[]>();
  for (const former of formerNames) {
    const list = formerByCode.get(former.communeCode) ?? [];
    list.push(former);
    formerByCode.set(former.communeCode, list);
  }

  const scored: { commune: RankedCommune<T>; key: (number | string)[] }[] = [];
  const seen = new Set<string>();
  for (const commune of candidates) {
    if (seen.has(commune.code)) continue;
    seen.add(commune.code);
    const own = preferredProvinces.has(commune.province_code) ? 0 : 1;
    const sortName = withoutTypeWord(foldForSearch(commune.name));
    if (words.length === 0) {
      scored.push({ commune: { ...commune, match: 'name' }, key: [0, own, 0, sortName, commune.code] });
      continue;
    }
    const fit = fitName(commune.name, folded, words);
    if (fit) {
      scored.push({
        commune: { ...commune, match: fit.match },
        key: [MATCH_ORDER[fit.match], own, fit.atWordStarts ? 0 : 1, sortName, commune.code],
      });
      continue;
    }
    const former = bestFormerName(formerByCode.get(commune.code) ?? [], folded, words);
    if (former) {
      scored.push({
        commune: { ...commune, match: 'former', formerName: former.name },
        key: [MATCH_ORDER.former, own, former.closeness, sortName, commune.code],
      });
    }
  }
  scored.sort((a, b) => compareKeys(a.key, b.key));
  return scored.slice(0, Math.max(0, limit)).map((entry) => entry.commune);
}

/** The old name that fits best (every query word in that ONE name), with 0 exact … 3 anywhere in it. */
function bestFormerName(
  formers: readonly FormerName[],
  query: string,
  words: readonly string[],
): { name: string; closeness: number } | undefined {
  let best: { name: string; closeness: number } | undefined;
  for (const former of formers) {
    const fit = fitName(former.oldName, query, words);
    if (!fit) continue;
    const closeness = MATCH_ORDER[fit.match] + (fit.atWordStarts ? 0 : 1);
    if (!best || closeness < best.closeness || (closeness === best.closeness && former.oldName < best.name)) {
      best = { name: former.oldName, closeness };
    }
  }
  return best;
}

function compareKeys(a: readonly (number | string)[], b: readonly (number | string)[]): number {
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    return String(x) < String(y) ? -1 : 1;
  }
  return 0;
}

/** The picker's line for a commune: "Phường Hoài Nhơn Bắc (trước đây: Phường Tam Quan Bắc)". */
export function communeLabel(commune: { name: string; formerName?: string }): string {
  return commune.formerName ? `${commune.name} (trước đây: ${commune.formerName})` : commune.name;
}
