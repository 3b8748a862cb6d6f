import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { FontWeight } from './sticker-layout.js';

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
export function stickerFontBytes(): Readonly<Record<FontWeight, Buffer>> {
  cached ??= {
    regular: readFileSync(require.resolve(FONT_FILES.regular)),
    bold: readFileSync(require.resolve(FONT_FILES.bold)),
  };
  return cached;
}

/** Registers both weights with a pdfkit document under FONT_NAMES. */
export function registerStickerFonts(doc: PDFKit.PDFDocument): void {
  const bytes = stickerFontBytes();
  doc.registerFont(FONT_NAMES.regular, bytes.regular);
  doc.registerFont(FONT_NAMES.bold, bytes.bold);
}
