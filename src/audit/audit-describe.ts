/**
 * An audit row's `changes` in Vietnamese, one line per field: "Tình trạng: Đã khảo sát → Có tài khoản",
 * "Tên chủ sạp: đã thay đổi". Pure; it shows only what the row holds, and rows never hold personal values.
 */
import { RIGHTS_REASON_LABELS } from '../vocabulary/data-rights.js';
import { GOODS_CATEGORIES } from '../vocabulary/goods-categories.js';
import { PAYEE_CHANGE_KIND_LABELS, PAYEE_CHANGE_STATUS_LABELS } from '../vocabulary/payee-changes.js';
import { RETIRE_REASON_LABELS } from '../vocabulary/retire-reasons.js';
import { ROLE_LABELS } from '../vocabulary/roles.js';
import { REPORT_OUTCOME_LABELS, REPORT_PROBLEM_LABELS } from '../vocabulary/sticker-reports.js';
import { REFUSAL_REASON_LABELS, STALL_STATUS_LABELS } from '../vocabulary/stall-status.js';

const FIELD_LABELS: Record<string, string> = {
  label: 'Số sạp',
  business_name: 'Tên cửa hàng',
  owner_name: 'Họ tên chủ sạp',
  phone: 'Số điện thoại',
  goods_category: 'Nhóm hàng',
  status: 'Tình trạng',
  from_status: 'Tình trạng trước',
  to_status: 'Tình trạng',
  refusal_reason: 'Lý do từ chối',
  reason: 'Lý do',
  note: 'Ghi chú',
  notes: 'Ghi chú',
  consent_at: 'Đồng ý lưu thông tin',
  consent: 'Đồng ý lưu thông tin',
  rights_reason: 'Lý do',
  erased: 'Đã xóa dữ liệu cá nhân',
  accounts: 'Tài khoản',
  stickers: 'Mã QR',
  payee_changes: 'Yêu cầu đổi tài khoản nhận tiền',
  sticker_reports: 'Báo cáo mã đáng ngờ',
  holder_name: 'Tên chủ tài khoản',
  account_number: 'Số tài khoản',
  bin: 'Ngân hàng',
  service: 'Loại',
  is_primary: 'Tài khoản chính',
  verified_name_seen: 'Tên ứng dụng hiển thị',
  verified_at: 'Kiểm tra tên',
  retired_at: 'Ngừng dùng',
  serial: 'Số mã',
  format: 'Khổ in',
  print_count: 'Số lần in',
  name: 'Tên',
  kind: 'Loại',
  commune_code: 'Xã/phường',
  address: 'Địa chỉ',
  target_percent: 'Mục tiêu (%)',
  target_deadline: 'Hạn mục tiêu',
  deadline: 'Hạn',
  starts_on: 'Bắt đầu',
  launched_on: 'Ngày ra quân',
  username: 'Tên đăng nhập',
  assignee_id: 'Mã người phụ trách',
  display_name: 'Họ tên',
  role: 'Vai trò',
  reach: 'Phạm vi',
  active: 'Hoạt động',
  report: 'Số báo cáo',
  problem: 'Điều đáng ngờ',
  detail: 'Mô tả của người báo',
  outcome: 'Kết quả xử lý',
  close_note: 'Ghi chú khi đóng',
  retire_reason: 'Lý do ngừng dùng',
  retired_reason: 'Lý do ngừng dùng',
  decision_note: 'Ghi chú khi xử lý',
  request_status: 'Trạng thái yêu cầu',
  from_account_number: 'Tài khoản chính cũ',
};

const VALUE_LABELS: Record<string, Record<string, string>> = {
  status: STALL_STATUS_LABELS,
  from_status: STALL_STATUS_LABELS,
  to_status: STALL_STATUS_LABELS,
  refusal_reason: REFUSAL_REASON_LABELS,
  goods_category: GOODS_CATEGORIES,
  role: ROLE_LABELS,
  problem: REPORT_PROBLEM_LABELS,
  outcome: REPORT_OUTCOME_LABELS,
  retire_reason: RETIRE_REASON_LABELS,
  retired_reason: RETIRE_REASON_LABELS,
  kind: PAYEE_CHANGE_KIND_LABELS,
  request_status: PAYEE_CHANGE_STATUS_LABELS,
  rights_reason: RIGHTS_REASON_LABELS,
};

function valueText(field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return value ? 'Có' : 'Không';
  const text = typeof value === 'string' || typeof value === 'number' ? String(value) : JSON.stringify(value);
  const labels = VALUE_LABELS[field];
  return labels && Object.hasOwn(labels, text) ? labels[text]! : text;
}

export function auditFieldLabel(field: string): string {
  return Object.hasOwn(FIELD_LABELS, field) ? FIELD_LABELS[field]! : field;
}

/** One line per changed field; a row whose changes cannot be read says so rather than failing the page. */
export function describeAuditChanges(changesJson: string): string[] {
  let changes: unknown;
  try {
    changes = JSON.parse(changesJson);
  } catch {
    return ['(không đọc được nội dung thay đổi)'];
  }
  if (changes === null || typeof changes !== 'object' || Array.isArray(changes)) return [];
  return Object.entries(changes as Record<string, unknown>).map(([field, change]) => {
    const label = auditFieldLabel(field);
    if (change === null || typeof change !== 'object' || Array.isArray(change)) {
      return `${label}: ${valueText(field, change)}`;
    }
    const entry = change as Record<string, unknown>;
    if (entry.changed === true) return `${label}: đã thay đổi`;
    const hasBefore = 'before' in entry;
    const hasAfter = 'after' in entry;
    if (hasBefore && hasAfter) {
      return `${label}: ${valueText(field, entry.before)} → ${valueText(field, entry.after)}`;
    }
    if (hasAfter) return `${label}: ${valueText(field, entry.after)}`;
    if (hasBefore) return `${label}: bỏ ${valueText(field, entry.before)}`;
    return `${label}: ${JSON.stringify(entry)}`;
  });
}
