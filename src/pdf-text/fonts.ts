import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import PDFDocument from 'pdfkit';
import type { FontWeight } from './fit-text.js';

/**
 * Be Vietnam Pro (OFL) from `@expo-google-fonts/be-vietnam-pro`: full TTF files with every Vietnamese
 * letter. pdfkit's built-in fonts have none, and `@fontsource` splits fonts by character range, so
 * missing letters would print blank without an error. The bytes are read and parsed once per process and
 * shared by every document (see registerPdfFonts); pdfkit embeds only the glyphs a document uses.
 */

const require = createRequire(import.meta.url);

const FONT_FILES: Readonly<Record<FontWeight, string>> = {
  regular: '@expo-google-fonts/be-vietnam-pro/400Regular/BeVietnamPro_400Regular.ttf',
  bold: '@expo-google-fonts/be-vietnam-pro/700Bold/BeVietnamPro_700Bold.ttf',
};

/** The names fonts are registered under in every sticker document. */
export const FONT_NAMES: Readonly<Record<FontWeight, string>> = {
  regular: 'BeVietnamPro-Regular',
  bold: 'BeVietnamPro-Bold',
};

/**
 * Vertical metrics of both weights, as fractions of the font size (hhea ascender 1000, descender
 * -265 per 1000 units): used to place baselines so a line's letters, diacritics included, sit centred.
 */
export const FONT_ASCENT = 1;
export const FONT_DESCENT = 0.265;

let cached: Readonly<Record<FontWeight, Buffer>> | undefined;

/** The TTF bytes of both weights, read from disk on first use only. */
export function pdfFontBytes(): Readonly<Record<FontWeight, Buffer>> {
  cached ??= {
    regular: readFileSync(require.resolve(FONT_FILES.regular)),
    bold: readFileSync(require.resolve(FONT_FILES.bold)),
  };
  return cached;
}

/** The part of pdfkit's EmbeddedFont (0.17, not exported) used here. */
interface PdfkitEmbeddedFont {
  readonly name: string;
  /** The parsed fontkit font the EmbeddedFont draws with. */
  readonly font: object;
  /** Shaped words by text (absent when the document was made with `fontLayoutCache: false`). */
  layoutCache?: Record<string, unknown>;
}
type EmbeddedFontClass = new (doc: PDFKit.PDFDocument, font: object, id: string) => PdfkitEmbeddedFont;

/** The fields of a pdfkit document (0.17) the shared fonts are installed into. */
interface PdfkitFontTables {
  _fontFamilies?: Record<string, PdfkitEmbeddedFont>;
  _fontCount?: number;
  _font?: PdfkitEmbeddedFont | null;
}

interface SharedFonts {
  readonly EmbeddedFont: EmbeddedFontClass;
  readonly parsed: Readonly<Record<FontWeight, object>>;
}

/**
 * pdfkit's default font option: null opens none. Without it every new document reads and parses
 * Helvetica's metrics file (~5 ms, more than a whole sticker) for a font our PDFs never use.
 */
const NO_DEFAULT_FONT = null as unknown as string;

let shared: SharedFonts | null | undefined;

/**
 * Both weights parsed once per process, by pdfkit itself: a throwaway document opens each from its bytes
 * (pdfkit's own fontkit.create, the only parse), and keeps the parsed fontkit font and pdfkit's EmbeddedFont
 * class, which pdfkit does not export. Parsing a 200 KB TTF and decoding its cmap, metrics and layout tables
 * cost more than drawing a whole sticker; a parsed font is read-only while drawing (fontkit caches glyphs and
 * tables, all synchronous), so every document can draw with it. Null when a pdfkit upgrade changed these
 * internals: documents then register the bytes and parse the font themselves, as before.
 */
function sharedFonts(): SharedFonts | null {
  if (shared !== undefined) return shared;
  const bytes = pdfFontBytes();
  const probe = new PDFDocument({ autoFirstPage: false, font: NO_DEFAULT_FONT });
  const internals = probe as unknown as PdfkitFontTables;
  const parsed: Partial<Record<FontWeight, object>> = {};
  let EmbeddedFont: EmbeddedFontClass | undefined;
  for (const weight of ['regular', 'bold'] as const) {
    probe.registerFont(FONT_NAMES[weight], bytes[weight]);
    probe.font(FONT_NAMES[weight]);
    const font = internals._font;
    if (font && typeof font.font === 'object') {
      parsed[weight] = font.font;
      EmbeddedFont = font.constructor as EmbeddedFontClass;
    }
  }
  const { regular, bold } = parsed;
  const usable = typeof internals._fontCount === 'number' && typeof internals._fontFamilies === 'object';
  const found: SharedFonts | null =
    usable && EmbeddedFont && regular && bold ? { EmbeddedFont, parsed: { regular, bold } } : null;
  shared = found;
  return found;
}

/**
 * Shaped words shared by every document, per weight: the titles, check line, bank and site names of one
 * sticker are the next sticker's too, and shaping a word (OpenType substitution and positioning) is a good
 * part of a single sticker's cost. A shaped run holds the font's glyph ids and unscaled positions; pdfkit
 * copies before it changes one (word spacing), and which glyphs a document embeds is decided when it encodes
 * the run, per document — so sharing runs shares no subset. Started afresh past this many words, so unique
 * serials and names do not grow it.
 */
const SHARED_SHAPED_WORDS_LIMIT = 5000;
const sharedShapedWords: Record<FontWeight, Record<string, unknown>> = {
  regular: Object.create(null) as Record<string, unknown>,
  bold: Object.create(null) as Record<string, unknown>,
};

function shapedWordsFor(weight: FontWeight): Record<string, unknown> {
  if (Object.keys(sharedShapedWords[weight]).length > SHARED_SHAPED_WORDS_LIMIT)
    sharedShapedWords[weight] = Object.create(null) as Record<string, unknown>;
  return sharedShapedWords[weight];
}

/**
 * Installs both weights in `doc` under FONT_NAMES, drawn with the fonts parsed once per process, and makes
 * the regular weight current. Each document gets its own pdfkit EmbeddedFont (pdfkit's "F1", "F2"), hence its
 * own glyph subset, widths and ToUnicode map (only shaped words are shared, see above): two documents drawn
 * at once embed exactly the glyphs each used. This is what `doc.font(name)` would do with a font it had
 * opened itself (put it in `_fontFamilies` under the name and the PostScript name), minus the parse.
 */
export function registerPdfFonts(doc: PDFKit.PDFDocument): void {
  const fonts = sharedFonts();
  const tables = doc as unknown as PdfkitFontTables;
  if (fonts && tables._fontFamilies && typeof tables._fontCount === 'number') {
    for (const weight of ['regular', 'bold'] as const) {
      tables._fontCount += 1;
      const embedded = new fonts.EmbeddedFont(doc, fonts.parsed[weight], `F${tables._fontCount}`);
      if (embedded.layoutCache) embedded.layoutCache = shapedWordsFor(weight);
      tables._fontFamilies[FONT_NAMES[weight]] = embedded;
      tables._fontFamilies[embedded.name] = embedded;
    }
  } else {
    const bytes = pdfFontBytes();
    doc.registerFont(FONT_NAMES.regular, bytes.regular);
    doc.registerFont(FONT_NAMES.bold, bytes.bold);
  }
  doc.font(FONT_NAMES.regular);
}

/**
 * A pdfkit document with both weights installed (registerPdfFonts) and no default font opened: every PDF
 * the app makes starts here.
 */
export function createPdfDocument(options: PDFKit.PDFDocumentOptions): PDFKit.PDFDocument {
  const doc = new PDFDocument({ ...options, font: NO_DEFAULT_FONT });
  registerPdfFonts(doc);
  return doc;
}

/**
 * Both weights as parsed fontkit fonts, the very objects every document draws with (null after a pdfkit
 * upgrade changed the internals used here): for questions about the font itself (glyph-coverage.ts).
 */
export function parsedPdfFonts(): Readonly<Record<FontWeight, object>> | null {
  return sharedFonts()?.parsed ?? null;
}

/** True when documents draw with the fonts parsed once per process (for tests: false means a pdfkit upgrade). */
export function pdfFontsShared(): boolean {
  return sharedFonts() !== null;
}

/** The parsed fontkit font of `weight` a document draws with (for tests). */
export function parsedFontOf(doc: PDFKit.PDFDocument, weight: FontWeight): object | undefined {
  return (doc as unknown as PdfkitFontTables)._fontFamilies?.[FONT_NAMES[weight]]?.font;
}

/** What pdfkit keeps per embedded font (0.17): the shaped glyph run of every word drawn so far. */
interface PdfkitFontInternals {
  layoutCache?: Record<string, unknown>;
}

/**
 * Empties pdfkit's per-font cache of shaped words. pdfkit keeps every word it has drawn for the life of
 * the document, so 5,000 stickers with unique serials and verification codes grow it by ~3.5 KB per
 * sticker; its only switch (`fontLayoutCache: false`) re-shapes every word and halves throughput.
 * Emptying it now and then keeps memory flat and the cache warm for the words repeated on every sticker.
 * The field is private: if a pdfkit upgrade renames it this does nothing, and the memory test fails.
 */
export function forgetShapedWords(doc: PDFKit.PDFDocument): void {
  const families = (doc as unknown as { _fontFamilies?: Record<string, PdfkitFontInternals> })._fontFamilies;
  for (const font of Object.values(families ?? {})) {
    if (font.layoutCache && typeof font.layoutCache === 'object')
      font.layoutCache = Object.create(null) as Record<string, unknown>;
  }
}

/** How many shaped words pdfkit holds for `doc` (for tests of the above). */
export function shapedWordCount(doc: PDFKit.PDFDocument): number {
  const families = (doc as unknown as { _fontFamilies?: Record<string, PdfkitFontInternals> })._fontFamilies;
  // The same font object is listed under its registered name and its PostScript name: count each once.
  const fonts = new Set(Object.values(families ?? {}));
  let count = 0;
  for (const font of fonts) count += Object.keys(font.layoutCache ?? {}).length;
  return count;
}
