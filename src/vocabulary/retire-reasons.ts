/** Why an account stops being used: a fixed list, so the reason can be kept and shown without free text. */
export const RETIRE_REASONS = ['new_account', 'account_closed', 'wrong_account', 'suspected_fraud', 'other'] as const;
export type RetireReason = (typeof RETIRE_REASONS)[number];

export const RETIRE_REASON_LABELS: Record<RetireReason, string> = {
  new_account: 'Chủ sạp chuyển sang tài khoản khác',
  account_closed: 'Tài khoản đã đóng hoặc bị khóa',
  wrong_account: 'Nhập nhầm tài khoản',
  suspected_fraud: 'Nghi ngờ bị thay mã, gian lận',
  other: 'Lý do khác',
};

export function isRetireReason(value: unknown): value is RetireReason {
  return typeof value === 'string' && (RETIRE_REASONS as readonly string[]).includes(value);
}
