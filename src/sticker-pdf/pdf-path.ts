/**
 * Puts an SVG path — the QR path from `qrPathCommands` — into a pdfkit page as PDF path operators in
 * one content write. `doc.path(d)` does the same drawing, but parses the string and writes every
 * operator as a Buffer of its own: ~1,250 writes and ~1.6 ms for one version-5 QR, more than everything
 * else on a sticker together. Closed axis-aligned rectangles (each QR run is one) are written with PDF's
 * `re` operator, a third of the bytes of move–line–line–line–close for the same geometry.
 *
 * Supports the absolute and relative M, L, H, V and Z commands (no curves; anything else is a
 * SyntaxError). `re` fixes the winding direction, so the fill is the same only while subpaths do not
 * overlap, as QR runs never do.
 */

/** As pdfkit prints numbers: at most six decimals, so relative steps do not print float noise (0.30000000000000004). */
function num(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 1e6) / 1e6);
}

/**
 * True when the closed subpath `xy` (flat: x0 y0 x1 y1 …) has four corners and axis-aligned sides, in
 * either order (across first or down first), with or without repeating its first corner at the end.
 */
function isRectangle(xy: readonly number[]): boolean {
  const corners = xy.length === 10 && xy[8] === xy[0] && xy[9] === xy[1] ? 4 : xy.length / 2;
  if (corners !== 4) return false;
  const [ax, ay, bx, by, cx, cy, dx, dy] = xy as [number, number, number, number, number, number, number, number];
  return (ay === by && bx === cx && cy === dy && dx === ax) || (ax === bx && by === cy && cx === dx && dy === ay);
}

function subpathOperators(xy: readonly number[], closed: boolean): string {
  if (closed && isRectangle(xy)) {
    const [ax, ay, , , cx, cy] = xy as [number, number, number, number, number, number];
    return `${num(Math.min(ax, cx))} ${num(Math.min(ay, cy))} ${num(Math.abs(cx - ax))} ${num(Math.abs(cy - ay))} re\n`;
  }
  let operators = `${num(xy[0] as number)} ${num(xy[1] as number)} m\n`;
  for (let i = 2; i + 1 < xy.length; i += 2) operators += `${num(xy[i] as number)} ${num(xy[i + 1] as number)} l\n`;
  return closed ? `${operators}h\n` : operators;
}

const isDigit = (code: number) => code >= 48 && code <= 57;

/** True when the character at `code` continues a number whose previous character is `previous`. */
function continuesNumber(code: number, previous: number): boolean {
  if (isDigit(code) || code === 46 /* . */ || code === 101 /* e */ || code === 69 /* E */) return true;
  // A sign continues a number only as an exponent's sign ("1e-3"); otherwise it starts the next one ("3-5").
  return (code === 45 || code === 43) && (previous === 101 || previous === 69);
}

/**
 * Reads the number starting at `start`; returns its end index, the value in `found.value`. Plain
 * integers (all a QR path in module units holds) are read in one pass without a substring.
 */
function readNumber(text: string, start: number, found: { value: number }): number {
  let end = start;
  const sign = text.charCodeAt(end);
  if (sign === 45 || sign === 43) end++;
  let value = 0;
  const digitsFrom = end;
  for (let code = text.charCodeAt(end); isDigit(code); code = text.charCodeAt(++end)) value = value * 10 + (code - 48);
  const next = text.charCodeAt(end);
  if (end > digitsFrom && next !== 46 && next !== 101 && next !== 69) {
    found.value = sign === 45 ? -value : value;
    return end;
  }
  end = start + 1;
  while (end < text.length && continuesNumber(text.charCodeAt(end), text.charCodeAt(end - 1))) end++;
  found.value = Number(text.slice(start, end));
  return end;
}

/** SVG path command letters, lower-cased (relative commands are the lower-case ones). */
const MOVE = 109; // m
const LINE = 108; // l
const HORIZONTAL = 104; // h
const VERTICAL = 118; // v
const CLOSE = 122; // z

/**
 * The PDF path operators (one per line) for `d`, in the same coordinates. A hand-written scanner over
 * character codes rather than regular expressions and substrings: it runs twice per sticker, over
 * ~1,500 numbers each time.
 */
export function svgPathToPdfOperators(d: string): string {
  let operators = '';
  const subpath: number[] = [];
  const number = { value: 0 };
  let command = 0;
  let relative = false;
  let argument = 0;
  let pendingX = 0;
  let x = 0;
  let y = 0;
  let startX = 0;
  let startY = 0;

  for (let i = 0; i < d.length; ) {
    const code = d.charCodeAt(i);
    if (code === 32 || code === 44 || code === 9 || code === 10 || code === 13) {
      i++;
      continue;
    }
    if (!isDigit(code) && code !== 45 && code !== 43 && code !== 46) {
      command = code | 0x20;
      relative = code === command;
      argument = 0;
      if (command === CLOSE) {
        if (subpath.length > 0) operators += subpathOperators(subpath, true);
        subpath.length = 0;
        x = startX;
        y = startY;
      } else if (command !== MOVE && command !== LINE && command !== HORIZONTAL && command !== VERTICAL) {
        throw new SyntaxError(`Lệnh đường vẽ không được hỗ trợ: ${d.charAt(i)}`);
      }
      i++;
      continue;
    }
    if (command === 0 || command === CLOSE) throw new SyntaxError('Đường vẽ có số nằm ngoài lệnh.');
    i = readNumber(d, i, number);
    const value = number.value;
    if (command === HORIZONTAL) {
      x = relative ? x + value : value;
    } else if (command === VERTICAL) {
      y = relative ? y + value : value;
    } else if (argument++ % 2 === 0) {
      pendingX = value; // M and L take pairs: wait for y
      continue;
    } else {
      x = relative ? x + pendingX : pendingX;
      y = relative ? y + value : value;
      // The first pair of a moveto starts a new subpath; further pairs are linetos, as in SVG.
      if (command === MOVE && argument === 2) {
        if (subpath.length > 0) operators += subpathOperators(subpath, false);
        subpath.length = 0;
        startX = x;
        startY = y;
      }
    }
    subpath.push(x, y);
  }
  if (subpath.length > 0) operators += subpathOperators(subpath, false);
  return operators.trimEnd();
}

/**
 * Fills `d` in `color` on the current page, under the current transform. The colour is set before the
 * path: PDF allows no colour operator between a path's construction and its painting.
 */
export function fillSvgPath(doc: PDFKit.PDFDocument, d: string, color: string): void {
  const operators = svgPathToPdfOperators(d);
  if (operators === '') return;
  doc.fillColor(color);
  doc.addContent(operators);
  doc.fill();
}
