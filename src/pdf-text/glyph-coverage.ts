import { createRequire } from 'node:module';
import { parsedPdfFonts, pdfFontBytes } from './fonts.js';

/**
 * Which characters the PDFs can draw: a character the embedded font (Be Vietnam Pro) has no glyph for prints
 * as a blank gap without any error (an emoji in a stall label), so printed fields refuse it at entry. Asks
 * fontkit, the font engine pdfkit draws with, about both weights the sticker and the report use.
 */

/** The part of fontkit used here (it ships no types). */
interface FontkitFont {
  hasGlyphForCodePoint(codePoint: number): boolean;
}
interface Fontkit {
  create(buffer: Buffer): FontkitFont;
}

// fontkit is pdfkit's own dependency: resolved from pdfkit, so it is the very engine that draws the PDFs.
const requireFromPdfkit = createRequire(createRequire(import.meta.url).resolve('pdfkit'));

let fonts: readonly FontkitFont[] | undefined;
const answers = new Map<number, boolean>();

/** True when both weights of the PDF font draw the code point. The fonts are opened on first use only. */
export function pdfFontCanDraw(codePoint: number): boolean {
  const known = answers.get(codePoint);
  if (known !== undefined) return known;
  if (!fonts) {
    // The fonts the PDFs draw with, parsed once per process (fonts.ts); parsed here only if those are unavailable.
    const shared = parsedPdfFonts() as Readonly<Record<'regular' | 'bold', FontkitFont>> | null;
    if (shared) fonts = [shared.regular, shared.bold];
    else {
      const fontkit = requireFromPdfkit('fontkit') as Fontkit;
      const bytes = pdfFontBytes();
      fonts = [fontkit.create(bytes.regular), fontkit.create(bytes.bold)];
    }
  }
  const drawable = fonts.every((font) => font.hasGlyphForCodePoint(codePoint));
  answers.set(codePoint, drawable);
  return drawable;
}
