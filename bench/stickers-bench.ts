/**
 * `npm run bench:stickers`: one run of a whole market's stickers on A4 (4 × A6 per sheet), streamed to a
 * file in the temp directory, next to the floor — bare pdfkit drawing the same QR paths with the same
 * font and nothing else. Goals: time within 1.5× the floor, under 3 KB per sticker, and peak memory
 * that does not grow with the batch (5,000 stickers within 20 % of 500).
 *
 * Each case runs in a child process of its own (this script with the case as argument), because
 * `maxRSS` is the peak over a process's whole life: measured in one process, the first case's peak
 * would hide every later one.
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import PDFDocument from 'pdfkit';
import { mm, renderStickers, sheetLayout, stickerLayout } from '../src/sticker-pdf/index.js';
import type { StickerData } from '../src/sticker-pdf/index.js';
import { fillQrModules } from '../src/sticker-pdf/pdf-qr.js';
import { FONT_NAMES, registerPdfFonts } from '../src/pdf-text/fonts.js';
import { encode, qrMatrix, qrRuns } from '../src/vietqr/index.js';
import type { QrMatrix } from '../src/vietqr/index.js';
import { mulberry32 } from '../src/demo/prng.js';

type Kind = 'floor' | 'floor-writer' | 'ours';
type CaseName = 'floor-500' | 'floor-writer-500' | 'ours-500' | 'floor-5000' | 'ours-5000';
const CASES: Readonly<Record<CaseName, { kind: Kind; count: number }>> = {
  'floor-500': { kind: 'floor', count: 500 },
  // Not a goal: the floor again with the payment QR written as ours is (pdf-qr.ts instead of doc.path),
  // to show what everything else on the sticker costs.
  'floor-writer-500': { kind: 'floor-writer', count: 500 },
  'ours-500': { kind: 'ours', count: 500 },
  'floor-5000': { kind: 'floor', count: 5000 },
  'ours-5000': { kind: 'ours', count: 5000 },
};
const CASE_NAMES = Object.keys(CASES) as CaseName[];

interface Measurement {
  name: CaseName;
  stickers: number;
  pages: number;
  ms: number;
  bytes: number;
  /** Peak resident set size of the whole child process, MB. */
  peakRssMb: number;
  /** Resident set size once modules are loaded, before rendering, MB. */
  startRssMb: number;
}

// mulberry32 (the demo's seeded generator): every run uses the same inputs.
const random = mulberry32;

const BANKS = [
  { bin: '970418', short: 'BIDV', name: 'Ngân hàng TMCP Đầu tư và Phát triển Việt Nam' },
  { bin: '970436', short: 'Vietcombank', name: 'Ngân hàng TMCP Ngoại thương Việt Nam' },
  { bin: '970415', short: 'VietinBank', name: 'Ngân hàng TMCP Công thương Việt Nam' },
  { bin: '970405', short: 'Agribank', name: 'Ngân hàng Nông nghiệp và Phát triển Nông thôn Việt Nam' },
  { bin: '970422', short: 'MBBank', name: 'Ngân hàng TMCP Quân đội' },
  { bin: '970407', short: 'Techcombank', name: 'Ngân hàng TMCP Kỹ thương Việt Nam' },
];
const FAMILY = ['NGUYEN', 'TRAN', 'LE', 'PHAM', 'HOANG', 'VU', 'DANG', 'BUI', 'DO', 'HO', 'RO CHAM', 'KSOR'];
const MIDDLE = ['THI', 'VAN', 'DUC', 'THANH', 'HOANG', 'MINH', 'NGOC', 'KIM'];
const GIVEN = ['DUNG', 'LAN', 'HUNG', 'TUAN', 'HUONG', 'PHUONG THANH', 'H’BLIA', 'NAM', 'MAI', 'QUANG VINH'];
const TRADES = [
  'Tạp hóa',
  'Rau củ',
  'Trái cây',
  'Thịt heo',
  'Cá tươi',
  'Quần áo',
  'Bún bò',
  'Cà phê',
  'Đồ khô',
  'Vải vóc',
];

/** A realistic market of `count` stalls, made lazily so the 5,000 case holds one sticker at a time. */
function* market(count: number): Generator<StickerData> {
  const next = random(20251203);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const digits = (length: number) => Array.from({ length }, () => Math.floor(next() * 10)).join('');
  for (let i = 0; i < count; i++) {
    const bank = pick(BANKS);
    const account = digits(8 + Math.floor(next() * 12));
    const holder = `${pick(FAMILY)} ${pick(MIDDLE)} ${pick(GIVEN)}`;
    const code = Math.floor(next() * 36 ** 6)
      .toString(36)
      .toUpperCase()
      .padStart(6, '0');
    yield {
      payload: encode({ bin: bank.bin, account, service: 'account', initiation: 'static' }),
      bankShortName: bank.short,
      bankName: bank.name,
      accountNumber: account,
      holderName: holder,
      stallLabel: `Sạp ${1 + (i % 60)} – Dãy ${'ABCDEFGH'[Math.floor(i / 60) % 8]}`,
      businessName: `${pick(TRADES)} ${holder
        .split(' ')
        .at(-1)
        ?.toLowerCase()
        .replace(/^./, (c) => c.toUpperCase())} – Chợ Hoa Lư`,
      siteName: 'Chợ Hoa Lư',
      serial: `52-23575-${String(i + 1).padStart(6, '0')}`,
      verificationCode: code,
      verificationUrl: `https://phoqr.example/v/${code}`,
      helpLine: 'Hỗ trợ: Đoàn phường Pleiku 0269 3824 567',
    };
  }
}

/** Our renderer, the way the app will call it: a stream to a file. */
async function runOurs(count: number, file: string): Promise<{ pages: number }> {
  const out = createWriteStream(file);
  const { pages } = await renderStickers(market(count), 'a4-2x2', out, { now: new Date('2025-12-03T00:00:00Z') });
  return { pages };
}

/** Points to at most 3 decimals: enough for print (1/1000 pt), short in the PDF stream. */
function num(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}

/**
 * The QR as an SVG path in page coordinates ("M x y h w v h h -w Z" per run), the string the plain
 * pdfkit way hands to `doc.path`. Only the floor draws this way; the app writes the runs directly.
 */
function svgPathOf(matrix: QrMatrix, moduleSize: number, originX: number, originY: number): string {
  const height = num(moduleSize);
  let d = '';
  for (const { x, y, length } of qrRuns(matrix)) {
    const width = num(length * moduleSize);
    d += `M${num(originX + x * moduleSize)} ${num(originY + y * moduleSize)}h${width}v${height}h-${width}Z`;
  }
  return d;
}

/**
 * The floor: one pdfkit document, the same sheet, the same font registered, each sticker's payment QR
 * as one path at the same place and size (`doc.path(svgPathOf(…)).fill()`, the plain pdfkit way),
 * and one title line so the font is embedded. Nothing else.
 */
async function runFloor(count: number, file: string, writer: 'doc.path' | 'pdf-qr'): Promise<{ pages: number }> {
  const sheet = sheetLayout('a4-2x2');
  const doc = new PDFDocument({
    autoFirstPage: false,
    compress: true,
    margin: 0,
    size: [sheet.page.width, sheet.page.height],
  });
  registerPdfFonts(doc);
  const out = createWriteStream(file);
  doc.pipe(out);
  let pages = 0;
  let i = 0;
  for (const sticker of market(count)) {
    const position = i % sheet.cells.length;
    if (position === 0) {
      if (pages > 0) await new Promise((resolve) => setImmediate(resolve));
      doc.addPage({ size: [sheet.page.width, sheet.page.height], margin: 0 });
      pages++;
    }
    const cell = sheet.cells[position] ?? sheet.cells[0];
    if (!cell) throw new Error('no cell');
    const matrix = qrMatrix(sticker.payload, { ecl: 'M' });
    const { paymentQr } = stickerLayout(sheet.design, { paymentModules: matrix.size, verificationModules: 29 });
    if (writer === 'doc.path') {
      doc
        .path(svgPathOf(matrix, paymentQr.moduleSize, cell.x + paymentQr.symbol.x, cell.y + paymentQr.symbol.y))
        .fill('#000');
    } else {
      const at = { x: cell.x + paymentQr.symbol.x, y: cell.y + paymentQr.symbol.y, moduleSize: paymentQr.moduleSize };
      fillQrModules(doc, matrix, at, '#000');
    }
    doc
      .font(FONT_NAMES.bold)
      .fontSize(16)
      .text('QUÉT MÃ ĐỂ THANH TOÁN', cell.x + mm(10), cell.y + mm(8), { lineBreak: false });
    i++;
  }
  doc.end();
  await finished(out);
  return { pages };
}

async function runCase(name: CaseName): Promise<void> {
  const { kind, count } = CASES[name];
  const dir = mkdtempSync(path.join(tmpdir(), 'phoqr-stickers-bench-'));
  const file = path.join(dir, `${name}.pdf`);
  try {
    const startRssMb = process.memoryUsage().rss / 2 ** 20;
    const start = process.hrtime.bigint();
    const { pages } =
      kind === 'ours'
        ? await runOurs(count, file)
        : await runFloor(count, file, kind === 'floor' ? 'doc.path' : 'pdf-qr');
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    const measurement: Measurement = {
      name,
      stickers: count,
      pages,
      ms,
      bytes: statSync(file).size,
      peakRssMb: (process.resourceUsage().maxRSS * 1024) / 2 ** 20,
      startRssMb,
    };
    console.log(JSON.stringify(measurement));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function measureInChild(name: CaseName): Measurement {
  const script = fileURLToPath(import.meta.url);
  // execArgv carries tsx's loader, so the child runs this TypeScript file the same way.
  const child = spawnSync(process.execPath, [...process.execArgv, script, name], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`case ${name} failed:\n${child.stderr}`);
  const line = child.stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(line) as Measurement;
}

function printTable(results: Record<CaseName, Measurement>): void {
  const row = (m: Measurement) =>
    `${m.name.padEnd(16)} | ${String(m.stickers).padStart(8)} | ${String(m.pages).padStart(5)} | ` +
    `${m.ms.toFixed(0).padStart(7)} | ${(m.bytes / 1024).toFixed(0).padStart(8)} | ` +
    `${(m.bytes / m.stickers / 1024).toFixed(2).padStart(9)} | ${m.startRssMb.toFixed(0).padStart(9)} | ` +
    `${m.peakRssMb.toFixed(0).padStart(8)}`;
  console.log(`Sticker PDF benchmark — a4-2x2, one run per case, each in its own process, Node ${process.version}`);
  console.log('');
  console.log('case             | stickers | pages |    ms   | file KB  | KB/sticker| start MB  | peak MB');
  console.log('-----------------|----------|-------|---------|----------|-----------|-----------|---------');
  for (const name of CASE_NAMES) console.log(row(results[name]));
  console.log('');
  const timeRatio = results['ours-500'].ms / results['floor-500'].ms;
  const kbPerSticker = results['ours-500'].bytes / results['ours-500'].stickers / 1024;
  const rssRatio = results['ours-5000'].peakRssMb / results['ours-500'].peakRssMb;
  const verdict = (met: boolean) => (met ? 'met' : 'NOT MET');
  console.log(
    `time, 500 ours ÷ floor:          ${timeRatio.toFixed(2)}×   (goal ≤ 1.5×)  ${verdict(timeRatio <= 1.5)}`,
  );
  const writerRatio = results['ours-500'].ms / results['floor-writer-500'].ms;
  console.log(`time, 500 ours ÷ floor-writer:   ${writerRatio.toFixed(2)}×   (context: the second QR and the text)`);
  console.log(
    `size per sticker, 500:           ${kbPerSticker.toFixed(2)} KB (goal < 3 KB) ${verdict(kbPerSticker < 3)}`,
  );
  console.log(`peak RSS, 5,000 ÷ 500 stickers:  ${rssRatio.toFixed(2)}×   (goal ≤ 1.2×)  ${verdict(rssRatio <= 1.2)}`);
}

const requested = process.argv[2];
if (requested) {
  if (!(CASE_NAMES as string[]).includes(requested))
    throw new Error(`unknown case ${requested}; one of ${CASE_NAMES.join(', ')}`);
  await runCase(requested as CaseName);
} else {
  const results = Object.fromEntries(CASE_NAMES.map((name) => [name, measureInChild(name)])) as Record<
    CaseName,
    Measurement
  >;
  printTable(results);
}
