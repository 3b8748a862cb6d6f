import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { FontWeight } from './fit-text.js';

/**
 * Be Vietnam Pro (OFL) from `@expo-google-fonts/be-vietnam-pro`: full TTF files with every Vietnamese
 * letter. pdfkit's built-in fonts have none, and `@fontsource` splits fonts by character range, so
 * missing letters would print blank without an error. The bytes are read once per process and
 * registered with each document; pdfkit embeds only the glyphs a document uses.
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

/** Registers both weights with a pdfkit document under FONT_NAMES. */
export function registerPdfFonts(doc: PDFKit.PDFDocument): void {
  const bytes = pdfFontBytes();
  doc.registerFont(FONT_NAMES.regular, bytes.regular);
  doc.registerFont(FONT_NAMES.bold, bytes.bold);
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
