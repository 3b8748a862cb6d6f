/**
 * The weekly coverage trend chart as geometry: where every line, dot and label goes in a plot of a given
 * size. Pure: the web page draws it as SVG (trend-chart-svg.ts), the PDF report with pdfkit, so both
 * show the same chart from the same numbers.
 */

export interface TrendPoint {
  /** The week's last day, 'YYYY-MM-DD'. */
  readonly weekEnd: string;
  /** Coverage at the end of the week, 0–100, or null when the census was empty. */
  readonly percent: number | null;
}

export interface TrendChartInput {
  readonly points: readonly TrendPoint[];
  /** The target in force on the chart's last day, 0–100: the target line's label. */
  readonly targetPercent: number;
  /**
   * The target in force at each point's week end (a target changed on a day counts from that day), so the
   * line steps where it changed; null for a point without one. Without it the line is flat at targetPercent.
   */
  readonly targets?: readonly (number | null)[];
  /** "Expected by today" when a deadline is set: where coverage should be at each week's end. */
  readonly expected?: readonly (number | null)[];
  readonly title: string;
  /**
   * The target line's label when "Chỉ tiêu N%" would name a target nobody set: an aggregate whose sites
   * have different targets draws its line at the level that makes it đạt ("Mức cần đạt chung 71%").
   */
  readonly targetLabel?: string;
}

export interface ChartSize {
  readonly width: number;
  readonly height: number;
  readonly pad: { readonly left: number; readonly right: number; readonly top: number; readonly bottom: number };
}

export interface TrendChartGeometry {
  readonly width: number;
  readonly height: number;
  /** Horizontal grid lines at 0, 25, 50, 75 and 100 %, with their label's anchor (right-aligned at x). */
  readonly grid: readonly {
    readonly value: number;
    readonly y: number;
    readonly x1: number;
    readonly x2: number;
    readonly label: string;
    readonly labelX: number;
  }[];
  /** Week labels, centred at x, their baseline at y. */
  readonly weekLabels: readonly { readonly x: number; readonly y: number; readonly text: string }[];
  /**
   * The target line: its label at the last target's height (y, x2), and `path` across the plot, stepping
   * halfway between two weeks whose targets differ.
   */
  readonly target: {
    readonly y: number;
    readonly x1: number;
    readonly x2: number;
    readonly label: string;
    readonly path: string;
  };
  /** SVG path data ('M x y L x y …'); a gap in the data starts a new subpath. Null when nothing to draw. */
  readonly expectedPath: string | null;
  readonly actualPath: string | null;
  readonly dots: readonly {
    readonly x: number;
    readonly y: number;
    readonly percent: number;
    readonly weekEnd: string;
  }[];
  /** One sentence for screen readers and PDF alt text. */
  readonly summary: string;
}

/**
 * The web page's chart: a 360 × 220 view box that scales to the screen. Narrow on purpose: the view box is
 * scaled to the card's width, text with it, so at a 390 px phone (a card about 330 px wide) one unit is about
 * 0.9 px and the 13-unit labels stay above 11 px (a 640-wide box drew them at about 6 px).
 */
export const WEB_CHART_SIZE: ChartSize = { width: 360, height: 220, pad: { left: 46, right: 20, top: 18, bottom: 30 } };

export function roundCoordinate(value: number): number {
  return Math.round(value * 10) / 10;
}

/** "2026-11-22" → "22/11". */
export function shortDate(iso: string): string {
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)}`;
}

/** A polyline path through the non-null values; a gap (empty census) breaks the line. */
function linePath(
  values: readonly (number | null)[],
  x: (i: number) => number,
  y: (v: number) => number,
): string | null {
  let d = '';
  let drawing = false;
  values.forEach((value, i) => {
    if (value === null) {
      drawing = false;
      return;
    }
    d += `${drawing ? 'L' : 'M'}${roundCoordinate(x(i))} ${roundCoordinate(y(value))}`;
    drawing = true;
  });
  return d === '' ? null : d;
}

/**
 * The target line's path: flat at each week's target, stepping halfway to the next week where it changes,
 * from the plot's left edge to its right one. A week without a target (an empty census) keeps the one before
 * it, or before any, takes the first one.
 */
function targetPath(
  input: TrendChartInput,
  x: (i: number) => number,
  y: (v: number) => number,
  left: number,
  right: number,
): string {
  const targets = input.targets?.length === input.points.length ? input.targets : [];
  // Weeks before the first with a target (an empty census) take that first one; later gaps keep the last.
  const first = targets.find((value) => value !== null) ?? input.targetPercent;
  const held: number[] = [];
  for (const [i, value] of targets.entries()) held.push(value ?? held[i - 1] ?? first);
  if (held.length === 0) held.push(input.targetPercent);
  const at = (v: number) => roundCoordinate(y(v));
  let d = `M${left} ${at(held[0]!)}`;
  for (let i = 1; i < held.length; i++) {
    if (held[i] === held[i - 1]) continue;
    const step = roundCoordinate((x(i - 1) + x(i)) / 2);
    d += `L${step} ${at(held[i - 1]!)}L${step} ${at(held[i]!)}`;
  }
  return `${d}L${right} ${at(held[held.length - 1]!)}`;
}

export function trendChartGeometry(input: TrendChartInput, size: ChartSize): TrendChartGeometry {
  const { width, height, pad } = size;
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const n = input.points.length;
  const x = (i: number) => pad.left + (n <= 1 ? plotW / 2 : (i * plotW) / (n - 1));
  const y = (v: number) => pad.top + plotH - (Math.max(0, Math.min(100, v)) * plotH) / 100;

  const grid = [0, 25, 50, 75, 100].map((value) => ({
    value,
    y: roundCoordinate(y(value)),
    x1: pad.left,
    x2: width - pad.right,
    label: `${value}%`,
    labelX: pad.left - 6,
  }));
  // At most about six week labels, always including the last (the "as of" week).
  const every = Math.max(1, Math.ceil(n / 6));
  const weekLabels = input.points
    .map((point, i) => ({ i, point }))
    .filter(({ i }) => i % every === 0 || i === n - 1)
    .map(({ i, point }) => ({ x: roundCoordinate(x(i)), y: height - pad.bottom + 18, text: shortDate(point.weekEnd) }));
  const values = input.points.map((p) => p.percent);
  const dots = values.flatMap((percent, i) =>
    percent === null
      ? []
      : [{ x: roundCoordinate(x(i)), y: roundCoordinate(y(percent)), percent, weekEnd: input.points[i]!.weekEnd }],
  );
  const expectedPath = input.expected?.some((v) => v !== null) ? linePath(input.expected, x, y) : null;
  const last = [...values].reverse().find((v) => v !== null);
  return {
    width,
    height,
    grid,
    weekLabels,
    target: {
      y: roundCoordinate(y(input.targetPercent)),
      x1: pad.left,
      x2: width - pad.right,
      label: input.targetLabel ?? `Chỉ tiêu ${input.targetPercent}%`,
      path: targetPath(input, x, y, pad.left, width - pad.right),
    },
    expectedPath,
    actualPath: linePath(values, x, y),
    dots,
    summary:
      `${input.title}: ${last === undefined ? 'chưa có số liệu' : `${last}%`} tuần gần nhất, ` +
      `chỉ tiêu ${input.targetPercent}%`,
  };
}
