/**
 * Every action the audit trail records, `<entity>.<verb>`, and each kind of record, with the Vietnamese words
 * the log's pages and CSV show (the app's own names: "mã QR", "địa điểm", "tình trạng"). One list, so a feature
 * cannot log an action the screen cannot name, and the filter offers exactly these.
 */
export const AUDIT_ACTIONS = {
  'stall.create': 'Thêm sạp',
  'stall.update': 'Sửa thông tin sạp',
  'stall.status': 'Đổi tình trạng sạp',
  'stall.installed': 'Ghi nhận đã dán mã',
  'stall.follow_up': 'Ghi nhận lần thăm lại',
  'stall.consent': 'Ghi nhận đồng ý',
  'stall.view_personal': 'Xem dữ liệu cá nhân',
  'consent.withdraw': 'Rút lại đồng ý',
  'stall.erase': 'Xóa dữ liệu cá nhân',
  'account.add': 'Thêm tài khoản nhận tiền',
  'account.name_check': 'Kiểm tra tên người nhận',
  'account.primary': 'Đặt tài khoản chính',
  'account.retire': 'Ngừng dùng tài khoản',
  'payee_change.request': 'Yêu cầu đổi tài khoản nhận tiền',
  'payee_change.approve': 'Duyệt đổi tài khoản nhận tiền',
  'payee_change.refuse': 'Từ chối đổi tài khoản nhận tiền',
  'payee_change.cancel': 'Rút lại yêu cầu đổi tài khoản nhận tiền',
  'sticker.issue': 'Cấp mã QR',
  'sticker.print': 'In mã QR',
  'sticker.revoke': 'Thu hồi mã QR',
  'sticker.report': 'Người dân báo mã đáng ngờ',
  'sticker_report.close': 'Đóng báo cáo mã đáng ngờ',
  'sticker_report.view_phone': 'Xem số điện thoại người báo',
  'site.create': 'Thêm địa điểm',
  'site.update': 'Sửa địa điểm',
  'site.assign': 'Phân công người phụ trách địa điểm',
  'site.unassign': 'Bỏ phân công người phụ trách địa điểm',
  'site.import_stalls': 'Nhập sạp từ tệp',
  'site.import_sites': 'Nhập địa điểm từ tệp',
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
  'user.view_personal': 'Xem số điện thoại người dùng',
  'login.success': 'Đăng nhập',
  'login.failure': 'Đăng nhập sai',
  'login.lock': 'Khóa tài khoản do đăng nhập sai',
  'login.unlock': 'Mở khóa tài khoản',
  'export.table': 'Xuất bảng số liệu',
  'export.report': 'Xuất báo cáo',
  'export.stalls': 'Xuất danh sách sạp',
  'demo.remove': 'Xóa dữ liệu mẫu',
  'admin_units.update': 'Cập nhật đơn vị hành chính',
} as const satisfies Readonly<Record<string, string>>;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

/** For the screen's filter: every action with its label. */
export const AUDIT_ACTION_LABELS: Readonly<Record<string, string>> = AUDIT_ACTIONS;

export function isAuditAction(value: string): value is AuditAction {
  return Object.hasOwn(AUDIT_ACTIONS, value);
}

/** The kinds of record the log names, for its filter. */
export const AUDIT_ENTITY_LABELS: Record<string, string> = {
  stall: 'Sạp',
  account: 'Tài khoản nhận tiền',
  sticker: 'Mã QR',
  sticker_report: 'Báo cáo mã đáng ngờ',
  payee_change: 'Yêu cầu đổi tài khoản nhận tiền',
  site: 'Địa điểm',
  commune: 'Xã/phường',
  campaign: 'Đợt',
  user: 'Người dùng',
  login: 'Đăng nhập',
  demo: 'Dữ liệu mẫu',
  export: 'Xuất dữ liệu',
  redaction: 'Xóa dữ liệu',
  admin_unit_patch: 'Bản cập nhật đơn vị hành chính',
};

/** An action in words; one from an older version shows as recorded, never as nothing. */
export function auditActionLabel(action: string): string {
  return isAuditAction(action) ? AUDIT_ACTIONS[action] : action;
}

export function auditEntityLabel(entity: string): string {
  return Object.hasOwn(AUDIT_ENTITY_LABELS, entity) ? AUDIT_ENTITY_LABELS[entity]! : entity;
}
