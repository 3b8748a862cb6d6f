/**
 * The weekly coverage trend as a server-side SVG: no JavaScript, prints as it shows, readable on a phone.
 * Pure: points in, markup out. Every value is a number or escaped text.
 */
import {
  roundCoordinate,
  shortDate,
  trendChartGeometry,
  WEB_CHART_SIZE,
  type TrendChartInput,
} from '../charts/trend-chart.js';

export type { TrendChartInput, TrendPoint } from '../charts/trend-chart.js';

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function trendChartSvg(input: TrendChartInput): string {
  const chart = trendChartGeometry(input, WEB_CHART_SIZE);
  const parts: string[] = [];
  for (const line of chart.grid) {
    parts.push(`<line class="grid" x1="${line.x1}" x2="${line.x2}" y1="${line.y}" y2="${line.y}"/>`);
    parts.push(
      `<text class="axis" x="${line.labelX}" y="${roundCoordinate(line.y + 4)}" text-anchor="end">${line.label}</text>`,
    );
  }
  for (const label of chart.weekLabels) {
    parts.push(`<text class="axis" x="${label.x}" y="${label.y}" text-anchor="middle">${label.text}</text>`);
  }
  const { target } = chart;
  parts.push(`<path class="target" d="${target.path}"/>`);
  parts.push(
    `<text class="target-label" x="${target.x2}" y="${roundCoordinate(target.y - 5)}" text-anchor="end">` +
      `${target.label}</text>`,
  );
  if (chart.expectedPath) parts.push(`<path class="expected" d="${chart.expectedPath}"/>`);
  parts.push(`<path class="actual" d="${chart.actualPath ?? ''}"/>`);
  for (const dot of chart.dots) {
    parts.push(
      `<circle class="dot" cx="${dot.x}" cy="${dot.y}" r="3">` +
        `<title>${shortDate(dot.weekEnd)}: ${dot.percent}%</title></circle>`,
    );
  }
  return `<svg class="trend" viewBox="0 0 ${chart.width} ${chart.height}" role="img" aria-label="${escapeXml(chart.summary)}" xmlns="http://www.w3.org/2000/svg">${parts.join('')}</svg>`;
}
