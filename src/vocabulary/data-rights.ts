/**
 * The trader's rights over their data (Decree 356/2025): why consent was withdrawn or data erased, from a fixed
 * list (the reason outlives the erasure, so it is never typed text), and the markers an erasure leaves.
 */
export const RIGHTS_REASONS = ['trader_request', 'stopped_trading', 'no_longer_wants_qr', 'other'] as const;
export type RightsReason = (typeof RIGHTS_REASONS)[number];

export const RIGHTS_REASON_LABELS: Record<RightsReason, string> = {
  trader_request: 'Tiểu thương yêu cầu',
  stopped_trading: 'Tiểu thương ngừng kinh doanh',
  no_longer_wants_qr: 'Tiểu thương không muốn dùng mã QR nữa',
  other: 'Lý do khác',
};

export function isRightsReason(value: unknown): value is RightsReason {
  return typeof value === 'string' && (RIGHTS_REASONS as readonly string[]).includes(value);
}

/**
 * What an erased account's holder name (and the name the bank app showed) becomes: the columns are NOT NULL,
 * and a real holder name is written as bank apps show it, without diacritics, so this cannot be taken for one.
 */
export const ERASED_NAME = 'ĐÃ XÓA';

/** What an erased account's number becomes (migrations/0016_consent_rights.sql checks the same form). */
export function erasedAccountNumber(accountId: number): string {
  return `xoa:${accountId}`;
}

/** A real account number is digits only; an erased one carries the marker. */
export function isErasedAccountNumber(accountNumber: string): boolean {
  return accountNumber.startsWith('xoa:');
}
