/**
 * Every free-text field people type, with its limit: the one table the services check input against (through
 * `checkedText` in ./validate.ts), so a limit is never a bare number in a service or a maxlength that cuts
 * pasted text in the browser. A limit applies at entry only: older rows longer than a new limit still show and
 * print as they are.
 *
 * Printed fields (on the sticker, or in the PDF report) also refuse a character the PDF font cannot draw.
 */
import { pdfFontCanDraw } from '../pdf-text/glyph-coverage.js';
import type { TextRule } from '../text/input-text.js';
import { PAYEE_CHANGE_TEXT_MAX } from '../vocabulary/payee-changes.js';
import { REPORT_TEXT_MAX } from '../vocabulary/sticker-reports.js';

const ON_STICKER = { canDraw: pdfFontCanDraw, where: 'trên tem' } as const;
const IN_REPORT = { canDraw: pdfFontCanDraw, where: 'trên báo cáo PDF' } as const;

export const TEXT_FIELDS = {
  // Stalls (the stall form, the onboarding form)
  stallLabel: { name: 'Số sạp', max: 40, printed: ON_STICKER },
  businessName: { name: 'Tên cơ sở', max: 120, printed: ON_STICKER },
  ownerName: { name: 'Họ tên chủ sạp', max: 80 },
  statusNote: { name: 'Ghi chú', max: 500 },
  visitNote: { name: 'Ghi chú', max: 500 },
  // Sites: the name is printed on every sticker of the site and in the reports.
  siteName: { name: 'Tên địa điểm', max: 120, printed: ON_STICKER },
  siteAddress: { name: 'Địa chỉ', max: 200 },
  siteNote: { name: 'Ghi chú', max: 1000, multiline: true },
  // Campaigns: the name heads the campaign's PDF report.
  campaignName: { name: 'Tên đợt', max: 120, printed: IN_REPORT },
  // Accounts: the holder name is printed large on the sticker.
  holderName: { name: 'Tên chủ tài khoản', max: 50, printed: ON_STICKER },
  nameSeen: { name: 'Tên người nhận', max: 100 },
  payeeChangeReason: { name: 'Lý do', max: PAYEE_CHANGE_TEXT_MAX, multiline: true },
  payeeRefusalNote: { name: 'Lý do từ chối', max: PAYEE_CHANGE_TEXT_MAX, multiline: true },
  // Customers' reports from /v/CODE, and the lead's note closing one.
  reportDetail: { name: 'Phần mô tả', max: REPORT_TEXT_MAX, multiline: true },
  reportCloseNote: { name: 'Ghi chú', max: REPORT_TEXT_MAX, multiline: true },
  redactionReason: { name: 'Lý do', max: 500 },
  // Users (the form, the list upload, the command line)
  displayName: { name: 'Họ tên', max: 100 },
  phone: { name: 'Số điện thoại', max: 40 },
} as const satisfies Record<string, TextRule>;
