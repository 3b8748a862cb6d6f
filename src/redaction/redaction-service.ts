import type { Actor } from '../actor.js';
import { auditChanges } from '../audit/audit-changes.js';
import type { AuditService } from '../audit/audit-service.js';
import type { Clock } from '../clock.js';
import { assertNoFieldErrors, ForbiddenError, NotFoundError, type FieldErrors } from '../http/errors.js';
import { TEXT_FIELDS } from '../http/text-fields.js';
import { checkedText } from '../http/validate.js';
import { reachCoversSite } from '../vocabulary/reach.js';
import type { Role } from '../vocabulary/roles.js';
import type { RedactionCounts, RedactionRepo } from './redaction-repo.js';

export type { RedactionCounts };

/** Who may remove a stall's free text for good, inside their reach. */
const REDACTING_ROLES: readonly Role[] = ['team_lead', 'admin'];

/**
 * Redacting free text of the append-only history and visits, for personal-data erasure: the audited path
 * the database leaves open (migrations/0008_append_only.sql). Its caller is the erasure of a stall's personal
 * data (src/data-rights/), which runs it inside its own transaction.
 */
export interface RedactionServiceDeps {
  readonly redactions: RedactionRepo;
  readonly audit: Pick<AuditService, 'record'>;
  readonly transaction: <T>(work: () => Promise<T>) => Promise<T>;
  readonly clock: Clock;
}

export function createRedactionService({ redactions, audit, transaction, clock }: RedactionServiceDeps) {
  return {
    /**
     * Blanks the note of every status-history row and visit of the stall that has one, each recorded in
     * `redactions` (who, when, which row and field, why). Statuses, times and people are kept, so every
     * adoption figure stays as it was.
     */
    async redactStallFreeText(actor: Actor, input: { stallId: number; reason: string }): Promise<RedactionCounts> {
      const place = await redactions.stallPlace(input.stallId);
      // Outside the reach the stall answers as a missing one; inside it, erasure (text removed for good) is for
      // the people who answer a trader's request: team leads and administrators (src/data-rights/).
      if (!place || !reachCoversSite(actor.reach, place)) throw new NotFoundError('Không tìm thấy sạp này.');
      if (!REDACTING_ROLES.includes(actor.role)) {
        throw new ForbiddenError('Chỉ tổ trưởng và quản trị viên được xoá ghi chú của sạp.');
      }
      const errors: FieldErrors = {};
      const reason = checkedText(input, 'reason', TEXT_FIELDS.redactionReason, errors);
      if (!reason) errors.reason ??= 'Ghi lý do xoá, ví dụ số của yêu cầu xoá dữ liệu.';
      assertNoFieldErrors(errors);
      const at = clock.now().toISOString();
      return transaction(async () => {
        const redacted = await redactions.redactStallNotes({ stallId: input.stallId, reason, at, by: actor.id });
        // Which table, rows and field were blanked; the reason (free text) only as given, never its words.
        const changes = auditChanges(
          undefined,
          {
            field: 'note',
            stall_status_history: redacted.historyRowIds.join(','),
            visits: redacted.visitRowIds.join(','),
            reason,
          },
          { plain: ['field', 'stall_status_history', 'visits'], personal: ['reason'] },
        );
        await audit.record({
          actor,
          action: 'redaction.apply',
          entity: 'stall',
          entityId: input.stallId,
          place: { siteId: place.siteId, communeCode: place.communeCode },
          changes,
        });
        return { historyNotes: redacted.historyNotes, visitNotes: redacted.visitNotes };
      });
    },
  };
}

export type RedactionService = ReturnType<typeof createRedactionService>;
