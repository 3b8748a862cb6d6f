/**
 * The weekly coverage trend as a server-side SVG: no JavaScript, prints as it shows, readable on a phone.
 * Pure: points in, markup out. Every value is a number or escaped text.
 */
export interface TrendPoint {
  /** The week's last day, 'YYYY-MM-DD'. */
  readonly weekEnd: string;
  /** Coverage at the end of the week, 0–100, or null when the census was empty. */
  readonly percent: number | null;
}

export interface TrendChartInput {
  readonly points: readonly TrendPoint[];
  /** The target line, 0–100. */
  readonly targetPercent: number;
  /** "Expected by today" when a deadline is set: where coverage should be at each week's end. */
  readonly expected?: readonly (number | null)[];
  readonly title: string;
}

const WIDTH = 640;
const HEIGHT = 260;
const PAD = { left: 40, right: 16, top: 16, bottom: 36 };

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function round(value: number): string {
  return String(Math.round(value * 10) / 10);
}

/** "2026-11-22" → "22/11". */
function shortDate(iso: string): string {
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)}`;
}

/** A polyline path through the non-null values; a gap (empty census) breaks the line. */
function linePath(values: readonly (number | null)[], x: (i: number) => number, y: (v: number) => number): string {
  let d = '';
  let drawing = false;
  values.forEach((value, i) => {
    if (value === null) {
      drawing = false;
      return;
    }
    d += `${drawing ? 'L' : 'M'}${round(x(i))} ${round(y(value))}`;
    drawing = true;
  });
  return d;
}

export function trendChartSvg(input: TrendChartInput): string {
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const n = input.points.length;
  const x = (i: number) => PAD.left + (n <= 1 ? plotW / 2 : (i * plotW) / (n - 1));
  const y = (v: number) => PAD.top + plotH - (Math.max(0, Math.min(100, v)) * plotH) / 100;
  const parts: string[] = [];

  for (const tick of [0, 25, 50, 75, 100]) {
    parts.push(`<line class="grid" x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${round(y(tick))}" y2="${round(y(tick))}"/>`);
    parts.push(`<text class="axis" x="${PAD.left - 6}" y="${round(y(tick) + 4)}" text-anchor="end">${tick}%</text>`);
  }
  const every = Math.max(1, Math.ceil(n / 6));
  input.points.forEach((point, i) => {
    if (i % every === 0 || i === n - 1) {
      parts.push(`<text class="axis" x="${round(x(i))}" y="${HEIGHT - PAD.bottom + 18}" text-anchor="middle">${shortDate(point.weekEnd)}</text>`);
    }
  });
  parts.push(`<line class="target" x1="${PAD.left}" x2="${WIDTH - PAD.right}" y1="${round(y(input.targetPercent))}" y2="${round(y(input.targetPercent))}"/>`);
  parts.push(`<text class="target-label" x="${WIDTH - PAD.right}" y="${round(y(input.targetPercent) - 5)}" text-anchor="end">Chỉ tiêu ${input.targetPercent}%</text>`);
  if (input.expected?.some((v) => v !== null)) {
    parts.push(`<path class="expected" d="${linePath(input.expected, x, y)}"/>`);
  }
  const values = input.points.map((p) => p.percent);
  parts.push(`<path class="actual" d="${linePath(values, x, y)}"/>`);
  values.forEach((value, i) => {
    if (value !== null) parts.push(`<circle class="dot" cx="${round(x(i))}" cy="${round(y(value))}" r="3"><title>${shortDate(input.points[i]!.weekEnd)}: ${value}%</title></circle>`);
  });
  const last = [...values].reverse().find((v) => v !== null);
  const summary = `${input.title}: ${last === undefined ? 'chưa có số liệu' : `${last}%`} tuần gần nhất, chỉ tiêu ${input.targetPercent}%`;
  return `<svg class="trend" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeXml(summary)}" xmlns="http://www.w3.org/2000/svg">${parts.join('')}</svg>`;
}
