/** The funnel as a server-side SVG: every label and number inside the view box, readable on a phone. */
import type { Funnel } from '../adoption/adoption-types.js';
import { funnelGeometry, WEB_FUNNEL_SIZE } from '../charts/funnel-chart.js';

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function funnelSvg(funnel: Funnel): string {
  const chart = funnelGeometry(funnel, WEB_FUNNEL_SIZE);
  const parts: string[] = [];
  for (const row of chart.rows) {
    parts.push(`<text class="funnel-label" x="0" y="${row.textY}">${escapeXml(row.label)}</text>`);
    parts.push(
      `<text class="funnel-value" x="${chart.width}" y="${row.textY}" text-anchor="end">${escapeXml(row.value)}</text>`,
    );
    parts.push(
      `<rect class="funnel-track" x="0" y="${row.barY}" width="${chart.width}" height="${chart.barHeight}" rx="3"/>`,
    );
    parts.push(
      `<rect class="funnel-bar" x="0" y="${row.barY}" width="${row.barWidth}" height="${chart.barHeight}" rx="3"/>`,
    );
  }
  return (
    `<svg class="funnel" viewBox="0 0 ${chart.width} ${chart.height}" role="img" ` +
    `aria-label="${escapeXml(chart.summary)}" xmlns="http://www.w3.org/2000/svg">${parts.join('')}</svg>`
  );
}
