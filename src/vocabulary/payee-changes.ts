/**
 * Requests to change where a stall's money goes once its sticker is out (issue 12): the kinds and the states
 * of a request, with the words the screens use.
 */
export const PAYEE_CHANGE_KINDS = ['add_primary', 'set_primary', 'retire_primary'] as const;
export type PayeeChangeKind = (typeof PAYEE_CHANGE_KINDS)[number];

export const PAYEE_CHANGE_KIND_LABELS: Record<PayeeChangeKind, string> = {
  add_primary: 'Thêm tài khoản chính',
  set_primary: 'Đổi tài khoản chính',
  retire_primary: 'Ngừng dùng tài khoản chính',
};

export const PAYEE_CHANGE_STATUSES = ['pending', 'approved', 'refused', 'cancelled'] as const;
export type PayeeChangeStatus = (typeof PAYEE_CHANGE_STATUSES)[number];

export const PAYEE_CHANGE_STATUS_LABELS: Record<PayeeChangeStatus, string> = {
  pending: 'Đang chờ duyệt',
  approved: 'Đã duyệt',
  refused: 'Bị từ chối',
  cancelled: 'Đã rút lại',
};

/** The longest reason or decision note a form takes. */
export const PAYEE_CHANGE_TEXT_MAX = 500;
