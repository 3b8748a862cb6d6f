/** What a volunteer did at a stall: every visit row has one; volunteer activity counts them. */
export type VisitAction =
  | 'onboarded'
  | 'account_added'
  | 'name_checked'
  | 'installed'
  | 'refused'
  | 'follow_up'
  | 'account_retired'
  | 'primary_changed'
  | 'status_changed';

export const VISIT_ACTION_LABELS: Record<VisitAction, string> = {
  onboarded: 'Đăng ký sạp',
  account_added: 'Thêm tài khoản',
  name_checked: 'Kiểm tra tên người nhận',
  installed: 'Dán mã tại quầy',
  refused: 'Từ chối',
  follow_up: 'Thăm lại',
  account_retired: 'Ngừng dùng tài khoản',
  primary_changed: 'Đổi tài khoản chính',
  status_changed: 'Đổi tình trạng',
};
