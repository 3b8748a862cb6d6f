/**
 * Every action the audit trail records, `<entity>.<verb>`, with the Vietnamese label the audit screen shows.
 * One list, so a feature cannot log an action the screen cannot name and the filter offers exactly these.
 */
export const AUDIT_ACTIONS = {
  'stall.create': 'Thêm sạp',
  'stall.update': 'Sửa thông tin sạp',
  'stall.status': 'Đổi trạng thái sạp',
  'stall.installed': 'Ghi nhận đã dán mã QR',
  'stall.follow_up': 'Ghi lần thăm lại',
  'stall.consent': 'Ghi nhận đồng ý của chủ sạp',
  'stall.view_personal': 'Xem thông tin cá nhân của sạp',
  'account.add': 'Thêm tài khoản nhận tiền',
  'account.name_check': 'Kiểm tra tên chủ tài khoản',
  'account.primary': 'Đặt tài khoản chính',
  'account.retire': 'Ngừng dùng tài khoản',
  'sticker.issue': 'Cấp mã tem',
  'sticker.print': 'In tem',
  'sticker.revoke': 'Thu hồi tem',
  'site.create': 'Thêm điểm',
  'site.update': 'Sửa thông tin điểm',
  'campaign.create': 'Tạo chiến dịch',
  'campaign.update': 'Sửa chiến dịch',
  'redaction.apply': 'Xoá dữ liệu cá nhân',
  'user.create': 'Tạo người dùng',
  'user.update': 'Sửa người dùng',
  'user.disable': 'Khoá người dùng',
  'user.enable': 'Mở khoá người dùng',
  'user.reset_password': 'Đặt lại mật khẩu',
  'user.password_change': 'Đổi mật khẩu',
  'user.bulk_create': 'Tạo người dùng hàng loạt',
  'login.success': 'Đăng nhập thành công',
  'login.failure': 'Đăng nhập thất bại',
  'login.lock': 'Khoá đăng nhập',
  'login.unlock': 'Mở khoá đăng nhập',
  'export.table': 'Xuất bảng',
  'export.report': 'Xuất báo cáo',
  'export.stalls': 'Xuất danh sách sạp',
} as const satisfies Readonly<Record<string, string>>;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

export function isAuditAction(value: string): value is AuditAction {
  return Object.hasOwn(AUDIT_ACTIONS, value);
}

/** The label for a stored action; an action from an older version is shown as stored. */
export function auditActionLabel(action: string): string {
  return isAuditAction(action) ? AUDIT_ACTIONS[action] : action;
}
