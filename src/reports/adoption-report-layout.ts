/**
 * The one- or two-page A4 report of a province, commune, campaign or of everything in reach, for the
 * meeting upward: header cards, the funnel, the weekly trend chart and the child table. Pure: the
 * dashboard's figures and a text measurer in, a list of drawing operations per page out; the pdfkit
 * renderer only executes them. Every figure comes from the adoption engine, never recomputed here.
 *
 * The page count is fixed at two at most. When the child table is longer than two pages hold (a
 * province has up to ~150 communes), the rows furthest behind target are printed, because they are
 * what the meeting acts on, and a closing line says how many rows were left out, by colour class, and
 * where the full table is (CSV/XLSX) — nothing is dropped without saying so.
 */
import type { AdoptionChildren, AdoptionDashboard, AreaRow, GapClass } from '../adoption/adoption-types.js';
import { trendChartGeometry, type ChartSize, type TrendChartInput } from '../charts/trend-chart.js';
import { funnelSteps } from '../charts/funnel-chart.js';
import { SITE_KIND_LABELS } from '../vocabulary/site-kinds.js';
import { REFUSAL_REASON_LABELS } from '../vocabulary/stall-status.js';
import { fitText, type MeasureText } from '../pdf-text/fit-text.js';
import { formatDecimal, formatSigned } from '../text/numbers.js';
import { dayMonthYear } from '../calendar/calendar.js';

export type ReportFontWeight = 'regular' | 'bold';

/** Width of `text` at `size` points in the given weight. */
export type ReportMeasure = (text: string, size: number, weight: ReportFontWeight) => number;

export type DrawOp =
  /** `y` is the top of the line box; the renderer puts the baseline one ascent below it. */
  | {
      readonly kind: 'text';
      readonly x: number;
      readonly y: number;
      readonly text: string;
      readonly size: number;
      readonly weight: ReportFontWeight;
      readonly color: string;
    }
  | {
      readonly kind: 'rect';
      readonly x: number;
      readonly y: number;
      readonly width: number;
      readonly height: number;
      readonly fill: string | null;
      readonly stroke: string | null;
    }
  | {
      readonly kind: 'line';
      readonly x1: number;
      readonly y1: number;
      readonly x2: number;
      readonly y2: number;
      readonly color: string;
      readonly lineWidth: number;
      readonly dash: number | null;
    }
  /** SVG path data drawn with its origin at (originX, originY). */
  | {
      readonly kind: 'path';
      readonly originX: number;
      readonly originY: number;
      readonly d: string;
      readonly color: string;
      readonly lineWidth: number;
      readonly dash: number | null;
    }
  | { readonly kind: 'dot'; readonly x: number; readonly y: number; readonly r: number; readonly color: string };

export interface ReportPage {
  readonly ops: readonly DrawOp[];
}

export interface ReportLayout {
  readonly title: string;
  readonly pages: readonly ReportPage[];
  readonly table: { readonly total: number; readonly shown: number };
}

/** The sites behind target as the report prints them: plain data (it crosses to a worker thread). */
export interface ReportBehind {
  /** Sites behind in the scope, of which `rows` are the first (furthest behind first). */
  readonly total: number;
  readonly stallsNeeded: number;
  readonly notSurveyed: number;
  /** The targets set on the scope's sites: "70 %" or "70–80 %". */
  readonly targets: string;
  /** The scope's sites lie in more than one province: each row names its province too. */
  readonly showProvince: boolean;
  /** The dashboard's list, printed when rows are left out. */
  readonly listUrl: string;
  readonly rows: readonly {
    readonly name: string;
    readonly commune: string;
    readonly province: string;
    readonly census: number;
    /** "15/33 (45 %)". */
    readonly coverage: string;
    readonly targetPercent: number;
    readonly stallsNeeded: number;
  }[];
}

export interface ReportInput {
  readonly dashboard: AdoptionDashboard;
  readonly chart: TrendChartInput;
  /** When the report was made, as shown to the reader ("08:30 30/11/2026"). */
  readonly generatedAt: string;
  /** Where the full child table can be downloaded (absolute URL), printed when rows are left out. */
  readonly fullTableUrl: string;
  /** The child table's "Chỉ tiêu" by row key: the targets set on its sites ("70–80 %"); absent, the row's own. */
  readonly childTargets?: Readonly<Record<string, string>>;
  /** The sites behind target; absent, the report has no such list (as before). */
  readonly behind?: ReportBehind;
  readonly measure: ReportMeasure;
}

/** A4 portrait in points. */
export const PAGE = { width: 595.28, height: 841.89 } as const;
const MARGIN = 40;
const CONTENT_WIDTH = PAGE.width - 2 * MARGIN;
export const FOOTER_TOP = PAGE.height - 30;
/** The table stops above the footer. */
const CONTENT_BOTTOM = FOOTER_TOP - 10;
export const ROW_HEIGHT = 13;
const TABLE_HEADER_HEIGHT = 16;
const LINE_HEIGHT = 1.25;

export const COLORS = {
  ink: '#1b1f24',
  muted: '#5b6470',
  rule: '#c9ced6',
  zebra: '#f3f5f8',
  cardBorder: '#d5dae1',
  target: '#1b1f24',
  actual: '#1d4ed8',
  expected: '#9a6700',
} as const;

export const GAP_COLORS: Readonly<Record<GapClass, string>> = {
  behind: '#b42318',
  close: '#d97706',
  achieved: '#1a7f37',
  empty: '#9aa3ad',
};

export const GAP_LABELS: Readonly<Record<GapClass, string>> = {
  behind: 'Chậm',
  close: 'Gần đạt',
  achieved: 'Đạt',
  empty: 'Chưa có sạp',
};

const LEVEL_TITLES = { provinces: 'Các tỉnh', communes: 'Các xã, phường', sites: 'Các địa điểm' } as const;
const LEVEL_UNITS = { provinces: 'tỉnh, thành phố', communes: 'xã, phường', sites: 'địa điểm' } as const;

type AreaChildren = Extract<AdoptionChildren, { level: 'provinces' | 'communes' | 'sites' }>;

/** Only areas have a table in the report: a site's children are stalls, which its own page lists. */
function hasAreaChildren(children: AdoptionChildren): children is AreaChildren {
  return children.level !== 'stalls';
}

/** Collects drawing operations for one page and fits text into boxes. */
class PageBuilder {
  readonly ops: DrawOp[] = [];

  constructor(private readonly measure: ReportMeasure) {}

  width(text: string, size: number, weight: ReportFontWeight): number {
    return this.measure(text, size, weight);
  }

  /** One line of text at a fixed size, left-aligned at x or right-aligned to x. */
  text(
    text: string,
    x: number,
    y: number,
    size: number,
    options: { weight?: ReportFontWeight; color?: string; align?: 'left' | 'right' | 'center' } = {},
  ): void {
    const weight = options.weight ?? 'regular';
    const width = this.measure(text, size, weight);
    const left = options.align === 'right' ? x - width : options.align === 'center' ? x - width / 2 : x;
    this.ops.push({ kind: 'text', x: left, y, text, size, weight, color: options.color ?? COLORS.ink });
  }

  /**
   * Text fitted into a box: the largest size up to maxSize on at most maxLines lines; below minSize only
   * when it must (fitText never clips). Returns the height used.
   */
  block(
    text: string,
    box: { x: number; y: number; width: number; height: number },
    fit: {
      maxSize: number;
      minSize: number;
      maxLines: number;
      weight?: ReportFontWeight;
      color?: string;
      align?: 'left' | 'right';
    },
  ): number {
    const weight = fit.weight ?? 'regular';
    const measure: MeasureText = (t, s) => this.measure(t, s, weight);
    const fitted = fitText({
      text,
      width: box.width,
      height: box.height,
      maxSize: fit.maxSize,
      minSize: fit.minSize,
      maxLines: fit.maxLines,
      measure,
      lineHeight: LINE_HEIGHT,
    });
    fitted.lines.forEach((line, i) => {
      const x = fit.align === 'right' ? box.x + box.width - line.width : box.x;
      this.ops.push({
        kind: 'text',
        x,
        y: box.y + i * fitted.lineHeight,
        text: line.text,
        size: fitted.size,
        weight,
        color: fit.color ?? COLORS.ink,
      });
    });
    return fitted.lines.length * fitted.lineHeight;
  }

  rect(x: number, y: number, width: number, height: number, fill: string | null, stroke: string | null = null): void {
    this.ops.push({ kind: 'rect', x, y, width, height, fill, stroke });
  }

  line(
    x1: number,
    y1: number,
    x2: number,
    y2: number,
    color: string,
    lineWidth = 0.5,
    dash: number | null = null,
  ): void {
    this.ops.push({ kind: 'line', x1, y1, x2, y2, color, lineWidth, dash });
  }
}

interface Card {
  readonly label: string;
  readonly value: string;
  readonly notes: readonly string[];
}

function scopeSubtitle(dashboard: AdoptionDashboard): string {
  const { scope } = dashboard.figures;
  switch (scope.kind) {
    case 'province':
      return 'Cấp tỉnh';
    case 'commune':
      return `Cấp xã · ${scope.province?.name ?? ''}`;
    case 'campaign':
      return 'Chiến dịch';
    case 'site':
      return [scope.commune?.name, scope.province?.name].filter(Boolean).join(' · ');
    case 'all':
      return 'Toàn bộ phạm vi theo dõi';
  }
}

/**
 * The target and the verdict, as two short card lines: the targets that were set on the sites ("70 %",
 * "70–80 %"), never their census-weighted mean, which nobody set.
 */
function targetNotes(dashboard: AdoptionDashboard, behind: ReportBehind | undefined): [string, string] {
  const f = dashboard.figures;
  const weighted = formatDecimal(f.target.percent ?? f.coverage.targetPercent);
  const target = behind
    ? `Chỉ tiêu ${behind.targets}`
    : f.target.source === 'weighted'
      ? `Mức cần đạt chung ${weighted} %`
      : `Chỉ tiêu ${weighted} %`;
  if (f.coverage.census === 0) return [target, 'Chưa có sạp'];
  if (f.target.achieved) return [target, 'Đạt chỉ tiêu'];
  return [target, `Chưa đạt: ${formatSigned(f.target.gapPp ?? 0)} điểm %`];
}

function cards(dashboard: AdoptionDashboard, behind: ReportBehind | undefined): Card[] {
  const f = dashboard.figures;
  const ts = f.transferShare;
  const c = dashboard.change;
  const coverageChange = c.coveragePp === null ? '' : `, ${formatSigned(c.coveragePp)} điểm %`;
  return [
    {
      label: 'Sạp nhận QR / sạp đang kinh doanh',
      value: f.coverage.label,
      notes: [
        ...targetNotes(dashboard, behind),
        `So với tuần trước: ${formatSigned(c.installed)} sạp${coverageChange}`,
      ],
    },
    {
      label: 'Địa điểm đạt chỉ tiêu',
      value: `${f.sites.achieved}/${f.sites.total}`,
      notes: [
        `Tuyến phố ${f.sites.streets.achieved}/${f.sites.streets.total} · ` +
          `Chợ, TTTM ${f.sites.markets.achieved}/${f.sites.markets.total}`,
        `Tuần trước: ${dashboard.lastWeek.sites.achieved} địa điểm đạt`,
      ],
    },
    {
      label: 'Xã, phường có địa điểm đạt',
      value: f.communes.label,
      notes: [
        f.communes.percent === null
          ? 'Chưa có xã nào trong phạm vi'
          : `${f.communes.percent} % số xã, phường trong phạm vi`,
      ],
    },
    {
      label: 'Khách trả bằng chuyển khoản (tiểu thương tự ước tính)',
      value: ts.median === null ? '—' : `${formatDecimal(ts.median)} %`,
      // Plain words for the median; what it is exactly is in the note under the funnel.
      notes:
        ts.median === null
          ? ['Chưa có tiểu thương nào trả lời']
          : [
              `Một nửa trong ${ts.n} tiểu thương trả lời ước tính từ ${formatDecimal(ts.median)} % trở lên`,
              ts.buckets.map((b) => `${b.label}: ${b.count}`).join(' · '),
            ],
    },
  ];
}

function refusalSentence(dashboard: AdoptionDashboard): string {
  const funnel = dashboard.figures.funnel;
  const refusals = Object.entries(funnel.refusals)
    .filter(([, n]) => n > 0)
    .map(([reason, n]) => `${REFUSAL_REASON_LABELS[reason as keyof typeof REFUSAL_REASON_LABELS]} ${n}`)
    .join(', ');
  return `Từ chối: ${funnel.refused}${refusals ? ` (${refusals})` : ''}.`;
}

function drawHeader(page: PageBuilder, input: ReportInput): number {
  const f = input.dashboard.figures;
  let y = MARGIN;
  page.text('BÁO CÁO TIẾN ĐỘ THANH TOÁN KHÔNG DÙNG TIỀN MẶT', MARGIN, y, 8, { weight: 'bold', color: COLORS.muted });
  y += 13;
  y += page.block(
    f.scope.name,
    { x: MARGIN, y, width: CONTENT_WIDTH, height: 46 },
    { maxSize: 18, minSize: 12, maxLines: 2, weight: 'bold' },
  );
  y += 2;
  const subtitle = [
    scopeSubtitle(input.dashboard),
    `Số liệu tính đến hết ngày ${dayMonthYear(f.asOf)}`,
    `Lập lúc ${input.generatedAt}`,
  ]
    .filter(Boolean)
    .join(' · ');
  y += page.block(
    subtitle,
    { x: MARGIN, y, width: CONTENT_WIDTH, height: 24 },
    { maxSize: 9, minSize: 7, maxLines: 2, color: COLORS.muted },
  );
  return y + 10;
}

function drawCards(page: PageBuilder, input: ReportInput, top: number): number {
  const gap = 8;
  const height = 84;
  const width = (CONTENT_WIDTH - 3 * gap) / 4;
  const pad = 6;
  cards(input.dashboard, input.behind).forEach((card, i) => {
    const x = MARGIN + i * (width + gap);
    page.rect(x, top, width, height, null, COLORS.cardBorder);
    const inner = width - 2 * pad;
    let y = top + pad;
    page.block(
      card.label,
      { x: x + pad, y, width: inner, height: 18 },
      { maxSize: 7, minSize: 5.5, maxLines: 2, color: COLORS.muted },
    );
    y += 19;
    page.block(
      card.value,
      { x: x + pad, y, width: inner, height: 19 },
      { maxSize: 15, minSize: 8, maxLines: 1, weight: 'bold' },
    );
    y += 21;
    // The notes share what is left of the card; each wraps onto a second line only if it has room.
    const noteHeight = Math.min(17, (top + height - pad - y) / card.notes.length);
    for (const note of card.notes) {
      y +=
        page.block(
          note,
          { x: x + pad, y, width: inner, height: noteHeight },
          { maxSize: 6.5, minSize: 5.5, maxLines: 2, color: COLORS.muted },
        ) + 1;
    }
  });
  return top + height + 8;
}

/**
 * The steps from a surveyed stall to a sticker still displayed: five columns, each its label, its number
 * (and share of the census) and a bar, so every number is printed next to its bar.
 */
function drawFunnel(page: PageBuilder, input: ReportInput, top: number): number {
  page.text('Từ khảo sát đến dán mã QR', MARGIN, top, 10, { weight: 'bold' });
  const steps = funnelSteps(input.dashboard.figures.funnel);
  const gap = 8;
  const width = (CONTENT_WIDTH - (steps.length - 1) * gap) / steps.length;
  const y = top + 15;
  steps.forEach((step, i) => {
    const x = MARGIN + i * (width + gap);
    page.block(step.label, { x, y, width, height: 9 }, { maxSize: 7, minSize: 5.5, maxLines: 1, color: COLORS.muted });
    page.block(
      step.value,
      { x, y: y + 10, width, height: 12 },
      { maxSize: 9.5, minSize: 7, maxLines: 1, weight: 'bold' },
    );
    page.rect(x, y + 24, width, 6, COLORS.zebra);
    if (step.percent !== null && step.count > 0)
      page.rect(x, y + 24, Math.max(1, (width * step.count) / input.dashboard.figures.funnel.census), 6, COLORS.actual);
  });
  let bottom = y + 34;
  bottom += page.block(
    refusalSentence(input.dashboard),
    { x: MARGIN, y: bottom, width: CONTENT_WIDTH, height: 20 },
    { maxSize: 7.5, minSize: 6.5, maxLines: 2 },
  );
  const note =
    'Tỷ lệ = sạp đã dán mã QR đã kiểm tra ÷ sạp còn kinh doanh (không tính sạp ngừng kinh doanh). ' +
    'Số trong ngoặc: phần trăm của số sạp đang kinh doanh. Khách chuyển khoản: tiểu thương tự ước tính; ' +
    'con số là mức ở giữa các câu trả lời (một nửa thấp hơn, một nửa cao hơn).';
  const noteHeight = page.block(
    note,
    { x: MARGIN, y: bottom + 2, width: CONTENT_WIDTH, height: 20 },
    { maxSize: 6.5, minSize: 5.5, maxLines: 2, color: COLORS.muted },
  );
  return bottom + 2 + noteHeight + 10;
}

/** Rows of the behind list that fit on the first page next to the rest. */
const BEHIND_ROWS_MAX = 12;

/**
 * "Điểm chưa đạt chỉ tiêu": the first sites behind, furthest first, with what each still needs; the rest
 * as "và N điểm khác" with the dashboard's address.
 */
function drawBehind(page: PageBuilder, behind: ReportBehind, top: number): number {
  page.text('Điểm chưa đạt chỉ tiêu — xa chỉ tiêu nhất ở trên', MARGIN, top, 10, { weight: 'bold' });
  let y = top + 15;
  if (behind.total === 0) {
    page.text('Mọi địa điểm có sạp đều đã đạt chỉ tiêu.', MARGIN, y, 8.5, { color: COLORS.muted });
    return y + 20;
  }
  page.text(
    `${behind.total} địa điểm chưa đạt; cần thêm ${behind.stallsNeeded} sạp nhận QR để tất cả đạt.`,
    MARGIN,
    y,
    8,
  );
  y += 12;
  const cols: { header: string; width: number; align: 'left' | 'right' }[] = [
    { header: 'TT', width: 20, align: 'right' },
    { header: behind.showProvince ? 'Địa điểm (xã, phường, tỉnh)' : 'Địa điểm (xã, phường)', width: 0, align: 'left' },
    { header: 'Sạp nhận QR', width: 90, align: 'right' },
    { header: 'Chỉ tiêu', width: 50, align: 'right' },
    { header: 'Cần thêm', width: 60, align: 'right' },
  ];
  cols[1] = { ...cols[1]!, width: CONTENT_WIDTH - cols.reduce((sum, c) => sum + c.width, 0) };
  const cells = (r: ReportBehind['rows'][number], i: number) => [
    String(i + 1),
    `${r.name} (${behind.showProvince ? `${r.commune}, ${r.province}` : r.commune})`,
    r.coverage,
    `${formatDecimal(r.targetPercent)} %`,
    `${r.stallsNeeded} sạp`,
  ];
  const drawCells = (texts: readonly string[], rowTop: number, weight: ReportFontWeight) => {
    let x = MARGIN;
    cols.forEach((col, c) => {
      page.block(
        texts[c]!,
        { x: x + CELL_PAD, y: rowTop + 2, width: col.width - 2 * CELL_PAD, height: ROW_HEIGHT - 2 },
        { maxSize: weight === 'bold' ? 7.5 : 8, minSize: 6, maxLines: 1, align: col.align, weight },
      );
      x += col.width;
    });
  };
  drawCells(
    cols.map((c) => c.header),
    y,
    'bold',
  );
  y += TABLE_HEADER_HEIGHT;
  page.line(MARGIN, y, MARGIN + CONTENT_WIDTH, y, COLORS.ink, 0.8);
  const shown = behind.rows.slice(0, BEHIND_ROWS_MAX);
  shown.forEach((row, i) => {
    if (i % 2 === 1) page.rect(MARGIN, y, CONTENT_WIDTH, ROW_HEIGHT, COLORS.zebra);
    page.rect(MARGIN, y, 3, ROW_HEIGHT, GAP_COLORS.behind);
    drawCells(cells(row, i), y, 'regular');
    y += ROW_HEIGHT;
  });
  const more = behind.total - shown.length;
  const closing = [
    more > 0 ? `và ${more} điểm khác — danh sách đầy đủ: ${behind.listUrl}` : '',
    behind.notSurveyed > 0 ? `${behind.notSurveyed} địa điểm chưa có sạp nào (chưa khảo sát), không tính ở đây.` : '',
  ]
    .filter(Boolean)
    .join(' ');
  if (closing)
    y +=
      4 +
      page.block(
        closing,
        { x: MARGIN, y: y + 4, width: CONTENT_WIDTH, height: 2 * ROW_HEIGHT },
        { maxSize: 8, minSize: 6, maxLines: 2, weight: more > 0 ? 'bold' : 'regular' },
      );
  return y + 10;
}

const PDF_CHART_SIZE: ChartSize = {
  width: CONTENT_WIDTH,
  height: 150,
  pad: { left: 30, right: 4, top: 10, bottom: 20 },
};

function drawChart(page: PageBuilder, input: ReportInput, top: number): number {
  const { trend } = input.dashboard;
  page.text(`Xu hướng theo tuần (${trend.weeks} tuần)`, MARGIN, top, 10, { weight: 'bold' });
  const originY = top + 16;
  const chart = trendChartGeometry(input.chart, PDF_CHART_SIZE);
  const axisSize = 6.5;
  for (const grid of chart.grid) {
    page.line(MARGIN + grid.x1, originY + grid.y, MARGIN + grid.x2, originY + grid.y, COLORS.rule, 0.4);
    page.text(grid.label, MARGIN + grid.labelX, originY + grid.y - axisSize * 0.62, axisSize, {
      color: COLORS.muted,
      align: 'right',
    });
  }
  // The SVG's week labels sit 18 units below the plot on their baseline; here the text's top goes 5 below.
  const weekTop = originY + PDF_CHART_SIZE.height - PDF_CHART_SIZE.pad.bottom + 5;
  for (const label of chart.weekLabels) {
    // Centred under its week, but kept inside the margins: the last week sits on the plot's right edge.
    const width = page.width(label.text, axisSize, 'regular');
    const left = Math.min(Math.max(MARGIN + label.x - width / 2, MARGIN), MARGIN + CONTENT_WIDTH - width);
    page.text(label.text, left, weekTop, axisSize, { color: COLORS.muted });
  }
  page.ops.push({
    kind: 'path',
    originX: MARGIN,
    originY,
    d: chart.target.path,
    color: COLORS.target,
    lineWidth: 1,
    dash: 4,
  });
  page.text(chart.target.label, MARGIN + chart.target.x2, originY + chart.target.y - 10, 7, {
    weight: 'bold',
    align: 'right',
  });
  if (chart.expectedPath)
    page.ops.push({
      kind: 'path',
      originX: MARGIN,
      originY,
      d: chart.expectedPath,
      color: COLORS.expected,
      lineWidth: 1.2,
      dash: 2,
    });
  if (chart.actualPath)
    page.ops.push({
      kind: 'path',
      originX: MARGIN,
      originY,
      d: chart.actualPath,
      color: COLORS.actual,
      lineWidth: 1.8,
      dash: null,
    });
  for (const dot of chart.dots)
    page.ops.push({ kind: 'dot', x: MARGIN + dot.x, y: originY + dot.y, r: 2, color: COLORS.actual });

  let y = originY + PDF_CHART_SIZE.height + 4;
  y = drawChartLegend(page, input, y);
  return y + 8;
}

function drawChartLegend(page: PageBuilder, input: ReportInput, top: number): number {
  const { trend, figures } = input.dashboard;
  const items: { label: string; color: string; dash: number | null; width: number }[] = [
    { label: 'Tỷ lệ thực tế', color: COLORS.actual, dash: null, width: 1.8 },
    // The line of an aggregate whose sites have different targets is the level at which it is đạt.
    { label: input.chart.targetLabel ? 'Mức cần đạt chung' : 'Chỉ tiêu', color: COLORS.target, dash: 4, width: 1 },
  ];
  if (trend.schedule)
    items.push({
      label: `Cần đạt theo tiến độ (hạn ${dayMonthYear(trend.schedule.deadline)})`,
      color: COLORS.expected,
      dash: 2,
      width: 1.2,
    });
  let x = MARGIN + PDF_CHART_SIZE.pad.left;
  const size = 7;
  for (const item of items) {
    page.line(x, top + size * 0.6, x + 16, top + size * 0.6, item.color, item.width, item.dash);
    page.text(item.label, x + 20, top, size, { color: COLORS.muted });
    x += 20 + page.width(item.label, size, 'regular') + 14;
  }
  let y = top + size * LINE_HEIGHT + 3;
  if (trend.expectedByToday !== null) {
    page.text(
      `Cần đạt theo tiến độ đến ngày ${dayMonthYear(figures.asOf)}: ${formatDecimal(trend.expectedByToday)} %; ` +
        `thực tế ${figures.coverage.percent ?? 0} %.`,
      MARGIN + PDF_CHART_SIZE.pad.left,
      y,
      8,
      { weight: 'bold' },
    );
    y += 8 * LINE_HEIGHT + 2;
  }
  return y;
}

interface Column {
  readonly header: string;
  readonly width: number;
  readonly align: 'left' | 'right';
  readonly cell: (row: AreaRow, index: number) => string;
  /** The verdict column: bold, in the row's colour. */
  readonly verdict?: boolean;
}

function columns(level: AreaChildren['level'], childTargets: ReportInput['childTargets']): Column[] {
  const last: Column =
    level === 'sites'
      ? { header: 'Loại', width: 70, align: 'left', cell: (r) => (r.siteKind ? SITE_KIND_LABELS[r.siteKind] : '') }
      : { header: 'Địa điểm đạt', width: 70, align: 'right', cell: (r) => `${r.sites.achieved}/${r.sites.total}` };
  const name: Column = {
    header: level === 'sites' ? 'Địa điểm' : level === 'communes' ? 'Xã, phường (mã)' : 'Tỉnh (mã)',
    width: 0,
    align: 'left',
    cell: (r) => (level === 'sites' ? r.name : `${r.name} (${r.key})`),
  };
  const fixed: Column[] = [
    { header: 'Sạp nhận QR', width: 86, align: 'right', cell: (r) => r.coverage.label },
    {
      header: 'Chỉ tiêu',
      width: 56,
      align: 'right',
      cell: (r) => childTargets?.[r.key] ?? (r.target.percent === null ? '—' : `${formatDecimal(r.target.percent)} %`),
    },
    {
      header: 'Chênh lệch',
      width: 52,
      align: 'right',
      cell: (r) => (r.target.gapPp === null ? '—' : formatSigned(r.target.gapPp)),
    },
    last,
    { header: 'Đánh giá', width: 58, align: 'left', cell: (r) => GAP_LABELS[r.target.gapClass], verdict: true },
  ];
  const indexColumn: Column = { header: 'TT', width: 20, align: 'right', cell: (_r, i) => String(i + 1) };
  const used = indexColumn.width + fixed.reduce((sum, c) => sum + c.width, 0);
  return [indexColumn, { ...name, width: CONTENT_WIDTH - used }, ...fixed];
}

const CELL_PAD = 4;

function drawTableHeader(page: PageBuilder, cols: readonly Column[], top: number): number {
  let x = MARGIN;
  for (const col of cols) {
    page.block(
      col.header,
      { x: x + CELL_PAD, y: top + 3, width: col.width - 2 * CELL_PAD, height: 11 },
      { maxSize: 7.5, minSize: 6, maxLines: 1, weight: 'bold', align: col.align },
    );
    x += col.width;
  }
  page.line(MARGIN, top + TABLE_HEADER_HEIGHT, MARGIN + CONTENT_WIDTH, top + TABLE_HEADER_HEIGHT, COLORS.ink, 0.8);
  return top + TABLE_HEADER_HEIGHT;
}

function drawRow(page: PageBuilder, cols: readonly Column[], row: AreaRow, index: number, top: number): void {
  if (index % 2 === 1) page.rect(MARGIN, top, CONTENT_WIDTH, ROW_HEIGHT, COLORS.zebra);
  // The colour bar repeats the "Đánh giá" word, so the table reads the same printed in black and white.
  page.rect(MARGIN, top, 3, ROW_HEIGHT, GAP_COLORS[row.target.gapClass]);
  let x = MARGIN;
  for (const col of cols) {
    page.block(
      col.cell(row, index),
      { x: x + CELL_PAD, y: top + 2, width: col.width - 2 * CELL_PAD, height: ROW_HEIGHT - 2 },
      {
        maxSize: 8,
        minSize: 6,
        maxLines: 1,
        align: col.align,
        weight: col.verdict ? 'bold' : 'regular',
        color: col.verdict ? GAP_COLORS[row.target.gapClass] : COLORS.ink,
      },
    );
    x += col.width;
  }
}

function drawGapLegend(page: PageBuilder, top: number): number {
  const size = 7;
  let x = MARGIN;
  const entries: [GapClass, string][] = [
    ['behind', 'Chậm: kém chỉ tiêu hơn 10 điểm %'],
    ['close', 'Gần đạt: kém 10 điểm % trở xuống'],
    ['achieved', 'Đạt'],
    ['empty', 'Chưa có sạp'],
  ];
  for (const [gapClass, label] of entries) {
    page.rect(x, top + 1, 7, 7, GAP_COLORS[gapClass]);
    page.text(label, x + 10, top, size, { color: COLORS.muted });
    x += 10 + page.width(label, size, 'regular') + 12;
  }
  return top + size * LINE_HEIGHT + 4;
}

/** How many rows fit between `top` and the bottom of the page. */
function rowsBetween(top: number, bottom: number): number {
  return Math.max(0, Math.floor((bottom - top) / ROW_HEIGHT));
}

/** Names are listed only while the list stays short enough for three small lines. */
const EMPTY_NAMES_LIMIT = 40;

/**
 * One line for the areas with no stall yet, their names when few, else their number: "33 tỉnh, thành phố
 * chưa có điểm nào: …" for areas without a site, "Chưa có sạp (2 xã, phường): …" for sites not surveyed.
 */
function emptySentence(empty: readonly AreaRow[], level: AreaChildren['level']): string {
  const names = (rows: readonly AreaRow[]) =>
    rows.length <= EMPTY_NAMES_LIMIT ? `: ${rows.map((r) => r.name).join(', ')}` : '';
  const noSite = level === 'sites' ? [] : empty.filter((r) => r.sites.total === 0);
  const noStall = empty.filter((r) => !noSite.includes(r));
  return [
    noSite.length > 0 ? `${noSite.length} ${LEVEL_UNITS[level]} chưa có điểm nào${names(noSite)}.` : '',
    noStall.length > 0 ? `Chưa có sạp (${noStall.length} ${LEVEL_UNITS[level]})${names(noStall)}.` : '',
  ]
    .filter(Boolean)
    .join(' ');
}

/** Says what the table leaves out for lack of room, by colour class, and where the full table is. */
function omittedSentence(rows: readonly AreaRow[], level: AreaChildren['level'], url: string): string {
  const parts = (['behind', 'close', 'achieved', 'empty'] as const)
    .map((gapClass) => [gapClass, rows.filter((r) => r.target.gapClass === gapClass).length] as const)
    .filter(([, n]) => n > 0)
    .map(([gapClass, n]) => `${n} ${GAP_LABELS[gapClass].toLowerCase()}`);
  return (
    `Còn ${rows.length} ${LEVEL_UNITS[level]} không in vì hết chỗ (${parts.join(', ')}). ` +
    `Bảng đầy đủ (CSV, XLSX): ${url}`
  );
}

function drawFooter(page: PageBuilder, input: ReportInput, pageNumber: number, pageCount: number): void {
  const f = input.dashboard.figures;
  page.line(MARGIN, FOOTER_TOP - 4, MARGIN + CONTENT_WIDTH, FOOTER_TOP - 4, COLORS.rule, 0.5);
  page.text(`Phố QR · ${f.scope.name} · số liệu tính đến hết ngày ${dayMonthYear(f.asOf)}`, MARGIN, FOOTER_TOP, 7, {
    color: COLORS.muted,
  });
  page.text(`Trang ${pageNumber}/${pageCount}`, MARGIN + CONTENT_WIDTH, FOOTER_TOP, 7, {
    color: COLORS.muted,
    align: 'right',
  });
}

/** Row slots a closing sentence takes below the table. */
const EMPTY_SENTENCE_SLOTS = 3;
const OMITTED_SENTENCE_SLOTS = 2;

/**
 * Which rows the table prints and what sentence closes it. Areas with no stall are named in one sentence
 * rather than a row each; when the rest still overflows two pages, the rows furthest behind are kept.
 */
export function planTable(
  rows: readonly AreaRow[],
  capacity: number,
  level: AreaChildren['level'],
  fullTableUrl: string,
): { shown: readonly AreaRow[]; closing: { text: string; slots: number; emphasis: boolean } | null } {
  const filled = rows.filter((r) => r.target.gapClass !== 'empty');
  const empty = rows.filter((r) => r.target.gapClass === 'empty');
  const emptySlots = empty.length > 0 ? EMPTY_SENTENCE_SLOTS : 0;
  if (filled.length + emptySlots <= capacity) {
    return {
      shown: filled,
      closing:
        empty.length > 0 ? { text: emptySentence(empty, level), slots: EMPTY_SENTENCE_SLOTS, emphasis: false } : null,
    };
  }
  const keep = Math.max(0, capacity - OMITTED_SENTENCE_SLOTS);
  return {
    shown: filled.slice(0, keep),
    closing: {
      text: omittedSentence([...filled.slice(keep), ...empty], level, fullTableUrl),
      slots: OMITTED_SENTENCE_SLOTS,
      emphasis: true,
    },
  };
}

function reportTitle(dashboard: AdoptionDashboard): string {
  return `Báo cáo tiến độ · ${dashboard.figures.scope.name}`;
}

/** Lays out the report: one page when the table fits under the chart, else two, never more. */
export function layoutAdoptionReport(input: ReportInput): ReportLayout {
  const { dashboard } = input;
  const children = dashboard.children;
  if (!hasAreaChildren(children))
    throw new RangeError('The PDF report covers a province, commune, campaign or every province: not a single site.');
  const first = new PageBuilder(input.measure);
  let y = drawHeader(first, input);
  y = drawCards(first, input, y);
  y = drawFunnel(first, input, y);
  y = drawChart(first, input, y);
  if (input.behind) y = drawBehind(first, input.behind, y);

  const cols = columns(children.level, input.childTargets);
  first.text(`${LEVEL_TITLES[children.level]} — chậm nhất ở trên`, MARGIN, y, 10, { weight: 'bold' });
  y += 15;
  y = drawGapLegend(first, y);
  if (children.rows.length === 0) {
    first.text(`Chưa có ${LEVEL_UNITS[children.level]} nào trong phạm vi này.`, MARGIN, y + 2, 9, {
      color: COLORS.muted,
    });
    drawFooter(first, input, 1, 1);
    return { title: reportTitle(dashboard), pages: [{ ops: first.ops }], table: { total: 0, shown: 0 } };
  }

  const firstCapacity = rowsBetween(y + TABLE_HEADER_HEIGHT, CONTENT_BOTTOM);
  const secondTitleTop = MARGIN;
  const secondTableTop = MARGIN + 16;
  const secondCapacity = rowsBetween(secondTableTop + TABLE_HEADER_HEIGHT, CONTENT_BOTTOM);
  const plan = planTable(children.rows, firstCapacity + secondCapacity, children.level, input.fullTableUrl);
  const onFirst = Math.min(plan.shown.length, firstCapacity);
  const onSecond = plan.shown.length - onFirst;
  const closingOnFirst = plan.closing !== null && onSecond === 0 && onFirst + plan.closing.slots <= firstCapacity;

  const pages = [first];
  let rowTop = onFirst > 0 ? drawTableHeader(first, cols, y) : y;
  for (let i = 0; i < onFirst; i++) drawRow(first, cols, plan.shown[i]!, i, rowTop + i * ROW_HEIGHT);
  rowTop += onFirst * ROW_HEIGHT;
  let page = first;
  if (onSecond > 0 || (plan.closing && !closingOnFirst)) {
    page = new PageBuilder(input.measure);
    pages.push(page);
    page.text(`${LEVEL_TITLES[children.level]} (tiếp)`, MARGIN, secondTitleTop, 10, { weight: 'bold' });
    rowTop = onSecond > 0 ? drawTableHeader(page, cols, secondTableTop) : secondTableTop;
    for (let i = 0; i < onSecond; i++)
      drawRow(page, cols, plan.shown[onFirst + i]!, onFirst + i, rowTop + i * ROW_HEIGHT);
    rowTop += onSecond * ROW_HEIGHT;
  }
  if (plan.closing) {
    page.block(
      plan.closing.text,
      { x: MARGIN, y: rowTop + 4, width: CONTENT_WIDTH, height: plan.closing.slots * ROW_HEIGHT },
      { maxSize: 8, minSize: 6, maxLines: plan.closing.slots, weight: plan.closing.emphasis ? 'bold' : 'regular' },
    );
  }
  pages.forEach((p, i) => drawFooter(p, input, i + 1, pages.length));
  return {
    title: reportTitle(dashboard),
    pages: pages.map((p) => ({ ops: p.ops })),
    table: { total: children.rows.length, shown: plan.shown.length },
  };
}
