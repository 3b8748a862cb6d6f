/**
 * Draws the adoption report with pdfkit: lays it out with the real font metrics of Be Vietnam Pro (the
 * sticker font, which has every Vietnamese letter) and executes the layout's drawing operations.
 */
import { createPdfDocument, FONT_NAMES } from '../pdf-text/fonts.js';
import {
  layoutAdoptionReport,
  PAGE,
  type DrawOp,
  type ReportInput,
  type ReportLayout,
} from './adoption-report-layout.js';

export interface RenderedReport {
  readonly pdf: Buffer;
  readonly layout: ReportLayout;
}

function draw(doc: PDFKit.PDFDocument, op: DrawOp): void {
  switch (op.kind) {
    case 'text':
      doc
        .font(FONT_NAMES[op.weight])
        .fontSize(op.size)
        .fillColor(op.color)
        .text(op.text, op.x, op.y, { lineBreak: false });
      return;
    case 'rect':
      doc.rect(op.x, op.y, op.width, op.height);
      if (op.fill && op.stroke) doc.fillAndStroke(op.fill, op.stroke);
      else if (op.fill) doc.fill(op.fill);
      else if (op.stroke) doc.lineWidth(0.6).stroke(op.stroke);
      return;
    case 'line':
      doc.save().moveTo(op.x1, op.y1).lineTo(op.x2, op.y2).lineWidth(op.lineWidth);
      if (op.dash !== null) doc.dash(op.dash, { space: op.dash });
      doc.stroke(op.color).restore();
      return;
    case 'path':
      doc
        .save()
        .translate(op.originX, op.originY)
        .path(op.d)
        .lineWidth(op.lineWidth)
        .lineJoin('round')
        .lineCap('round');
      if (op.dash !== null) doc.dash(op.dash, { space: op.dash + 1 });
      doc.stroke(op.color).restore();
      return;
    case 'dot':
      doc.circle(op.x, op.y, op.r).fill(op.color);
      return;
  }
}

/** The report as PDF bytes (one or two A4 pages). `now` is the document's CreationDate. */
export async function renderAdoptionReport(input: Omit<ReportInput, 'measure'>, now: Date): Promise<RenderedReport> {
  const doc = createPdfDocument({
    autoFirstPage: false,
    compress: true,
    size: [PAGE.width, PAGE.height],
    margin: 0,
    lang: 'vi-VN',
    displayTitle: true,
    info: { Author: 'Phố QR', Creator: 'Phố QR', CreationDate: now },
  });
  const layout = layoutAdoptionReport({
    ...input,
    measure: (text, size, weight) => doc.font(FONT_NAMES[weight]).fontSize(size).widthOfString(text),
  });
  doc.info.Title = layout.title;
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    doc.on('end', resolve);
    doc.on('error', reject);
  });
  for (const page of layout.pages) {
    doc.addPage({ size: [PAGE.width, PAGE.height], margin: 0 });
    for (const op of page.ops) draw(doc, op);
  }
  doc.end();
  await ended;
  return { pdf: Buffer.concat(chunks), layout };
}
