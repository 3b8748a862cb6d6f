import compression from 'compression';
import type { Request, Response } from 'express';

/**
 * What is worth compressing: pages, JSON, CSS, scripts, SVG and CSV exports (a site page of 63 KB goes to about
 * 7 KB). PDFs, PNGs and XLSX files are compressed already: gzip would cost CPU for nothing, and a streamed PDF
 * is left exactly as pdfkit writes it.
 */
const COMPRESSIBLE = /^(text\/|application\/(json|javascript|manifest\+json)|image\/svg\+xml)/i;

export function compressible(_req: Request, res: Response): boolean {
  return COMPRESSIBLE.test(String(res.getHeader('Content-Type') ?? ''));
}

/** gzip (or deflate) when the browser asks for it, for the types above; small answers (< 1 KB) are sent as they are. */
export const compress = compression({ filter: compressible });
