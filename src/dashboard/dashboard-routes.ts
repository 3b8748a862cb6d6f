import { Router, type Request, type Response } from 'express';
import type { AdoptionService } from '../adoption/adoption-service.js';
import type { AdoptionChildren, AdoptionScope } from '../adoption/adoption-types.js';
import type { Clock } from '../clock.js';
import type { ExportLog } from '../exports/export-log.js';
import type { ExportTable } from '../exports/table.js';
import { ValidationError } from '../http/errors.js';
import { parsePageNumber, pagerView, windowOf } from '../http/pagination.js';
import { actorOf } from '../http/params.js';
import { foldForSearch } from '../text/fold.js';
import { searchCutNotice, searchQuery, searchWords } from '../text/search-query.js';
import { isIsoDate, vietnamDate } from '../calendar/calendar.js';
import { formatDateTime } from '../http/format.js';
import { formatDecimal } from '../text/numbers.js';
import type { BankDirectory } from '../vietqr/banks.js';
import type { DocumentPool } from '../workers/document-pool.js';
import { formatReachUnit, isEmptyReach, reachUnits, type Reach } from '../vocabulary/reach.js';
import { STALL_STATUS_LABELS } from '../vocabulary/stall-status.js';
import { SITE_KIND_LABELS } from '../vocabulary/site-kinds.js';
import { childrenTable } from './children-table.js';
import { qualityTable } from './quality-table.js';
import { volunteersTable } from './volunteers-table.js';
import { dashboardTrendInput } from './trend-chart.js';
import { trendChartSvg } from './trend-chart-svg.js';
import { funnelSvg } from './funnel-svg.js';
import { PAYEE_CHANGE_KIND_LABELS } from '../vocabulary/payee-changes.js';
import { sitesBehind, targetsByArea, type SitesBehind } from '../adoption/sites-behind.js';
import { reportBehind, sitesBehindTable, spansProvinces, targetsLabel } from './sites-behind-table.js';

/**
 * `all`, `province:52`, `commune:23575`, `site:12`, `campaign:3` → a scope; anything else is a 400. `all`
 * (the default) is everything in the user's reach; the engine checks the others against it (404 outside).
 */
export function parseScope(raw: unknown): AdoptionScope {
  const text = typeof raw === 'string' && raw ? raw : 'all';
  if (text === 'all') return { kind: 'all' };
  const match = /^(province|commune|site|campaign):(\d{1,10})$/.exec(text);
  if (!match)
    throw new ValidationError({
      scope: 'Phạm vi không hợp lệ: dùng all, province:MÃ, commune:MÃ, site:MÃ hoặc campaign:MÃ.',
    });
  const [, kind, key] = match;
  if (kind === 'province' && key!.length === 2) return { kind, code: key! };
  if (kind === 'commune' && key!.length === 5) return { kind, code: key! };
  if (kind === 'site' || kind === 'campaign') return { kind, id: Number(key) };
  throw new ValidationError({ scope: 'Mã tỉnh gồm 2 số, mã xã gồm 5 số.' });
}

export function scopeParam(scope: AdoptionScope): string {
  if (scope.kind === 'all') return 'all';
  return `${scope.kind}:${'code' in scope ? scope.code : scope.id}`;
}

/**
 * The scope as the export log records it: `all` and a campaign are cut down to the exporter's reach, so
 * the reach's units follow them when it is not the whole country (`all[commune:23575]`) — the user's reach
 * may change later, the log must still say what left.
 */
export function exportedScope(scope: AdoptionScope, reach: Reach): string {
  const param = scopeParam(scope);
  if (reach.wholeCountry || (scope.kind !== 'all' && scope.kind !== 'campaign')) return param;
  return `${param}[${reachUnits(reach).map(formatReachUnit).join(',')}]`;
}

/** The "as of" date: a real calendar date not after today (Vietnam time); default today. */
export function parseAsOf(raw: unknown, clock: Clock): string {
  const today = vietnamDate(clock.now());
  if (raw === undefined || raw === '') return today;
  if (typeof raw !== 'string' || !isIsoDate(raw)) throw new ValidationError({ asOf: 'Ngày phải có dạng YYYY-MM-DD.' });
  if (raw > today) throw new ValidationError({ asOf: 'Không thể xem số liệu của ngày trong tương lai.' });
  return raw;
}

/** The weeks of volunteer activity on the page, in its exports and in the API. */
export const ACTIVITY_WEEKS = 4;

/** A table export's format from the URL: `csv` or `xlsx`; anything else is a 400. */
export function parseTableFormat(raw: unknown): 'csv' | 'xlsx' {
  if (raw === 'csv' || raw === 'xlsx') return raw;
  throw new ValidationError({ format: 'Chỉ xuất được CSV hoặc XLSX.' });
}

/** The scope one level down from a child row, for the table's links. */
export function childScope(children: AdoptionChildren, key: string): string {
  return { provinces: 'province', communes: 'commune', sites: 'site', stalls: 'stall' }[children.level] + ':' + key;
}

/** A page number kept in the other table's links: none for the first page. */
const pageParam = (page: number): string | undefined => (page > 1 ? String(page) : undefined);

const CHILD_NOUNS = { provinces: 'tỉnh', communes: 'xã, phường', sites: 'địa điểm', stalls: 'sạp' } as const;

/** How the folded line names the areas with no site: "33 tỉnh, thành phố chưa có điểm nào". */
const EMPTY_AREA_NOUNS = { provinces: 'tỉnh, thành phố', communes: 'xã, phường' } as const;

type ChildRow = AdoptionChildren['rows'][number];

/**
 * A province or commune with no site at all says nothing row by row: the national table's 33 provinces
 * without a site become one line (their names in a <details>), on the page and in the report. Sites and
 * stalls are never folded: an empty site is still a place to survey.
 */
export function foldEmptyAreas(children: AdoptionChildren): {
  rows: readonly ChildRow[];
  empty: { readonly count: number; readonly noun: string; readonly names: readonly string[] } | null;
} {
  if (children.level !== 'provinces' && children.level !== 'communes') return { rows: children.rows, empty: null };
  const rows = children.rows.filter((row) => row.sites.total > 0);
  const names = children.rows.filter((row) => row.sites.total === 0).map((row) => row.name);
  return {
    rows,
    empty: names.length === 0 ? null : { count: names.length, noun: EMPTY_AREA_NOUNS[children.level], names },
  };
}

/**
 * The "Chỉ tiêu" of each child row: the targets set on its sites ("70 %", "70–80 %"); a site row its own.
 * Never the census-weighted mean, which nobody set.
 */
export function childTargets(
  children: AdoptionChildren,
  sites: Parameters<typeof targetsByArea>[0],
): (row: ChildRow) => string {
  const byArea =
    children.level === 'provinces' || children.level === 'communes' ? targetsByArea(sites, children.level) : null;
  return (row) => {
    if (!('target' in row)) return '';
    if (byArea) {
      const targets = byArea.get(row.key);
      if (targets) return targetsLabel(targets);
    }
    return row.target.percent === null ? '—' : `${formatDecimal(row.target.percent)} %`;
  };
}

/** The same labels by row key, as plain data for the report's worker thread. */
function childTargetLabels(children: AdoptionChildren, sites: Parameters<typeof targetsByArea>[0]) {
  const label = childTargets(children, sites);
  return children.level === 'stalls' ? {} : Object.fromEntries(children.rows.map((row) => [row.key, label(row)]));
}

/** The behind table's page of the dashboard, on its own `bpage`. */
function behindPage(behind: SitesBehind, query: Record<string, unknown>) {
  return windowOf(behind.rows, parsePageNumber(query.bpage));
}

/**
 * One page of the dashboard's child table, searched by name (a stall by its label), accent-insensitive. The
 * engine gives every child, furthest behind first; the page keeps that order and shows one window of it, so a
 * site of 6,700 stalls or a province of 1,000 sites stays a small page. The exports keep every row.
 */
export function childrenWindow(children: AdoptionChildren, query: Record<string, unknown>) {
  const search = searchQuery(query.q);
  const words = searchWords(search.text);
  const named = (row: ChildRow) => ('label' in row ? row.label : row.name);
  const { rows, empty } = foldEmptyAreas(children);
  const matching =
    words.length === 0
      ? rows
      : rows.filter((row) => {
          const text = foldForSearch(named(row));
          return words.every((word) => text.includes(word));
        });
  const { rows: shown, pagination } = windowOf(matching, parsePageNumber(query.page));
  return { rows: shown, pagination, query: search.text, searchNotice: searchCutNotice(search), empty };
}

export interface DashboardRoutesDeps {
  readonly adoption: AdoptionService;
  readonly exportLog: ExportLog;
  /** Renders the meeting report and writes large tables on worker threads (src/workers/document-pool.ts). */
  readonly documents: Pick<DocumentPool, 'adoptionReport' | 'csv' | 'xlsx'>;
  readonly banks: BankDirectory;
  readonly clock: Clock;
  readonly publicBaseUrl: string;
}

/**
 * The page's scope and date from the query string (everything in the user's reach, today, when absent) and
 * the reach the adoption engine limits every answer to.
 */
function scopeAndDate(req: Request, clock: Clock) {
  return {
    reach: actorOf(req).reach,
    scope: parseScope(req.query.scope),
    asOf: parseAsOf(req.query.asOf, clock),
  };
}

/** /dashboard: figures for a scope as of a date, the data-quality page, table exports and the meeting report. */
export function dashboardRoutes(deps: DashboardRoutesDeps): Router {
  const { adoption, exportLog, documents, banks, clock, publicBaseUrl } = deps;
  const router = Router();
  const read = (req: Request) => scopeAndDate(req, clock);

  router.get('/', async (req, res) => {
    const { reach, scope, asOf } = read(req);
    const dashboard = await adoption.dashboard(reach, scope, asOf);
    const { figures } = dashboard;
    // Every site of the scope from the per-site running counts (no stall is walked): the targets set on
    // them for the target card and, above a site, the ones behind their target.
    const sites = await adoption.sites(reach, scope, asOf);
    const behind = sitesBehind(sites);
    const chart = trendChartSvg(dashboardTrendInput(dashboard, behind.targets));
    const table = childrenWindow(dashboard.children, req.query);
    const activity = await adoption.volunteerActivity(reach, scope, asOf, ACTIVITY_WEEKS);
    const behindWindow = behindPage(behind, req.query);
    // A province's campaign day has hundreds of volunteers: one page of them (most visits first), on their own
    // `vpage` so that paging one table keeps the other where it was; the exports keep every row.
    const volunteers = windowOf(activity.volunteers, parsePageNumber(req.query.vpage));
    const pages = {
      page: pageParam(table.pagination.page),
      vpage: pageParam(volunteers.pagination.page),
      bpage: pageParam(behindWindow.pagination.page),
    };
    const keep = (omit: keyof typeof pages) =>
      Object.fromEntries(Object.entries(pages).filter(([key]) => key !== omit)) as Record<string, string | undefined>;
    res.render('dashboard/show', {
      title: `Số liệu · ${figures.scope.name}`,
      dashboard,
      childRows: table.rows,
      childQuery: table.query,
      childSearchNotice: table.searchNotice,
      emptyAreas: table.empty,
      pager: pagerView(table.pagination, {
        path: '/dashboard',
        query: { scope: scopeParam(scope), asOf, q: table.query, ...keep('page') },
        fragment: 'children',
        noun: CHILD_NOUNS[dashboard.children.level],
      }),
      chart,
      funnel: funnelSvg(figures.funnel),
      behind: scope.kind === 'site' ? null : behind,
      behindRows: behindWindow.rows,
      behindFirst: behindWindow.pagination.first,
      behindPager: pagerView(behindWindow.pagination, {
        path: '/dashboard',
        query: { scope: scopeParam(scope), asOf, q: table.query, ...keep('bpage') },
        fragment: 'behind',
        noun: 'điểm chưa đạt',
        param: 'bpage',
      }),
      showProvince: spansProvinces(sites),
      childTarget: childTargets(dashboard.children, sites),
      targets: targetsLabel(behind.targets),
      activity,
      volunteerRows: volunteers.rows,
      volunteerPager: pagerView(volunteers.pagination, {
        path: '/dashboard',
        query: { scope: scopeParam(scope), asOf, q: table.query, ...keep('vpage') },
        fragment: 'volunteers',
        noun: 'tình nguyện viên',
        param: 'vpage',
      }),
      scopeParam: scopeParam(scope),
      asOf,
      today: vietnamDate(clock.now()),
      noReach: isEmptyReach(reach),
      childScope: (key: string) => childScope(dashboard.children, key),
      siteKindLabels: SITE_KIND_LABELS,
      statusLabels: STALL_STATUS_LABELS,
    });
  });

  /**
   * Answers a table export: reads scope and asOf, checks the format (before any work), builds the table,
   * logs it as `adoption-SUBJECT` and sends it as `phoqr-SCOPE-SUBJECT-ASOF.csv|xlsx`.
   */
  async function sendTable(
    req: Request,
    res: Response,
    build: (reach: Reach, scope: AdoptionScope, asOf: string) => Promise<{ subject: string; table: ExportTable }>,
  ): Promise<void> {
    const { reach, scope, asOf } = read(req);
    const format = parseTableFormat(req.params.format);
    const { subject, table } = await build(reach, scope, asOf);
    const rowCount = table.rows.length;
    // Written before the export is logged: a refusal (503, the pool is full) leaves no record of an export.
    const bytes = format === 'csv' ? await documents.csv(table) : await documents.xlsx(table);
    await exportLog.record({
      by: req.user!.id,
      what: `adoption-${subject}`,
      format,
      scope: exportedScope(scope, reach),
      rowCount,
    });
    res.attachment(`phoqr-${scopeParam(scope).replace(':', '-')}-${subject}-${asOf}.${format}`);
    if (format === 'csv') res.type('text/csv; charset=utf-8').send(bytes);
    else res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(bytes);
  }

  router.get('/table.:format', (req, res) =>
    sendTable(req, res, async (reach, scope, asOf) => {
      const children = await adoption.children(reach, scope, asOf);
      return { subject: children.level, table: childrenTable(children) };
    }),
  );

  // The sites behind target, every row (the page shows 50 at a time); a site scope has no such list.
  router.get('/behind.:format', (req, res) =>
    sendTable(req, res, async (reach, scope, asOf) => {
      if (scope.kind === 'site')
        throw new ValidationError({ scope: 'Danh sách điểm chưa đạt chỉ tiêu dành cho xã, tỉnh hoặc chiến dịch.' });
      const behind = sitesBehind(await adoption.sites(reach, scope, asOf));
      return { subject: 'sites-behind', table: sitesBehindTable(behind.rows, asOf) };
    }),
  );

  router.get('/volunteers.:format', (req, res) =>
    sendTable(req, res, async (reach, scope, asOf) => ({
      subject: 'volunteers',
      table: volunteersTable(await adoption.volunteerActivity(reach, scope, asOf, ACTIVITY_WEEKS)),
    })),
  );

  router.get('/quality.:format', (req, res) =>
    sendTable(req, res, async (reach, scope, asOf) => ({
      subject: 'quality',
      table: qualityTable(await adoption.dataQuality(reach, scope, asOf), (bin) => banks.byBin(bin)?.shortName),
    })),
  );

  // Its own page: the checks cost more than the whole dashboard (a province's accounts are looked up), and
  // the lists are work for team leads, not the leader's glance.
  router.get('/quality', async (req, res) => {
    const { reach, scope, asOf } = read(req);
    const quality = await adoption.dataQuality(reach, scope, asOf);
    res.render('dashboard/quality', {
      title: `Chất lượng dữ liệu · ${quality.scope.name}`,
      quality,
      scopeParam: scopeParam(scope),
      asOf,
      today: vietnamDate(clock.now()),
      payeeChangeKinds: PAYEE_CHANGE_KIND_LABELS,
    });
  });

  router.get('/report.pdf', async (req, res) => {
    const { reach, scope, asOf } = read(req);
    if (scope.kind === 'site')
      throw new ValidationError({
        scope:
          'Báo cáo PDF dành cho xã, tỉnh hoặc chiến dịch; ' +
          'số liệu của một địa điểm xem trên trang số liệu của địa điểm đó.',
      });
    const dashboard = await adoption.dashboard(reach, scope, asOf);
    const sites = await adoption.sites(reach, scope, asOf);
    const behind = sitesBehind(sites);
    const query = `scope=${encodeURIComponent(scopeParam(scope))}&asOf=${asOf}`;
    // The figures are gathered here, within the reach; the PDF is drawn on a worker thread from plain data.
    const { pdf, tableShown } = await documents.adoptionReport(
      {
        dashboard,
        chart: dashboardTrendInput(dashboard, behind.targets),
        generatedAt: formatDateTime(clock.now().toISOString()),
        fullTableUrl: `${publicBaseUrl}/dashboard/table.xlsx?${query}`,
        childTargets: childTargetLabels(dashboard.children, sites),
        behind: reportBehind(behind, spansProvinces(sites), `${publicBaseUrl}/dashboard?${query}#behind`),
      },
      clock.now(),
    );
    await exportLog.record({
      by: req.user!.id,
      what: `adoption-report-${dashboard.children.level}`,
      format: 'pdf',
      scope: exportedScope(scope, reach),
      rowCount: tableShown,
    });
    const name = `phoqr-bao-cao-${scopeParam(scope).replace(':', '-')}-${asOf}.pdf`;
    // Inline, so a phone opens it to read or share; the name is what "save" proposes.
    res.set('Content-Disposition', `inline; filename="${name}"`).type('application/pdf').send(pdf);
  });

  return router;
}

/**
 * GET /api/v1/adoption: the dashboard's figures as JSON, for the province's own reporting tools; limited to
 * the caller's reach like the page.
 */
export function adoptionApiRoutes({ adoption, clock }: Pick<DashboardRoutesDeps, 'adoption' | 'clock'>): Router {
  const router = Router();
  router.get('/', async (req, res) => {
    const { reach, scope, asOf } = scopeAndDate(req, clock);
    const dashboard = await adoption.dashboard(reach, scope, asOf);
    res.json({
      scope: dashboard.figures.scope,
      asOf,
      figures: dashboard.figures,
      change: dashboard.change,
      children: dashboard.children,
      trend: dashboard.trend,
      activity: await adoption.volunteerActivity(reach, scope, asOf, ACTIVITY_WEEKS),
      quality: await adoption.dataQuality(reach, scope, asOf),
    });
  });

  return router;
}
