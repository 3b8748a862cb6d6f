import { execFileSync } from 'node:child_process';
import jsQR from 'jsqr';
import pngjs from 'pngjs';
import type { Test } from 'supertest';
import type { Box } from '../../src/sticker-pdf/index.js';

/**
 * Reading our PDFs the way a person and a phone would: text through poppler's pdftotext, pages through
 * pdftoppm, QR codes through jsQR. poppler-utils is a Debian package (CI installs it).
 */

const POPPLER_HINT = 'poppler-utils is missing: apt-get install -y poppler-utils';

function poppler(tool: string, args: string[], input: Buffer): Buffer {
  try {
    return execFileSync(tool, args, { input, maxBuffer: 256 * 1024 * 1024 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(POPPLER_HINT);
    throw error;
  }
}

/**
 * The text of every page, in reading order of each page's layout; pages separated by form feeds.
 * `layout` keeps the physical layout (columns side by side), as `pdftotext -layout` does.
 */
export function pdfText(pdf: Buffer, options: { layout?: boolean } = {}): string {
  return poppler('pdftotext', ['-enc', 'UTF-8', ...(options.layout ? ['-layout'] : []), '-', '-'], pdf)
    .toString('utf8')
    .normalize('NFC');
}

export function pdfTextOfPage(pdf: Buffer, page: number): string {
  return poppler('pdftotext', ['-enc', 'UTF-8', '-f', String(page), '-l', String(page), '-', '-'], pdf).toString(
    'utf8',
  );
}

/** `pdfinfo` fields ("Title", "Author", "Pages", …). */
export function pdfInfo(pdf: Buffer): Record<string, string> {
  const text = poppler('pdfinfo', ['-isodates', '-'], pdf).toString('utf8');
  return Object.fromEntries(
    text
      .split('\n')
      .map((line) => /^([^:]+):\s*(.*)$/.exec(line))
      .filter((match): match is RegExpExecArray => match !== null)
      .map((match) => [match[1] as string, match[2] as string]),
  );
}

export interface PageImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
  readonly dpi: number;
}

/** One page as RGBA pixels, rendered like `pdftoppm -r <dpi> -png`. */
export function renderPage(pdf: Buffer, page: number, dpi = 150): PageImage {
  const png = poppler(
    'pdftoppm',
    ['-r', String(dpi), '-png', '-f', String(page), '-l', String(page), '-singlefile', '-'],
    pdf,
  );
  const image = pngjs.PNG.sync.read(png);
  return { width: image.width, height: image.height, data: image.data, dpi };
}

/** The pixels inside `region` (in PDF points, clipped to the image). */
export function crop(image: PageImage, region: Box): PageImage {
  const scale = image.dpi / 72;
  const x0 = Math.max(0, Math.floor(region.x * scale));
  const y0 = Math.max(0, Math.floor(region.y * scale));
  const x1 = Math.min(image.width, Math.ceil((region.x + region.width) * scale));
  const y1 = Math.min(image.height, Math.ceil((region.y + region.height) * scale));
  const width = x1 - x0;
  const height = y1 - y0;
  const data = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    const from = ((y0 + y) * image.width + x0) * 4;
    data.set(image.data.subarray(from, from + width * 4), y * width * 4);
  }
  return { width, height, data, dpi: image.dpi };
}

/** The text of the QR code jsQR finds in the image, or null. */
export function readQr(image: PageImage): string | null {
  const clamped = new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  // jsqr is CommonJS: under NodeNext its default import is the module object, whose `default` is the function.
  return jsQR.default(clamped, image.width, image.height, { inversionAttempts: 'dontInvert' })?.data ?? null;
}

/** supertest buffers a binary body (a PDF, an XLSX) only when given a parser that keeps the bytes. */
export function binaryBody(request: Test): Test {
  return request.buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on('data', (chunk: Buffer) => chunks.push(chunk));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  });
}
