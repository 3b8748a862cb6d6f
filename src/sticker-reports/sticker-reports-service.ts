import type { Actor } from '../actor.js';
import { auditChanges, type AuditFields } from '../audit/audit-changes.js';
import type { AuditService } from '../audit/audit-service.js';
import type { Clock } from '../clock.js';
import {
  assertNoFieldErrors,
  ForbiddenError,
  NotFoundError,
  ValidationError,
  type FieldErrors,
} from '../http/errors.js';
import { TEXT_FIELDS } from '../http/text-fields.js';
import { checkedText } from '../http/validate.js';
import type { TextRule } from '../text/input-text.js';
import { parseVietnamesePhone } from '../text/phone.js';
import type { Role } from '../vocabulary/roles.js';
import { can } from '../vocabulary/roles.js';
import {
  isReportOutcome,
  isReportProblem,
  type ReportOutcome,
  type ReportProblem,
} from '../vocabulary/sticker-reports.js';
import type { StickerReportRow, StickerReportsRepo } from './sticker-reports-repo.js';

export type { StickerReportRow };

/** A customer's report, checked: what looks wrong, and what they chose to add. */
export interface ReportInput {
  readonly problem: ReportProblem;
  readonly detail: string | null;
  readonly phone: string | null;
}

export interface CloseInput {
  readonly outcome: ReportOutcome;
  readonly note: string | null;
}

/** A report on the work list; detail and phone are left out for a role that may not read personal data. */
export type OpenReport = StickerReportRow;

/**
 * How a report enters the audit trail: which problem (one of our sentences) and the outcome are kept; the
 * customer's words, their phone and the lead's note only as "given".
 */
const REPORT_AUDIT_FIELDS: AuditFields = {
  plain: ['report', 'problem', 'outcome'],
  personal: ['detail', 'phone', 'close_note'],
};

/** Who handles customers' reports: the team leads (inside their reach) and admins. */
export function mayHandleStickerReports(role: Role): boolean {
  return role === 'team_lead' || role === 'admin';
}

function assertMayHandle(actor: Actor): void {
  if (!mayHandleStickerReports(actor.role)) {
    throw new ForbiddenError('Chỉ tổ trưởng và quản trị viên xử lý báo cáo mã đáng ngờ.');
  }
}

/** Typed text through the one input normaliser; empty is none. */
function text(body: Record<string, unknown>, name: string, rule: TextRule, errors: FieldErrors): string | null {
  return checkedText(body, name, rule, errors) || null;
}

/** A customer's form, checked; a Vietnamese message next to each field that is wrong. */
export function parseReportForm(body: Record<string, unknown>): ReportInput {
  const errors: FieldErrors = {};
  const problem = body.problem;
  const detail = text(body, 'detail', TEXT_FIELDS.reportDetail, errors);
  const rawPhone = text(body, 'phone', TEXT_FIELDS.phone, errors);
  const phone = rawPhone === null ? null : (parseVietnamesePhone(rawPhone) ?? null);
  if (!isReportProblem(problem)) errors.problem = 'Hãy chọn điều bạn thấy không đúng.';
  if (problem === 'other' && detail === null) errors.detail ??= 'Hãy ghi rõ điều bạn thấy không đúng.';
  if (rawPhone !== null && phone === null) {
    errors.phone = 'Số điện thoại không đúng. Ví dụ: 0905 123 456. Có thể để trống.';
  }
  assertNoFieldErrors(errors);
  return { problem: problem as ReportProblem, detail, phone };
}

function parseCloseForm(body: Record<string, unknown>): CloseInput {
  const errors: FieldErrors = {};
  const outcome = body.outcome;
  const note = text(body, 'note', TEXT_FIELDS.reportCloseNote, errors);
  if (!isReportOutcome(outcome)) errors.outcome = 'Hãy chọn kết quả xử lý.';
  if (outcome === 'other' && note === null) errors.note ??= 'Hãy ghi rõ kết quả xử lý.';
  assertNoFieldErrors(errors);
  return { outcome: outcome as ReportOutcome, note };
}

export interface StickerReportsServiceDeps {
  readonly reports: StickerReportsRepo;
  readonly audit: Pick<AuditService, 'record'>;
  readonly transaction: <T>(work: () => Promise<T>) => Promise<T>;
  readonly clock: Clock;
}

/**
 * Customers' reports about a sticker ("Báo mã đáng ngờ" on /v/CODE): anyone may send one, without a login;
 * the team leads whose reach covers the stall, and admins, read and close them. Each report and each closing
 * is recorded in the audit trail in its own transaction, without the customer's words or phone.
 */
export function createStickerReportsService({ reports, audit, transaction, clock }: StickerReportsServiceDeps) {
  return {
    parseReportForm,

    /**
     * Saves a checked report about the sticker with this verification code (404 when there is none), with its
     * audit row (actor: the public; the request's address kept as logins keep theirs).
     */
    async submit(code: string, input: ReportInput, address = ''): Promise<number> {
      return transaction(async () => {
        const sticker = await reports.findSticker(code.trim().toUpperCase());
        if (!sticker) throw new NotFoundError('Không có mã xác minh này.');
        const id = await reports.insert({ stickerId: sticker.id, ...input, receivedAt: clock.now().toISOString() });
        await audit.record({
          actor: null,
          action: 'sticker.report',
          entity: 'sticker',
          entityId: sticker.id,
          place: { siteId: sticker.site_id, communeCode: sticker.commune_code },
          changes: auditChanges(undefined, { report: id, ...input }, REPORT_AUDIT_FIELDS),
          address,
        });
        return id;
      });
    },

    /**
     * The open reports of stickers whose stall lies in the actor's reach, newest first (403 for other roles).
     * A reporter's phone shown to the actor is a view of personal data: recorded, one row per report, at the
     * stall's site ('sticker_report.view_phone', no value).
     */
    async openFor(actor: Actor): Promise<OpenReport[]> {
      assertMayHandle(actor);
      const rows = await reports.listOpen(actor.reach);
      if (!can(actor.role, 'readPersonalData')) return rows.map((row) => ({ ...row, detail: null, phone: null }));
      const withPhone = rows.filter((row) => row.phone !== null);
      if (withPhone.length > 0) {
        await transaction(async () => {
          for (const row of withPhone) {
            await audit.record({
              actor,
              action: 'sticker_report.view_phone',
              entity: 'sticker_report',
              entityId: row.id,
              place: { siteId: row.site_id, communeCode: row.commune_code },
            });
          }
        });
      }
      return rows;
    },

    /** How many reports wait in the actor's reach (403 for other roles, as openFor). */
    async openCountFor(actor: Actor): Promise<number> {
      assertMayHandle(actor);
      return reports.countOpen(actor.reach);
    },

    /**
     * Closes a report with an outcome from the list (and a note, required for "Khác"): 403 for the roles that
     * do not handle reports, 404 outside the reach (the same as a missing report), 400 when already closed.
     * The phone is dropped as the report closes: it was only kept for the call back.
     */
    async close(actor: Actor, id: number, body: Record<string, unknown>): Promise<void> {
      assertMayHandle(actor);
      const report = await reports.findInReach(id, actor.reach);
      if (!report) throw new NotFoundError('Không tìm thấy báo cáo này.');
      const input = parseCloseForm(body);
      await transaction(async () => {
        const closed = await reports.close(id, {
          by: actor.id,
          at: clock.now().toISOString(),
          outcome: input.outcome,
          note: input.note,
        });
        if (!closed) throw new ValidationError({ outcome: 'Báo cáo này đã được đóng.' }, 'Báo cáo này đã được đóng.');
        await audit.record({
          actor,
          action: 'sticker_report.close',
          entity: 'sticker_report',
          entityId: id,
          place: { siteId: report.site_id, communeCode: report.commune_code },
          changes: auditChanges(
            { report: id, outcome: null, close_note: null, phone: report.phone },
            { report: id, outcome: input.outcome, close_note: input.note, phone: null },
            REPORT_AUDIT_FIELDS,
          ),
        });
      });
    },
  };
}

export type StickerReportsService = ReturnType<typeof createStickerReportsService>;
