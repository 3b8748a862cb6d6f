/**
 * The Vietnamese words for what the audit trail records: each action ('stall.update') and each kind of
 * record ('stall'). Pure vocabulary for the log's pages and CSV; an action not listed shows as written.
 */

export const AUDIT_ACTION_LABELS: Record<string, string> = {
  'stall.create': 'Thêm sạp',
  'stall.update': 'Sửa thông tin sạp',
  'stall.status': 'Đổi tình trạng sạp',
  'stall.installed': 'Ghi nhận đã dán mã',
  'stall.follow_up': 'Ghi nhận lần thăm lại',
  'stall.consent': 'Ghi nhận đồng ý',
  'stall.view_personal': 'Xem dữ liệu cá nhân',
  'account.add': 'Thêm tài khoản nhận tiền',
  'account.name_check': 'Kiểm tra tên người nhận',
  'account.primary': 'Đặt tài khoản chính',
  'account.retire': 'Ngừng dùng tài khoản',
  'sticker.issue': 'Cấp mã QR',
  'sticker.print': 'In mã QR',
  'sticker.revoke': 'Thu hồi mã QR',
  'site.create': 'Thêm địa điểm',
  'site.update': 'Sửa địa điểm',
  'campaign.create': 'Thêm đợt',
  'campaign.update': 'Sửa đợt',
  'redaction.apply': 'Xóa nội dung ghi chú',
  'user.create': 'Tạo người dùng',
  'user.update': 'Sửa người dùng',
  'user.disable': 'Vô hiệu hóa người dùng',
  'user.enable': 'Kích hoạt lại người dùng',
  'user.reset_password': 'Đặt lại mật khẩu',
  'user.password_change': 'Đổi mật khẩu',
  'user.bulk_create': 'Tạo người dùng từ danh sách',
  'login.success': 'Đăng nhập',
  'login.failure': 'Đăng nhập sai',
  'login.lock': 'Khóa tài khoản do đăng nhập sai',
  'login.unlock': 'Mở khóa tài khoản',
  'export.table': 'Xuất bảng số liệu',
  'export.report': 'Xuất báo cáo',
  'export.stalls': 'Xuất danh sách sạp',
};

/** The kinds of record the log names, for its filter. */
export const AUDIT_ENTITY_LABELS: Record<string, string> = {
  stall: 'Sạp',
  account: 'Tài khoản nhận tiền',
  sticker: 'Mã QR',
  site: 'Địa điểm',
  campaign: 'Đợt',
  user: 'Người dùng',
  login: 'Đăng nhập',
  export: 'Xuất dữ liệu',
  redaction: 'Xóa dữ liệu',
};

/** An action in words; one not (yet) listed shows as recorded, never as nothing. */
export function auditActionLabel(action: string): string {
  return Object.hasOwn(AUDIT_ACTION_LABELS, action) ? AUDIT_ACTION_LABELS[action]! : action;
}

export function auditEntityLabel(entity: string): string {
  return Object.hasOwn(AUDIT_ENTITY_LABELS, entity) ? AUDIT_ENTITY_LABELS[entity]! : entity;
}
