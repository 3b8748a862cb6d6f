/** Stall statuses, in funnel order, with their Vietnamese labels. */
export const STALL_STATUSES = ['surveyed', 'has_account', 'qr_verified', 'installed', 'refused', 'closed'] as const;
export type StallStatus = (typeof STALL_STATUSES)[number];

export const STALL_STATUS_LABELS: Record<StallStatus, string> = {
  surveyed: 'Đã khảo sát',
  has_account: 'Có tài khoản',
  qr_verified: 'Đã xác minh QR',
  installed: 'Đã dán mã QR',
  refused: 'Từ chối',
  closed: 'Ngừng kinh doanh',
};

export const REFUSAL_REASONS = ['prefers_cash', 'no_smartphone', 'fears_fraud', 'no_bank_account', 'other'] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

export const REFUSAL_REASON_LABELS: Record<RefusalReason, string> = {
  prefers_cash: 'Thích dùng tiền mặt',
  no_smartphone: 'Không có điện thoại thông minh',
  fears_fraud: 'Sợ nhầm lẫn hoặc lừa đảo',
  no_bank_account: 'Chưa có tài khoản ngân hàng',
  other: 'Lý do khác',
};

export function isStallStatus(value: unknown): value is StallStatus {
  return typeof value === 'string' && (STALL_STATUSES as readonly string[]).includes(value);
}

export function isRefusalReason(value: unknown): value is RefusalReason {
  return typeof value === 'string' && (REFUSAL_REASONS as readonly string[]).includes(value);
}
