import { foldForSearch } from '../text/fold.js';

/**
 * The bank directory: VietQR participants keyed by BIN, built from the parsed `assets/banks.json`
 * (this module reads no file; see src/banks/bank-directory-file.ts). Everything is keyed on the BIN:
 * bank codes are not a standard (VietinBank is ICB at vietqr.io and CTG elsewhere, "BVB" means two
 * different banks in two lists), so codes and names only serve look-up and search.
 */

export interface BankEntry {
  readonly bin: string;
  /** vietqr.io/NAPAS short code: ICB, VCB, BIDV, VBA… */
  readonly code: string;
  readonly shortName: string;
  /** Full Vietnamese name, NFC. */
  readonly name: string;
  readonly swift?: string;
  /** Other codes and names seen in other lists ("CTG", "Vietinbank"). */
  readonly aliases?: readonly string[];
  /** vietqr.io's flag, unverified. */
  readonly transferSupported: boolean;
  /** In the State Bank's list of issued card BINs (Công văn 1589/NHNN-TT). */
  readonly inSbvBinList: boolean;
  readonly formerly?: string;
  readonly note?: string;
}

export interface BankDirectory {
  /** Every participant, in BIN order. */
  readonly banks: readonly BankEntry[];
  byBin(bin: string): BankEntry | undefined;
  /** By code or alias ("vcb", "CTG", "BVBank"), case- and accent-insensitive. */
  byCode(code: string): BankEntry | undefined;
  /** By short name, full name or alias ("vietcombank", "Ngân hàng TMCP Ngoại thương Việt Nam"). */
  byName(name: string): BankEntry | undefined;
  /**
   * Banks for a picker, best first: exact code/short name/alias/BIN, then prefix, then contained in code,
   * short name or full name (every word of the query), all folded: "ngoai thuong" finds Vietcombank.
   */
  search(query: string, limit?: number): BankEntry[];
}

/** Thrown when the directory data is malformed: a deployment error, reported once at start. */
export class BankDirectoryError extends Error {
  override readonly name = 'BankDirectoryError';
}

const isString = (value: unknown): value is string => typeof value === 'string';

/** Checks the parsed JSON and returns frozen entries; throws `BankDirectoryError` naming the bad entry. */
export function parseBankEntries(json: unknown): BankEntry[] {
  if (!Array.isArray(json)) throw new BankDirectoryError('Danh bạ ngân hàng phải là một mảng JSON.');
  return json.map((raw: unknown, index): BankEntry => {
    const fail = (why: string) => new BankDirectoryError(`Danh bạ ngân hàng, mục ${index}: ${why}.`);
    if (raw === null || typeof raw !== 'object') throw fail('không phải đối tượng');
    const entry = raw as Record<string, unknown>;
    const { bin, code, shortName, name, swift, aliases, transferSupported, inSbvBinList, formerly, note } = entry;
    if (!isString(bin) || !/^\d{6}$/.test(bin)) throw fail('bin phải gồm 6 chữ số');
    if (!isString(code) || !isString(shortName) || !isString(name)) throw fail('thiếu code, shortName hoặc name');
    if (typeof transferSupported !== 'boolean' || typeof inSbvBinList !== 'boolean')
      throw fail('thiếu transferSupported hoặc inSbvBinList');
    if (aliases !== undefined && !(Array.isArray(aliases) && aliases.every(isString)))
      throw fail('aliases phải là mảng chuỗi');
    for (const [key, value] of Object.entries({ swift, formerly, note })) {
      if (value !== undefined && !isString(value)) throw fail(`${key} phải là chuỗi`);
    }
    return Object.freeze({
      bin,
      code,
      shortName,
      name: name.normalize('NFC'),
      ...(swift !== undefined && { swift: swift as string }),
      ...(aliases !== undefined && { aliases: Object.freeze([...(aliases as string[])]) }),
      transferSupported,
      inSbvBinList,
      ...(formerly !== undefined && { formerly: formerly as string }),
      ...(note !== undefined && { note: note as string }),
    });
  });
}

/** Folded and with spaces removed, so "MB Bank", "mbbank" and "MBBank" meet. */
function compactKey(text: string): string {
  return foldForSearch(text).replace(/[\s.\-_]+/g, '');
}

interface SearchKeys {
  readonly entry: BankEntry;
  /** Code, short name and aliases, compacted. */
  readonly labels: readonly string[];
  /** The full name folded, with a leading space so a word start is " " + word. */
  readonly spacedName: string;
  /** Code, short name, aliases and full name, folded, for "contains". */
  readonly haystack: string;
}

/** Ranks for `search`; lower is better. */
const EXACT = 0;
const PREFIX = 1;
const NAME_WORD_PREFIX = 2;
const CONTAINS = 3;
const NO_MATCH = 4;

function rank(keys: SearchKeys, compactQuery: string, foldedQuery: string, words: readonly string[]): number {
  if (keys.entry.bin === compactQuery || keys.labels.includes(compactQuery)) return EXACT;
  if (keys.entry.bin.startsWith(compactQuery) || keys.labels.some((label) => label.startsWith(compactQuery)))
    return PREFIX;
  if (keys.spacedName.includes(' ' + foldedQuery)) return NAME_WORD_PREFIX;
  if (words.every((word) => keys.haystack.includes(word))) return CONTAINS;
  return NO_MATCH;
}

export function createBankDirectory(entries: readonly BankEntry[]): BankDirectory {
  const banks = Object.freeze([...entries].sort((a, b) => a.bin.localeCompare(b.bin)));
  const bins = new Map<string, BankEntry>();
  const codes = new Map<string, BankEntry>();
  const names = new Map<string, BankEntry>();
  for (const entry of banks) {
    if (bins.has(entry.bin)) throw new BankDirectoryError(`Danh bạ ngân hàng: BIN ${entry.bin} xuất hiện hai lần.`);
    bins.set(entry.bin, entry);
  }
  // The primary code wins over an alias, and the first entry over a later one, so look-ups stay stable.
  for (const entry of banks) setOnce(codes, compactKey(entry.code), entry);
  for (const entry of banks) for (const alias of entry.aliases ?? []) setOnce(codes, compactKey(alias), entry);
  for (const entry of banks) {
    setOnce(names, compactKey(entry.shortName), entry);
    setOnce(names, compactKey(entry.name), entry);
  }
  for (const entry of banks) for (const alias of entry.aliases ?? []) setOnce(names, compactKey(alias), entry);

  const searchKeys: SearchKeys[] = banks.map((entry) => ({
    entry,
    labels: [entry.code, entry.shortName, ...(entry.aliases ?? [])].map(compactKey),
    spacedName: ' ' + foldForSearch(entry.name),
    haystack: foldForSearch([entry.code, entry.shortName, ...(entry.aliases ?? []), entry.name].join(' | ')),
  }));

  return {
    banks,
    byBin: (bin) => bins.get(bin),
    byCode: (code) => codes.get(compactKey(code)),
    byName: (name) => names.get(compactKey(name)),
    search(query, limit = 10) {
      const foldedQuery = foldForSearch(query);
      if (foldedQuery === '') return [];
      const compactQuery = compactKey(query);
      const words = foldedQuery.split(' ');
      return searchKeys
        .map((keys) => ({ keys, rank: rank(keys, compactQuery, foldedQuery, words) }))
        .filter((scored) => scored.rank !== NO_MATCH)
        .sort((a, b) => a.rank - b.rank || a.keys.entry.shortName.localeCompare(b.keys.entry.shortName))
        .slice(0, Math.max(0, limit))
        .map((scored) => scored.keys.entry);
    },
  };
}

function setOnce(map: Map<string, BankEntry>, key: string, entry: BankEntry): void {
  if (key !== '' && !map.has(key)) map.set(key, entry);
}
