/**
 * What a customer may report about a sticker, and how a team lead closes the report: fixed lists, so what is
 * kept and shown (in the work list and the audit trail) is one of our sentences, never typed text.
 */
export const REPORT_PROBLEMS = ['name_differs', 'covers_other', 'owner_denies', 'other'] as const;
export type ReportProblem = (typeof REPORT_PROBLEMS)[number];

export const REPORT_PROBLEM_LABELS: Record<ReportProblem, string> = {
  name_differs: 'Tên người nhận khác tên trên mã',
  covers_other: 'Mã dán đè lên mã khác',
  owner_denies: 'Chủ sạp nói không phải mã của họ',
  other: 'Khác',
};

export function isReportProblem(value: unknown): value is ReportProblem {
  return typeof value === 'string' && (REPORT_PROBLEMS as readonly string[]).includes(value);
}

export const REPORT_OUTCOMES = ['sticker_ok', 'sticker_fixed', 'handed_over', 'duplicate', 'other'] as const;
export type ReportOutcome = (typeof REPORT_OUTCOMES)[number];

export const REPORT_OUTCOME_LABELS: Record<ReportOutcome, string> = {
  sticker_ok: 'Đã kiểm tra: mã đúng của sạp',
  sticker_fixed: 'Đã gỡ mã lạ hoặc thay mã mới',
  handed_over: 'Đã chuyển cơ quan chức năng',
  duplicate: 'Trùng với báo cáo khác',
  other: 'Khác',
};

export function isReportOutcome(value: unknown): value is ReportOutcome {
  return typeof value === 'string' && (REPORT_OUTCOMES as readonly string[]).includes(value);
}

/** The longest detail or closing note kept: a few sentences, not a document. */
export const REPORT_TEXT_MAX = 500;
