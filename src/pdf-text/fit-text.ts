/**
 * Fits a piece of text into a box: the largest font size (in 0.25 pt steps) at which the words,
 * wrapped greedily, fit the box's width on at most `maxLines` lines within its height. Pure: the width
 * of a string comes from an injected `measure` (pdfkit's `widthOfString` when drawing; an approximate
 * or real-metrics measurer in tests).
 *
 * When the text does not fit even at `minSize` on `maxLines` lines, it is never clipped:
 *   1. first it wraps onto as many lines as the box height holds at `minSize` (fallback 'extra-lines'),
 *      because a long holder or business name is better a little crowded than unreadably small;
 *   2. only then does the size go below `minSize`, down to whatever fits (fallback 'below-minimum').
 * The result says which happened, so a caller can warn about a name too long for the sticker. A text
 * that would need a size under 0.5 pt is refused with a RangeError (that is bad data, not a name).
 *
 * Wrapped lines are balanced (as even as the same number of lines allows), so a long name does not
 * leave one word alone on its last line.
 */

/** The two weights of Be Vietnam Pro the PDFs embed. */
export type FontWeight = 'regular' | 'bold';

/** Width of `text` set at `fontSize`, in the same unit as the box. */
export type MeasureText = (text: string, fontSize: number) => number;

export interface FitTextRequest {
  readonly text: string;
  readonly width: number;
  readonly height: number;
  readonly maxSize: number;
  readonly minSize: number;
  readonly maxLines: number;
  readonly measure: MeasureText;
  /**
   * Line pitch as a multiple of the font size (default 1.25: Be Vietnam Pro's ascender + descender,
   * diacritics included).
   */
  readonly lineHeight?: number;
}

export interface FittedLine {
  readonly text: string;
  /** Measured width at the fitted size, for alignment. */
  readonly width: number;
}

export type FitFallback = 'none' | 'extra-lines' | 'below-minimum';

export interface FitTextResult {
  readonly size: number;
  /** Distance between baselines, in the box's unit. */
  readonly lineHeight: number;
  readonly lines: readonly FittedLine[];
  readonly fallback: FitFallback;
}

export const DEFAULT_LINE_HEIGHT = 1.25;
const SIZE_STEP = 0.25;
const SMALLEST_SIZE = 0.5;
const EPSILON = 1e-9;

/** Words and their widths at 1 pt. Advance widths scale linearly with the size, so each word is measured once. */
interface Words {
  readonly words: readonly string[];
  readonly widths: readonly number[];
  readonly space: number;
}

function measureWords(text: string, measure: MeasureText): Words {
  const words = text.split(' ').filter((word) => word !== '');
  return { words, widths: words.map((word) => measure(word, 1)), space: measure(' ', 1) };
}

/**
 * Greedy wrap at `size` into lines no wider than `width`; null when it takes more than `lineLimit` lines
 * or a single word is wider than the line.
 */
function wrap(words: Words, size: number, width: number, lineLimit: number): string[] | null {
  const limit = width / size + EPSILON;
  const lines: string[] = [];
  let current: string[] = [];
  let currentWidth = 0;
  for (let i = 0; i < words.words.length; i++) {
    const word = words.words[i] as string;
    const wordWidth = words.widths[i] as number;
    if (wordWidth > limit) return null;
    const widened = current.length === 0 ? wordWidth : currentWidth + words.space + wordWidth;
    if (widened <= limit) {
      current.push(word);
      currentWidth = widened;
      continue;
    }
    lines.push(current.join(' '));
    if (lines.length >= lineLimit) return null;
    current = [word];
    currentWidth = wordWidth;
  }
  if (current.length > 0) lines.push(current.join(' '));
  return lines.length <= lineLimit ? lines : null;
}

function linesThatFitHeight(height: number, size: number, lineHeight: number): number {
  return Math.floor(height / (size * lineHeight) + EPSILON);
}

/** The same number of lines at the narrowest width that still gives that many: evens out a ragged last line. */
function balance(words: Words, size: number, width: number, lines: string[]): string[] {
  if (lines.length < 2) return lines;
  let best = lines;
  let low = 0;
  let high = width;
  for (let i = 0; i < 16; i++) {
    const middle = (low + high) / 2;
    const narrower = wrap(words, size, middle, lines.length);
    if (narrower) {
      best = narrower;
      high = middle;
    } else {
      low = middle;
    }
  }
  return best;
}

/** Measures the chosen lines exactly (kerning, joined spaces) and shrinks a hair if rounding made one too wide. */
function finish(
  words: Words,
  wrapped: string[],
  size: number,
  request: FitTextRequest,
  lineHeight: number,
  fallback: FitFallback,
): FitTextResult {
  const lines = balance(words, size, request.width, wrapped);
  let fittedSize = size;
  let widths = lines.map((line) => request.measure(line, fittedSize));
  const widest = Math.max(0, ...widths);
  if (widest > request.width) {
    fittedSize = (size * request.width) / widest;
    widths = lines.map((line) => request.measure(line, fittedSize));
  }
  return {
    size: fittedSize,
    lineHeight: fittedSize * lineHeight,
    lines: lines.map((text, i) => ({ text, width: widths[i] as number })),
    fallback,
  };
}

function validate(request: FitTextRequest): void {
  const { width, height, maxSize, minSize, maxLines } = request;
  if (!(width > 0 && height > 0)) throw new RangeError('Khung chữ phải có kích thước dương.');
  if (!(minSize > 0 && maxSize >= minSize))
    throw new RangeError('Cỡ chữ tối thiểu phải dương và không lớn hơn cỡ tối đa.');
  if (!(Number.isInteger(maxLines) && maxLines >= 1)) throw new RangeError('Số dòng tối đa phải là số nguyên dương.');
}

export function fitText(request: FitTextRequest): FitTextResult {
  validate(request);
  const lineHeight = request.lineHeight ?? DEFAULT_LINE_HEIGHT;
  const words = measureWords(request.text.replace(/\s+/g, ' ').trim(), request.measure);
  if (words.words.length === 0)
    return { size: request.maxSize, lineHeight: request.maxSize * lineHeight, lines: [], fallback: 'none' };
  const { width, height, minSize, maxLines } = request;

  for (let size = request.maxSize; size >= minSize - EPSILON; size -= SIZE_STEP) {
    const lineLimit = Math.min(maxLines, linesThatFitHeight(height, size, lineHeight));
    const lines = lineLimit >= 1 ? wrap(words, size, width, lineLimit) : null;
    if (lines) return finish(words, lines, size, request, lineHeight, 'none');
  }

  const extra = wrap(words, minSize, width, linesThatFitHeight(height, minSize, lineHeight));
  if (extra) return finish(words, extra, minSize, request, lineHeight, 'extra-lines');

  const [lines, size] = shrinkBelowMinimum(words, request, lineHeight);
  return finish(words, lines, size, request, lineHeight, 'below-minimum');
}

/** Bisects for the largest size under `minSize` at which the text fits the box on any number of lines. */
function shrinkBelowMinimum(words: Words, request: FitTextRequest, lineHeight: number): [string[], number] {
  const fitsAt = (size: number) =>
    wrap(words, size, request.width, linesThatFitHeight(request.height, size, lineHeight));
  const smallest = fitsAt(SMALLEST_SIZE);
  if (!smallest) throw new RangeError(`Chữ quá dài cho khung, không thể in: "${request.text.slice(0, 40)}…"`);
  let low = SMALLEST_SIZE;
  let lowLines = smallest;
  let high = request.minSize;
  for (let i = 0; i < 30 && high - low > 0.01; i++) {
    const middle = (low + high) / 2;
    const lines = fitsAt(middle);
    if (lines) {
      low = middle;
      lowLines = lines;
    } else {
      high = middle;
    }
  }
  return [lowLines, low];
}
