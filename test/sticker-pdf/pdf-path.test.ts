import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import { fillSvgPath, svgPathToPdfOperators } from '../../src/sticker-pdf/pdf-path.js';
import { forEachDarkRun, qrMatrix, qrPathCommands } from '../../src/vietqr/index.js';

/** The uncompressed content stream of a one-page document drawn by `draw`. */
async function contentOf(draw: (doc: PDFKit.PDFDocument) => void): Promise<string> {
  const doc = new PDFDocument({ compress: false, size: [200, 200], margin: 0 });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise((resolve) => doc.on('end', resolve));
  draw(doc);
  doc.end();
  await ended;
  const pdf = Buffer.concat(chunks).toString('latin1');
  return /stream\n([\s\S]*?)\nendstream/.exec(pdf)?.[1] ?? '';
}

describe('svgPathToPdfOperators', () => {
  const matrix = qrMatrix('https://phoqr.example/v/7KQ2M9');

  it('when given a QR path, then every run becomes one rectangle at the same place and size', () => {
    const runs: string[] = [];
    forEachDarkRun(matrix, (x, y, length) => runs.push(`${x} ${y} ${length} 1 re`));
    expect(svgPathToPdfOperators(qrPathCommands(matrix, 1)).split('\n')).toEqual(runs);
  });

  it('when the module size is fractional, then the rectangles keep its numbers', () => {
    const operators = svgPathToPdfOperators(qrPathCommands(matrix, 2.5, 10.125, 20));
    expect(operators.split('\n')[0]).toBe('10.125 20 17.5 2.5 re');
  });

  it('when the path is not made of rectangles, then it is drawn with the same operators pdfkit writes for doc.path', async () => {
    const d = 'M10 10L50 10L30 40ZM60 60h20v5h-3l-10 8 2 2m5 5 5 5V100';
    const ours = await contentOf((doc) => doc.addContent(svgPathToPdfOperators(d)));
    const pdfkit = await contentOf((doc) => doc.path(d));
    expect(ours).toBe(pdfkit);
  });

  it('when relative steps add up to float noise, then numbers print with at most six decimals', () => {
    expect(svgPathToPdfOperators('M0.1 0l0.2 0l0 1')).toBe('0.1 0 m\n0.3 0 l\n0.3 1 l');
  });

  it('when the path has a curve or a stray number, then it refuses instead of drawing something else', () => {
    expect(() => svgPathToPdfOperators('M0 0C1 1 2 2 3 3')).toThrow(SyntaxError);
    expect(() => svgPathToPdfOperators('5 5')).toThrow(SyntaxError);
  });
});

describe('fillSvgPath', () => {
  it('sets the colour before the path and fills after it', async () => {
    const content = await contentOf((doc) => fillSvgPath(doc, 'M1 2h3v4h-3Z', '#000000'));
    expect(content).toContain('0 0 0 scn\n1 2 3 4 re\nf');
  });

  it('draws nothing for an empty path', async () => {
    const content = await contentOf((doc) => fillSvgPath(doc, '', '#000000'));
    expect(content).not.toContain(' re');
    expect(content).not.toMatch(/\nf\n/);
  });
});
