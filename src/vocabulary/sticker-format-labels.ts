import type { StickerFormat } from '../sticker-pdf/sticker-formats.js';

/** How the print forms name each sticker format. */
export const FORMAT_LABELS: Record<StickerFormat, string> = {
  a6: 'A6 — thẻ đặt bàn (mã 60 mm)',
  a5: 'A5 — bảng treo (mã 100 mm)',
  small: 'Nhãn dán quầy 80×120 mm',
  'a4-2x2': 'A4, 4 thẻ A6 mỗi tờ, có dấu cắt',
  'a4-8': 'A4, 8 nhãn nhỏ mỗi tờ, có dấu cắt',
};
