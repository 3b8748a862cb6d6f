import { QUIET_ZONE } from './qr-matrix.js';
import type { QrMatrix } from './qr-matrix.js';
import { qrRuns } from './qr-runs.js';

/**
 * A compact SVG of a QR matrix for screens: one <path> in module units (the viewBox includes the
 * 4-module quiet zone), shape-rendering crispEdges so browsers do not anti-alias module edges into grey
 * seams that some phone scanners trip over. It scales with CSS; no fixed pixel size unless asked.
 */

export interface QrSvgOptions {
  /** Read by screen readers, e.g. "Mã VietQR của sạp 12". */
  ariaLabel?: string;
  /** Width and height attributes (e.g. 240 or "60mm"); omitted by default so CSS decides. */
  size?: number | string;
  /** Default black and white; a light of null leaves the background transparent. */
  dark?: string;
  light?: string | null;
  /** Quiet zone in modules, default 4; less is refused because scanners need it. */
  quietZone?: number;
  className?: string;
}

function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Path data in module units: one "M x y h n v1 h-n z" rectangle per horizontal run of dark modules. */
function runsPath(matrix: QrMatrix, offset: number): string {
  let d = '';
  for (const { x, y, length } of qrRuns(matrix)) d += `M${x + offset} ${y + offset}h${length}v1h-${length}z`;
  return d;
}

export function qrSvg(matrix: QrMatrix, options: QrSvgOptions = {}): string {
  const quiet = options.quietZone ?? QUIET_ZONE;
  if (!Number.isInteger(quiet) || quiet < QUIET_ZONE)
    throw new RangeError(`Vùng trống quanh mã QR phải ít nhất ${QUIET_ZONE} ô.`);
  const extent = matrix.size + 2 * quiet;
  const dark = escapeAttribute(options.dark ?? '#000');
  const light = options.light === undefined ? '#fff' : options.light;
  const attributes = [
    'xmlns="http://www.w3.org/2000/svg"',
    `viewBox="0 0 ${extent} ${extent}"`,
    options.size !== undefined
      ? `width="${escapeAttribute(String(options.size))}" height="${escapeAttribute(String(options.size))}"`
      : '',
    'shape-rendering="crispEdges"',
    'role="img"',
    options.ariaLabel !== undefined ? `aria-label="${escapeAttribute(options.ariaLabel)}"` : '',
    options.className !== undefined ? `class="${escapeAttribute(options.className)}"` : '',
  ].filter(Boolean);
  const background =
    light === null ? '' : `<rect width="${extent}" height="${extent}" fill="${escapeAttribute(light)}"/>`;
  return `<svg ${attributes.join(' ')}>${background}<path fill="${dark}" d="${runsPath(matrix, quiet)}"/></svg>`;
}
