import type { StickersService } from '../stickers/stickers-service.js';
import type { BankDirectory } from '../vietqr/banks.js';
import { showHidden } from '../text/visible-text.js';
import { maskAccount } from '../vocabulary/masking.js';
import { REPORT_PROBLEM_LABELS } from '../vocabulary/sticker-reports.js';

/**
 * The public page behind a sticker's small QR: its GET builds it, and the report form on it when a submit
 * fails or is refused. Nothing more personal than the holder's name and a masked account; `sticker` is
 * undefined for a code we never issued (the page then answers 404).
 */
export function createVerificationPage(stickers: StickersService, banks: BankDirectory) {
  return async (code: string) => {
    const found = await stickers.verification(code);
    // Names typed before the input checks may hold bidi controls: on this public page they could reverse them.
    const sticker = found && {
      ...found,
      site_name: showHidden(found.site_name),
      stall_label: showHidden(found.stall_label),
      business_name: found.business_name && showHidden(found.business_name),
      holder_name: showHidden(found.holder_name),
      masked: maskAccount(found.account_number),
      bank: banks.byBin(found.bin),
    };
    return { title: 'Kiểm tra mã QR', code, sticker, problemLabels: REPORT_PROBLEM_LABELS };
  };
}

export type VerificationPage = ReturnType<typeof createVerificationPage>;
