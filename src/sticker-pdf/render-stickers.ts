import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { StickerData } from './sticker-content.js';
import { createPdfDocument, forgetShapedWords } from '../pdf-text/fonts.js';
import type { StickerFormat } from './sticker-formats.js';
import { sheetLayout } from './sticker-layout.js';
import type { Box, SheetLayout } from './sticker-layout.js';
import { drawCutMarks, StickerPainter } from './sticker-pdf.js';
import type { TextFallbackNote } from './sticker-pdf.js';

/**
 * Streams a batch of stickers as one PDF: pages are written to `out` as they are made, and the loop
 * waits for `out` between pages and yields to the event loop between stickers, so a whole market (5,000
 * stickers) prints in flat memory without holding the file or blocking the server's event loop for more
 * than one sticker at a time.
 */

export interface RenderOptions {
  /** The document's CreationDate; inject it for reproducible output (default: now). */
  readonly now?: Date;
  /** The document's Title (default names the format). */
  readonly title?: string;
}

export interface RenderResult {
  readonly pages: number;
  readonly stickers: number;
  /** Stickers whose text had to wrap onto extra lines or shrink below its minimum size to fit. */
  readonly textFallbacks: readonly TextFallbackNote[];
}

const FORMAT_TITLES: Readonly<Record<StickerFormat, string>> = {
  a6: 'A6',
  a5: 'A5',
  small: '80 × 120 mm',
  'a4-2x2': 'A4, 4 tem A6',
  'a4-8': 'A4, 8 tem A7',
};

function createDocument(sheet: SheetLayout, options: RenderOptions): PDFKit.PDFDocument {
  return createPdfDocument({
    autoFirstPage: false,
    compress: true,
    size: [sheet.page.width, sheet.page.height],
    margin: 0,
    lang: 'vi-VN',
    displayTitle: true,
    info: {
      Title: options.title ?? `Tem thanh toán VietQR (${FORMAT_TITLES[sheet.format]})`,
      Author: 'Phố QR',
      Creator: 'Phố QR',
      CreationDate: options.now ?? new Date(),
    },
  });
}

/** Remembers the first error `out` reports, so a failed write stops the loop instead of crashing the process. */
function watchForError(out: NodeJS.WritableStream): { check(): void; stop(): void } {
  let failure: unknown;
  const onError = (error: unknown) => {
    failure ??= error;
  };
  out.on('error', onError);
  return {
    check() {
      if (failure !== undefined) throw failure;
    },
    stop() {
      out.removeListener('error', onError);
    },
  };
}

function waitForDrain(out: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    const done = (error?: unknown) => {
      out.removeListener('drain', onDrain);
      out.removeListener('error', onError);
      out.removeListener('close', onClose);
      if (error === undefined) resolve();
      else reject(error);
    };
    const onDrain = () => done();
    const onError = (error: unknown) => done(error);
    const onClose = () => done(new Error('Luồng ghi tệp PDF đã đóng trước khi in xong.'));
    out.on('drain', onDrain);
    out.on('error', onError);
    out.on('close', onClose);
  });
}

/**
 * Every this many pages pdfkit's cache of shaped words is emptied (see forgetShapedWords):
 * bounded memory, warm cache.
 */
const PAGES_PER_SHAPE_CACHE = 32;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Yields to the event loop, then waits while the document holds more unsent data than its high-water
 * mark. pdfkit pushes every page into its readable buffer whatever the consumer's pace, so without this
 * wait a slow `out` (a phone on 3G) would let the whole PDF pile up in memory.
 */
async function yieldToConsumer(
  doc: PDFKit.PDFDocument,
  out: NodeJS.WritableStream,
  outErrors: { check(): void },
): Promise<void> {
  await nextTurn();
  outErrors.check();
  while (doc.readableLength > doc.readableHighWaterMark) {
    if ((out as Partial<Writable>).destroyed) throw new Error('Luồng ghi tệp PDF đã đóng trước khi in xong.');
    if ((out as Partial<Writable>).writableNeedDrain) await waitForDrain(out);
    else await nextTurn();
    outErrors.check();
  }
}

/**
 * Resolves once every byte has reached `out` (and `out` has flushed, unless it is stdout or stderr,
 * which pipe never ends). Rejects as soon as `out` fails or closes before finishing: the document then
 * never ends (pipe stops feeding a broken `out`), so waiting for it alone would never settle — a file
 * that could not be written, or a download cut after the last page, must still end the render.
 */
async function endDocument(doc: PDFKit.PDFDocument, out: NodeJS.WritableStream): Promise<void> {
  doc.end();
  if (out === process.stdout || out === process.stderr) await finished(doc);
  else await Promise.all([finished(doc), finished(out)]);
}

/**
 * Renders `stickers` in `format` into one PDF piped to `out`: one sticker per page for the single
 * formats, four (`a4-2x2`) or eight (`a4-8`) per A4 sheet with cut marks. An empty batch rejects with a
 * RangeError before anything is written. If a sticker's data is unusable (StickerDataError, a payload too
 * long for a QR) the promise rejects and `out` is left unended for the caller to destroy.
 */
export async function renderStickers(
  stickers: Iterable<StickerData> | AsyncIterable<StickerData>,
  format: StickerFormat,
  out: NodeJS.WritableStream,
  options: RenderOptions = {},
): Promise<RenderResult> {
  const sheet = sheetLayout(format);
  const perPage = sheet.cells.length;
  const textFallbacks: TextFallbackNote[] = [];
  const outErrors = watchForError(out);
  // Made at the first sticker, so an empty batch writes nothing at all.
  let doc: PDFKit.PDFDocument | undefined;
  let painter: StickerPainter | undefined;
  let pages = 0;
  let count = 0;
  try {
    for await (const sticker of stickers) {
      if (!doc || !painter) {
        doc = createDocument(sheet, options);
        painter = new StickerPainter(doc, sheet.design);
        doc.pipe(out);
      }
      const position = count % perPage;
      // A turn for the event loop before every sticker after the first: one sticker is a few milliseconds,
      // a sheet of eight would otherwise be one synchronous stretch of tens.
      if (position > 0) await nextTurn();
      if (position === 0) {
        if (pages > 0) await yieldToConsumer(doc, out, outErrors);
        if (pages > 0 && pages % PAGES_PER_SHAPE_CACHE === 0) forgetShapedWords(doc);
        doc.addPage({ size: [sheet.page.width, sheet.page.height], margin: 0 });
        drawCutMarks(doc, sheet.cutMarks);
        pages++;
      }
      for (const note of painter.draw(sticker, sheet.cells[position] as Box)) {
        textFallbacks.push({ index: count, serial: sticker.serial, ...note });
      }
      count++;
    }
    if (!doc) throw new RangeError('Không có tem nào để in.');
    await endDocument(doc, out);
    outErrors.check();
    return { pages, stickers: count, textFallbacks };
  } catch (error) {
    doc?.unpipe(out);
    throw error;
  } finally {
    outErrors.stop();
  }
}

/** The whole PDF in memory: for tests and single stickers, not for batches (use renderStickers with a stream). */
export async function renderStickersToBuffer(
  stickers: Iterable<StickerData> | AsyncIterable<StickerData>,
  format: StickerFormat,
  options: RenderOptions = {},
): Promise<RenderResult & { pdf: Buffer }> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  const result = await renderStickers(stickers, format, sink, options);
  return { ...result, pdf: Buffer.concat(chunks) };
}
