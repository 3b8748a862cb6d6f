/** Stall stickers as PDF: pure layout maths and text fitting, and the pdfkit renderer that streams a batch. */
export { renderStickers, renderStickersToBuffer } from './render-stickers.js';
export type { RenderOptions, RenderResult } from './render-stickers.js';
export {
  StickerDataError,
  groupAccountNumber,
  stickerTexts,
  STICKER_TITLE,
  HOLDER_CHECK,
  PAYMENT_NETWORK,
} from './sticker-content.js';
export type { StickerData } from './sticker-content.js';
export { STICKER_FORMATS, isStickerFormat, sheetSpec, stickersPerPage } from './sticker-formats.js';
export type { StickerFormat, StickerDesign, SheetSpec } from './sticker-formats.js';
export { sheetLayout, stickerLayout, mm, PT_PER_MM, QR_QUIET_MODULES, TEXT_SLOT_NAMES } from './sticker-layout.js';
export type {
  Box,
  QrSlot,
  Segment,
  SheetLayout,
  StickerLayout,
  TextSlot,
  TextSlotName,
  QrSizes,
} from './sticker-layout.js';
export { fitText } from '../pdf-text/fit-text.js';
export type { FitTextRequest, FitTextResult, FitFallback, MeasureText } from '../pdf-text/fit-text.js';
export type { TextFallbackNote } from './sticker-pdf.js';
