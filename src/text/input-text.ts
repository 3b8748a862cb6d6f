/**
 * The one normaliser for free text a person types (web forms, the CLI, list imports). Pure.
 *
 * It converts to NFC and trims (whitespace, NBSP, zero-width characters and the BOM at the ends), collapses
 * inner whitespace (one-line fields) or keeps line breaks (multi-line fields, the textareas), and REFUSES —
 * never strips — what a reader cannot see: control characters, bidi controls, zero-width and other format
 * characters inside the text, and a value made only of them. Over-long text is refused with the limit and the
 * length, never cut. For a printed field it also refuses a character the PDF font cannot draw (the check is
 * injected: this module knows nothing of fonts).
 *
 * Decisions:
 * - ZWJ/ZWNJ (U+200D/U+200C) are refused like the other zero-width characters: Vietnamese never needs them, and
 *   inside a label they only make two equal-looking labels different. (An emoji sequence joined by ZWJ is
 *   refused too, with the same message.)
 * - Tab, line feed, carriage return, vertical tab and form feed are whitespace, not hidden controls: trimmed at
 *   the ends and collapsed to one space in one-line fields (a value pasted from a spreadsheet or a trailing
 *   newline from a terminal stays usable); a multi-line field keeps its line breaks (CRLF and CR become LF, at
 *   most one blank line in a row) and collapses other whitespace runs within each line.
 * - Length counts Unicode characters (code points) after NFC, as SQLite's length() does for the schema's checks.
 */

export interface TextRule {
  /** The field as messages name it, capitalised: "Số sạp", "Tên cơ sở". */
  readonly name: string;
  /** The most characters accepted (code points, after normalising). */
  readonly max: number;
  /** A textarea: line breaks are kept. */
  readonly multiline?: boolean;
  /**
   * For a printed field: true when the PDF font draws the code point, and where the text is printed
   * ("trên tem"). Whitespace is never asked about.
   */
  readonly printed?: { readonly canDraw: (codePoint: number) => boolean; readonly where: string };
}

export type TextProblem =
  | { readonly kind: 'control'; readonly codePoint: number }
  | { readonly kind: 'bidi'; readonly codePoint: number }
  | { readonly kind: 'format'; readonly codePoint: number }
  | { readonly kind: 'zero_width'; readonly codePoint: number }
  | { readonly kind: 'invisible_only'; readonly codePoint: number }
  | { readonly kind: 'too_long'; readonly length: number; readonly max: number }
  | { readonly kind: 'unprintable'; readonly character: string; readonly codePoint: number };

export type TextResult =
  | { readonly ok: true; readonly value: string }
  | { readonly ok: false; readonly problem: TextProblem; readonly message: string };

/** Invisible and zero-width: trimmed at the ends, refused inside. U+180E was a space before Unicode 6.3. */
const ZERO_WIDTH = new Set([0x200b, 0x200c, 0x200d, 0x2060, 0xfeff, 0x180e]);
/** Characters that reorder the text around them (Trojan Source): refused anywhere. */
const BIDI = new Set([0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069, 0x200e, 0x200f, 0x061c]);
/** Control characters that are whitespace (tab, LF, VT, FF, CR): spacing a reader sees, not a hidden control. */
const WHITESPACE_CONTROLS = new Set([0x09, 0x0a, 0x0b, 0x0c, 0x0d]);

const CONTROL = /\p{Cc}/u;
const FORMAT = /\p{Cf}/u;
const SURROGATE = /\p{Cs}/u;
const WHITESPACE = /\s/u;

/** "U+001B": how a message names a character nobody can see. */
export function codePointName(codePoint: number): string {
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** 10000 → "10.000", as Vietnamese writes counts. */
function count(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

/** The Vietnamese sentence shown next to the field. */
export function textProblemMessage(problem: TextProblem, rule: TextRule): string {
  switch (problem.kind) {
    case 'control':
      return `Có ký tự điều khiển không nhìn thấy (${codePointName(problem.codePoint)}) — hãy gõ lại.`;
    case 'bidi':
      return `Có ký tự đảo chiều chữ không nhìn thấy (${codePointName(problem.codePoint)}) — hãy gõ lại.`;
    case 'format':
      return `Có ký tự định dạng không nhìn thấy (${codePointName(problem.codePoint)}) — hãy gõ lại.`;
    case 'zero_width':
      return `Có ký tự không nhìn thấy (${codePointName(problem.codePoint)}) giữa các chữ — hãy gõ lại.`;
    case 'invisible_only':
      return `${rule.name} chỉ có ký tự không nhìn thấy (${codePointName(problem.codePoint)}) — hãy gõ lại.`;
    case 'too_long':
      return `${rule.name} dài quá ${count(problem.max)} ký tự (đang có ${count(problem.length)}) — hãy viết ngắn lại.`;
    case 'unprintable':
      return `Không in được ký tự “${problem.character}” ${rule.printed?.where ?? 'trên tem'} — hãy bỏ ký tự này.`;
  }
}

/** The first character a reader cannot see or that is not text, or undefined. */
function hiddenCharacter(text: string): TextProblem | undefined {
  for (const character of text) {
    const codePoint = character.codePointAt(0)!;
    if (BIDI.has(codePoint)) return { kind: 'bidi', codePoint };
    if (CONTROL.test(character) && !WHITESPACE_CONTROLS.has(codePoint)) return { kind: 'control', codePoint };
    // A lone surrogate (only from JSON or the CLI: form bodies decode bad UTF-8 to U+FFFD) is no character at all.
    if (SURROGATE.test(character)) return { kind: 'control', codePoint };
    if (FORMAT.test(character) && !ZERO_WIDTH.has(codePoint)) return { kind: 'format', codePoint };
  }
  return undefined;
}

function isTrimmable(character: string): boolean {
  return WHITESPACE.test(character) || ZERO_WIDTH.has(character.codePointAt(0)!);
}

/** Without whitespace and zero-width characters at either end. */
function trimEnds(text: string): string {
  const characters = [...text];
  let start = 0;
  let end = characters.length;
  while (start < end && isTrimmable(characters[start]!)) start++;
  while (end > start && isTrimmable(characters[end - 1]!)) end--;
  return characters.slice(start, end).join('');
}

function collapse(text: string, multiline: boolean): string {
  if (!multiline) return text.replace(/\s+/gu, ' ');
  return text
    .replace(/\r\n?|[\u2028\u2029]/g, '\n')
    .split('\n')
    .map((line) => trimEnds(line.replace(/[^\S\n]+/gu, ' ')))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n');
}

function refused(problem: TextProblem, rule: TextRule): TextResult {
  return { ok: false, problem, message: textProblemMessage(problem, rule) };
}

/** The text as kept, or why it is refused. A non-string (absent field) is the empty text. */
export function normaliseText(raw: unknown, rule: TextRule): TextResult {
  const text = typeof raw === 'string' ? raw.normalize('NFC') : '';
  const hidden = hiddenCharacter(text);
  if (hidden) return refused(hidden, rule);

  const trimmed = trimEnds(text);
  if (trimmed === '') {
    const invisible = [...text].find((character) => ZERO_WIDTH.has(character.codePointAt(0)!));
    return invisible ? refused({ kind: 'invisible_only', codePoint: invisible.codePointAt(0)! }, rule) : ok('');
  }
  const inside = [...trimmed].find((character) => ZERO_WIDTH.has(character.codePointAt(0)!));
  if (inside) return refused({ kind: 'zero_width', codePoint: inside.codePointAt(0)! }, rule);

  const value = collapse(trimmed, rule.multiline === true);
  const length = [...value].length;
  if (length > rule.max) return refused({ kind: 'too_long', length, max: rule.max }, rule);

  if (rule.printed) {
    for (const character of value) {
      const codePoint = character.codePointAt(0)!;
      if (!WHITESPACE.test(character) && !rule.printed.canDraw(codePoint))
        return refused({ kind: 'unprintable', character, codePoint }, rule);
    }
  }
  return ok(value);
}

function ok(value: string): TextResult {
  return { ok: true, value };
}
