import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import { fillQrModules, qrRunOperators } from '../../src/sticker-pdf/pdf-qr.js';
import { qrMatrix, qrRuns } from '../../src/vietqr/index.js';
import type { QrMatrix } from '../../src/vietqr/index.js';
import { readQr, renderPage } from '../helpers/pdf-tools.js';

const PAGE = 200;

/** A one-page document drawn by `draw`, uncompressed so its content stream can be read. */
async function pdfOf(draw: (doc: PDFKit.PDFDocument) => void): Promise<Buffer> {
  const doc = new PDFDocument({ compress: false, size: [PAGE, PAGE], margin: 0 });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise((resolve) => doc.on('end', resolve));
  draw(doc);
  doc.end();
  await ended;
  return Buffer.concat(chunks);
}

function contentOf(pdf: Buffer): string {
  return /stream\n([\s\S]*?)\nendstream/.exec(pdf.toString('latin1'))?.[1] ?? '';
}

const URL_TEXT = 'https://phoqr.example/v/7KQ2M9';
const matrix = qrMatrix(URL_TEXT);

describe('qrRunOperators', () => {
  it('when given runs, then each is one rectangle a module high, in module units, one a line', () => {
    const runs = [
      { x: 0, y: 0, length: 7 },
      { x: 8, y: 0, length: 2 },
      { x: 3, y: 5, length: 1 },
    ];
    expect(qrRunOperators(runs)).toBe('0 0 7 1 re\n8 0 2 1 re\n3 5 1 1 re');
    expect(qrRunOperators([])).toBe('');
  });
});

describe('fillQrModules', () => {
  it('when a symbol is filled, then its runs are one path under one scale, coloured first, filled once', async () => {
    const at = { x: 10.125, y: 20, moduleSize: 2.5 };
    const content = contentOf(await pdfOf((doc) => fillQrModules(doc, matrix, at, '#000000')));
    const transform = 'q\n1 0 0 1 10.125 20 cm\n2.5 0 0 2.5 0 0 cm\n';
    expect(content).toContain(`${transform}/DeviceRGB cs\n0 0 0 scn\n${qrRunOperators(qrRuns(matrix))}\nf\nQ`);
    expect(content.match(/ re\n/g)).toHaveLength(qrRuns(matrix).length);
    expect(content.match(/^f$/gm)).toHaveLength(1);
  });

  it('when the filled page is rasterised, then a QR reader gets the text back', async () => {
    const moduleSize = 4;
    // Centred, with more than the 4-module quiet zone of white page around it.
    const origin = (PAGE - matrix.size * moduleSize) / 2;
    const pdf = await pdfOf((doc) => fillQrModules(doc, matrix, { x: origin, y: origin, moduleSize }, '#000000'));
    expect(readQr(renderPage(pdf, 1, 150))).toBe(URL_TEXT);
  });

  it('when the matrix has no dark module, then nothing is drawn', async () => {
    const blank: QrMatrix = { size: 21, modules: new Uint8Array(21 * 21), version: 1, errorCorrection: 'M' };
    const at = { x: 0, y: 0, moduleSize: 1 };
    const content = contentOf(await pdfOf((doc) => fillQrModules(doc, blank, at, '#000000')));
    expect(content).not.toContain(' re');
    expect(content).not.toMatch(/^f$/m);
  });

  it('when the module size is not a positive number, then it refuses instead of drawing garbage', async () => {
    await pdfOf((doc) => {
      for (const moduleSize of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
        expect(() => fillQrModules(doc, matrix, { x: 0, y: 0, moduleSize }, '#000000')).toThrow(RangeError);
      }
    });
  });
});
