import { execFileSync } from 'node:child_process';
import { PassThrough, Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { qrMatrix } from '../../src/vietqr/index.js';
import {
  mm,
  renderStickers,
  renderStickersToBuffer,
  sheetLayout,
  StickerDataError,
  stickerLayout,
} from '../../src/sticker-pdf/index.js';
import type { Box, StickerData, StickerFormat } from '../../src/sticker-pdf/index.js';
import { crop, pdfInfo, pdfText, pdfTextOfPage, readQr, renderPage } from '../helpers/pdf-tools.js';
import type { PageImage } from '../helpers/pdf-tools.js';
import { HOA_LU_BASE, hoaLuBatch, hoaLuSticker } from './helpers/sticker-fixtures.js';

const NOW = new Date('2025-12-03T08:00:00Z');

/** The strings every sticker must show, exactly (NFC). */
function expectedTexts(sticker: StickerData): string[] {
  return [
    'QUÉT MÃ ĐỂ THANH TOÁN',
    'Kiểm tra đúng tên người nhận trước khi chuyển tiền',
    sticker.holderName,
    sticker.bankShortName,
    sticker.bankName,
    sticker.stallLabel,
    sticker.businessName,
    sticker.siteName,
    `Số tem: ${sticker.serial}`,
    `Mã xác minh: ${sticker.verificationCode}`,
    'VietQR · NAPAS 247',
    sticker.helpLine,
  ];
}

function grown(area: Box, margin: number): Box {
  return { x: area.x - margin, y: area.y - margin, width: area.width + 2 * margin, height: area.height + 2 * margin };
}

/**
 * Decodes both QR codes of the sticker in `cell`, each from a crop of its own box (plus 2 mm),
 * as the layout placed them.
 */
function readStickerQrs(
  page: PageImage,
  format: StickerFormat,
  cell: Box,
  sticker: StickerData,
): { payment: string | null; verification: string | null } {
  const layout = stickerLayout(sheetLayout(format).design, {
    paymentModules: qrMatrix(sticker.payload).size,
    verificationModules: qrMatrix(sticker.verificationUrl).size,
  });
  const onPage = (area: Box) => grown({ ...area, x: area.x + cell.x, y: area.y + cell.y }, mm(2));
  return {
    payment: readQr(crop(page, onPage(layout.paymentQr.box))),
    verification: readQr(crop(page, onPage(layout.verificationQr.box))),
  };
}

/** A writable that collects what it is given. */
function collector(): { sink: Writable; bytes(): number; buffer(): Buffer } {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      callback();
    },
  });
  return {
    sink,
    bytes: () => chunks.reduce((sum, chunk) => sum + chunk.length, 0),
    buffer: () => Buffer.concat(chunks),
  };
}

const hoaLuVariety: StickerData[] = [
  hoaLuSticker(0),
  hoaLuSticker(1, { holderName: 'CONG TY TNHH THUONG MAI DICH VU NGUYEN HOANG PHUONG THANH', stallLabel: 'Ki-ốt 3' }),
  hoaLuSticker(2, {
    accountNumber: '1234567890123456789',
    bankShortName: 'Vietcombank',
    bankName: 'Ngân hàng TMCP Ngoại thương Việt Nam',
  }),
  hoaLuSticker(3, {
    businessName: 'Cửa hàng Nông sản Sạch và Đặc sản Tây Nguyên – Cà phê, Hồ tiêu',
    siteName: 'Trung tâm thương mại xã Chư Prông',
  }),
];

/**
 * Waits until `read()` has not changed for 200 event-loop turns in a row (a renderer that makes progress
 * pulls a sticker every few turns), and returns it.
 */
async function untilSettled(read: () => number): Promise<number> {
  let last = read();
  for (let still = 0, turn = 0; still < 200 && turn < 200_000; turn++) {
    await new Promise((resolve) => setImmediate(resolve));
    const now = read();
    still = now === last ? still + 1 : 0;
    last = now;
  }
  return last;
}

describe('renderStickers: what is printed', () => {
  it(
    'when a batch of A6 stickers with Vietnamese names is printed, ' +
      'then each page carries its sticker’s texts exactly (NFC)',
    async () => {
      const batch = hoaLuBatch(3);
      const result = await renderStickersToBuffer(batch, 'a6', { now: NOW });
      expect(result).toMatchObject({ pages: 3, stickers: 3, textFallbacks: [] });
      batch.forEach((sticker, i) => {
        const text = pdfTextOfPage(result.pdf, i + 1);
        for (const expected of expectedTexts(sticker)) expect(text, expected).toContain(expected.normalize('NFC'));
        expect(text).toContain(sticker.accountNumber.replace(/(.{4})(?=.)/g, '$1 '));
      });
      expect(pdfText(result.pdf)).toContain('Tạp hóa Kim Dung – Đặc sản Pleiku');
    },
  );

  it('when the names arrive decomposed (NFD), then the PDF still holds them composed (NFC)', async () => {
    const sticker = hoaLuSticker(0, {
      siteName: 'Chợ Hoa Lư'.normalize('NFD'),
      businessName: HOA_LU_BASE.businessName.normalize('NFD'),
    });
    const text = pdfText((await renderStickersToBuffer([sticker], 'small', { now: NOW })).pdf);
    expect(text).toContain('Chợ Hoa Lư');
    expect(text).toContain('Tạp hóa Kim Dung – Đặc sản Pleiku');
  });

  it.each(['a6', 'a5', 'small'] as const)(
    'when a %s sticker is printed and scanned, then the big QR is the payload and the small one the verification URL',
    async (format) => {
      const batch = hoaLuBatch(2);
      const { pdf, pages } = await renderStickersToBuffer(batch, format, { now: NOW });
      expect(pages).toBe(2);
      const cell = sheetLayout(format).cells[0] as Box;
      batch.forEach((sticker, i) => {
        expect(readStickerQrs(renderPage(pdf, i + 1, 150), format, cell, sticker)).toEqual({
          payment: sticker.payload,
          verification: sticker.verificationUrl,
        });
      });
    },
  );

  it(
    'when four stickers are printed on a4-2x2, ' +
      'then each cell scans to its own sticker’s codes and shows its own names',
    async () => {
      const { pdf, pages, stickers } = await renderStickersToBuffer(hoaLuVariety, 'a4-2x2', { now: NOW });
      expect({ pages, stickers }).toEqual({ pages: 1, stickers: 4 });
      const page = renderPage(pdf, 1, 150);
      const sheet = sheetLayout('a4-2x2');
      hoaLuVariety.forEach((sticker, i) => {
        expect(readStickerQrs(page, 'a4-2x2', sheet.cells[i] as Box, sticker), `cell ${i}`).toEqual({
          payment: sticker.payload,
          verification: sticker.verificationUrl,
        });
      });
      const text = pdfText(pdf);
      expect(text).toContain('1234 5678 9012 3456 789');
      expect(text).toContain('Trung tâm thương mại xã Chư Prông');
      expect(text.replace(/\s+/g, ' ')).toContain('CONG TY TNHH THUONG MAI DICH VU NGUYEN HOANG PHUONG THANH');
    },
  );

  it(
    'when nine stickers are printed on a4-8, ' +
      'then they take two sheets and every cell of the first scans to its sticker',
    async () => {
      const batch = hoaLuBatch(9);
      const { pdf, pages } = await renderStickersToBuffer(batch, 'a4-8', { now: NOW });
      expect(pages).toBe(2);
      const page = renderPage(pdf, 1, 150);
      sheetLayout('a4-8').cells.forEach((cell, i) => {
        const sticker = batch[i] as StickerData;
        expect(readStickerQrs(page, 'a4-8', cell, sticker), `cell ${i}`).toEqual({
          payment: sticker.payload,
          verification: sticker.verificationUrl,
        });
      });
      expect(pdfTextOfPage(pdf, 2)).toContain(`Số tem: ${batch[8]?.serial}`);
    },
  );

  it(
    'when a batch is printed, ' +
      'then the PDF names itself, its author and the injected creation date, and embeds Be Vietnam Pro',
    async () => {
      const { pdf } = await renderStickersToBuffer(hoaLuBatch(1), 'a6', { now: NOW, title: 'Tem Chợ Hoa Lư' });
      const info = pdfInfo(pdf);
      expect(info.Title).toBe('Tem Chợ Hoa Lư');
      expect(info.Author).toBe('Phố QR');
      expect(info.CreationDate).toBe('2025-12-03T08:00:00Z');
      const fonts = execFileSync('pdffonts', ['-'], { input: pdf }).toString('utf8');
      expect(fonts).toMatch(/\+BeVietnamPro-Bold\s.*\byes\s+yes\s+yes\b/);
      expect(fonts).toMatch(/\+BeVietnamPro-Regular\s.*\byes\s+yes\s+yes\b/);
      expect(fonts).not.toContain('Helvetica');
    },
  );

  it('when the same batch is printed twice with the same date, then the files are identical', async () => {
    const first = await renderStickersToBuffer(hoaLuBatch(5), 'a4-2x2', { now: NOW });
    const second = await renderStickersToBuffer(hoaLuBatch(5), 'a4-2x2', { now: NOW });
    expect(first.pdf.equals(second.pdf)).toBe(true);
  });

  it(
    'when a name is too long for its box even at the smallest size, ' + 'then it is still printed whole and reported',
    async () => {
      const longName = 'Cửa hàng Nông sản Sạch và Đặc sản Tây Nguyên '.repeat(5).trim();
      const sticker = hoaLuSticker(4, { businessName: longName });
      const result = await renderStickersToBuffer([hoaLuSticker(0), sticker], 'a6', { now: NOW });
      expect(result.textFallbacks).toEqual([
        {
          index: 1,
          serial: sticker.serial,
          slot: 'businessName',
          fallback: expect.stringMatching(/extra-lines|below-minimum/),
        },
      ]);
      expect(pdfTextOfPage(result.pdf, 2).replace(/\s+/g, ' ')).toContain(longName);
    },
  );
});

describe('renderStickers: streaming', () => {
  it('when the stickers come from an async source, then they are all printed in order', async () => {
    async function* fromDatabase() {
      for (const sticker of hoaLuBatch(6)) {
        await new Promise((resolve) => setImmediate(resolve));
        yield sticker;
      }
    }
    const { pdf, pages, stickers } = await renderStickersToBuffer(fromDatabase(), 'a4-2x2', { now: NOW });
    expect({ pages, stickers }).toEqual({ pages: 2, stickers: 6 });
    expect(pdfTextOfPage(pdf, 2)).toContain('Số tem: 52-23575-000128');
  });

  it('when a batch is rendering, then the event loop gets turns between pages', async () => {
    let turned = false;
    setImmediate(() => {
      turned = true;
    });
    const seen: boolean[] = [];
    function* stickers() {
      for (const sticker of hoaLuBatch(6)) {
        seen.push(turned);
        yield sticker;
      }
    }
    await renderStickers(stickers(), 'a6', collector().sink, { now: NOW });
    expect(seen.slice(0, 2)).toEqual([false, false]);
    expect(seen.at(-1)).toBe(true);
  });

  it(
    'when the reader stalls, ' +
      'then rendering waits for it instead of piling pages up in memory, and finishes once it reads again',
    async () => {
      const held: Array<() => void> = [];
      let open = false;
      const chunks: Buffer[] = [];
      const slowReader = new Writable({
        highWaterMark: 1024,
        write(chunk: Buffer, _encoding, callback) {
          chunks.push(chunk);
          if (open) callback();
          else held.push(() => callback());
        },
      });
      let pulled = 0;
      function* stickers() {
        for (const sticker of hoaLuBatch(40)) {
          pulled++;
          yield sticker;
        }
      }
      const rendering = renderStickers(stickers(), 'a4-2x2', slowReader, { now: NOW });
      // Counted in event-loop turns, not milliseconds: a loaded machine slows both sides alike.
      const pulledWhileStalled = await untilSettled(() => pulled);
      expect(pulledWhileStalled).toBeLessThan(40);
      expect(await untilSettled(() => pulled)).toBe(pulledWhileStalled);

      open = true;
      for (const release of held.splice(0)) release();
      const result = await rendering;
      expect(result).toMatchObject({ pages: 10, stickers: 40 });
      expect(pdfInfo(Buffer.concat(chunks)).Pages).toBe('10');
    },
  );

  it('when pages are made, then bytes reach the reader before the batch ends', async () => {
    const { sink, bytes } = collector();
    const seen: number[] = [];
    function* stickers() {
      for (const sticker of hoaLuBatch(24)) {
        seen.push(bytes());
        yield sticker;
      }
    }
    await renderStickers(stickers(), 'a4-2x2', sink, { now: NOW });
    expect(seen.at(-1)).toBeGreaterThan(10_000);
  });

  it('when the batch is empty, then it rejects and writes nothing', async () => {
    const { sink, bytes } = collector();
    await expect(renderStickers([], 'a6', sink)).rejects.toThrow(RangeError);
    expect(bytes()).toBe(0);
  });

  it('when a sticker has no payload, then it rejects with a StickerDataError naming the field', async () => {
    const broken = hoaLuSticker(1, { payload: '' });
    const error = await renderStickers([hoaLuSticker(0), broken], 'a6', new PassThrough().resume()).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(StickerDataError);
    expect((error as StickerDataError).field).toBe('payload');
  });

  it(
    'when the output fails after some pages while the document has more to send, ' +
      'then it rejects instead of waiting forever',
    async () => {
      let writes = 0;
      const failingLater = new Writable({
        highWaterMark: 1024,
        write(_chunk, _encoding, callback) {
          if (++writes > 40) callback(new Error('connection reset'));
          else setImmediate(callback);
        },
      });
      await expect(renderStickers(hoaLuBatch(80), 'a4-2x2', failingLater, { now: NOW })).rejects.toThrow(
        'connection reset',
      );
    },
  );

  it('when the output fails while writing, then it rejects with that error instead of crashing', async () => {
    const failing = new Writable({
      write(_chunk, _encoding, callback) {
        callback(new Error('disk full'));
      },
    });
    await expect(renderStickers(hoaLuBatch(12), 'a4-2x2', failing, { now: NOW })).rejects.toThrow('disk full');
  });

  it(
    'when the output of a one-page batch fails (no page break to notice it at), ' +
      'then it rejects instead of never settling',
    async () => {
      const failing = new Writable({
        write(_chunk, _encoding, callback) {
          callback(new Error('disk full'));
        },
      });
      await expect(renderStickers([hoaLuSticker(0)], 'a6', failing, { now: NOW })).rejects.toThrow('disk full');
    },
  );

  it('when the output is closed before the document ends (a cut download), then it rejects', async () => {
    const cut = new Writable({
      write(_chunk, _encoding, callback) {
        callback();
        this.destroy();
      },
    });
    await expect(renderStickers([hoaLuSticker(0)], 'a6', cut, { now: NOW })).rejects.toThrow();
  });
});
