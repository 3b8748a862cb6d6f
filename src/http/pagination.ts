/**
 * One way to cut every list of the app into pages (issue 16: no page over 150 KB whatever the registry's size).
 * Pure: the page asked for in the URL, where a page starts, and what the pager partial (views/partials/pager.ejs)
 * writes. A page number that is not a whole number ≥ 1 means page 1 and one past the end means the last page:
 * a link kept from a longer list, or edited by hand, still lands on rows rather than on an error.
 */

/** Rows on one page: about a screen and a half of a phone, well under the page budget for any list. */
export const PAGE_SIZE = 50;

/** The largest page number read from a URL; anything longer is cut here, then clamped to the last page. */
const MAX_PAGE_NUMBER = 1_000_000;

const countFormat = new Intl.NumberFormat('vi-VN');

/** 6644 → "6.644": counts as Vietnamese readers write them. */
export function formatCount(value: number): string {
  return countFormat.format(value);
}

/** `?page=` as asked: '3' → 3; absent, empty, '0', '-2', '1.5', 'abc' or an array → 1; a huge number → the cap. */
export function parsePageNumber(raw: unknown): number {
  if (typeof raw !== 'string' || !/^\d+$/.test(raw.trim())) return 1;
  const digits = raw.trim().replace(/^0+/, '');
  if (digits === '') return 1;
  return digits.length > 7 ? MAX_PAGE_NUMBER : Math.min(Number(digits), MAX_PAGE_NUMBER);
}

/** Where one page of a list lies: `page` is clamped to 1…pages; `first`/`last` are 1-based row numbers shown. */
export interface Pagination {
  readonly page: number;
  readonly pages: number;
  readonly size: number;
  readonly total: number;
  /** Rows to skip: what a query's OFFSET gets. */
  readonly offset: number;
  readonly first: number;
  readonly last: number;
}

/** The page of `total` rows that shows `requested` (clamped); an empty list has one empty page. */
export function paginate(total: number, requested: number, size: number = PAGE_SIZE): Pagination {
  const pages = Math.max(1, Math.ceil(total / size));
  const page = Math.min(Math.max(1, Math.floor(requested) || 1), pages);
  const offset = (page - 1) * size;
  return {
    page,
    pages,
    size,
    total,
    offset,
    first: total === 0 ? 0 : offset + 1,
    last: Math.min(total, offset + size),
  };
}

/** One page of rows already in memory (the adoption engine's lists): the rows shown and where they lie. */
export function windowOf<T>(
  rows: readonly T[],
  requested: number,
  size: number = PAGE_SIZE,
): { rows: T[]; pagination: Pagination } {
  const pagination = paginate(rows.length, requested, size);
  return { rows: rows.slice(pagination.offset, pagination.offset + size), pagination };
}

/** What views/partials/pager.ejs draws: the count line and, with more than one page, the links. */
export interface PagerView extends Pagination {
  /** "Hiển thị 51–100 trên 6.644 sạp", or "6 sạp" when all fit on one page, or "0 sạp". */
  readonly summary: string;
  /** "Trang 2/14". */
  readonly position: string;
  readonly previousHref?: string;
  readonly nextHref?: string;
}

export interface PagerLinks {
  /** The list's path, e.g. /sites or /sites/12. */
  readonly path: string;
  /** The query the list was asked with (search, filters, date, scope): kept in every link; empty values left out. */
  readonly query?: Readonly<Record<string, string | undefined>>;
  /** Where the list sits on its page, e.g. "stalls" → …#stalls. */
  readonly fragment?: string;
  /** What the rows are, in Vietnamese: "sạp", "địa điểm", "người dùng". */
  readonly noun: string;
  /** The page's query parameter, `page` unless a page has two paged lists (the dashboard's volunteers). */
  readonly param?: string;
}

/** The link to page `page` of the list, with its other parameters; page 1 has no `page` parameter. */
export function pageHref(links: Omit<PagerLinks, 'noun'>, page: number): string {
  const query = new URLSearchParams();
  const param = links.param ?? 'page';
  for (const [name, value] of Object.entries(links.query ?? {})) if (value && name !== param) query.set(name, value);
  if (page > 1) query.set(param, String(page));
  const text = query.toString();
  return `${links.path}${text ? `?${text}` : ''}${links.fragment ? `#${links.fragment}` : ''}`;
}

export function pagerView(pagination: Pagination, links: PagerLinks): PagerView {
  const { page, pages, total, first, last } = pagination;
  const summary =
    pages > 1
      ? `Hiển thị ${formatCount(first)}–${formatCount(last)} trên ${formatCount(total)} ${links.noun}`
      : `${formatCount(total)} ${links.noun}`;
  return {
    ...pagination,
    summary,
    position: `Trang ${formatCount(page)}/${formatCount(pages)}`,
    ...(page > 1 && { previousHref: pageHref(links, page - 1) }),
    ...(page < pages && { nextHref: pageHref(links, page + 1) }),
  };
}
