import type { Actor } from '../actor.js';
import type { Clock } from '../clock.js';
import { ForbiddenError } from '../http/errors.js';
import { WHOLE_COUNTRY, type Reach } from '../vocabulary/reach.js';
import { can } from '../vocabulary/roles.js';
import { auditActionLabel, auditEntityLabel, type AuditAction } from './audit-actions.js';
import type { AuditChanges } from './audit-changes.js';
import { describeAuditChanges } from './audit-describe.js';
import type { AuditEntryRow, AuditFilters, AuditRepo, AuditRow } from './audit-repo.js';

export type { AuditFilters, AuditRow };

/** Rows on one page of /admin/audit. */
export const AUDIT_PER_PAGE = 50;
/** The most rows one CSV holds: a province's months of work; narrower filters for more. */
export const AUDIT_CSV_MAX_ROWS = 10_000;
/** Rows on a stall's page. */
export const STALL_HISTORY_ROWS = 20;

/** What the log's page and CSV filter on; the reach is the service's to decide. */
export type AuditQuery = Omit<AuditFilters, 'reach' | 'limit' | 'offset' | 'stallId'>;

/** One row as people read it: who, what and the changes in words. */
export interface AuditLogEntry extends AuditEntryRow {
  readonly actionLabel: string;
  readonly entityLabel: string;
  readonly changeLines: readonly string[];
}

function present(row: AuditEntryRow): AuditLogEntry {
  return {
    ...row,
    actionLabel: auditActionLabel(row.action),
    entityLabel: auditEntityLabel(row.entity),
    changeLines: describeAuditChanges(row.changes),
  };
}

/** One change as a feature reports it; the service adds the time and keeps it in the change's transaction. */
export interface AuditEntry {
  /** Who acted: null for the command line, the system or the public. */
  readonly actor: Pick<Actor, 'id'> | null;
  /** `<entity>.<verb>`: 'stall.update', 'account.retire', 'login.failure', … */
  readonly action: AuditAction;
  readonly entity: string;
  readonly entityId?: number | null;
  /** Where it happened, so that team leads read the rows of their reach. */
  readonly place?: { readonly siteId: number; readonly communeCode: string } | null;
  /** From auditChanges(): never a personal-data value. */
  readonly changes?: AuditChanges;
  readonly address?: string;
}

export interface AuditServiceDeps {
  readonly audit: AuditRepo;
  readonly clock: Clock;
  readonly inTransaction: () => boolean;
}

export class AuditOutsideTransactionError extends Error {
  constructor(action: string) {
    super(`audit entry ${action} written outside a transaction: it must commit or roll back with its change`);
  }
}

/**
 * Whose rows an actor reads: admins the whole log, whatever their own reach (as they manage every user); team
 * leads the rows tied to a site in their reach (rows tied to no site — logins, users, exports — are not
 * theirs); everyone else none.
 */
function logReachOf(actor: Actor): Reach {
  if (actor.role === 'admin') return WHOLE_COUNTRY;
  // Team leads never hold the whole country (mayHaveWholeCountry), so their reach always needs a site.
  if (actor.role === 'team_lead') return actor.reach;
  throw new ForbiddenError('Chỉ quản trị viên và tổ trưởng được xem nhật ký.');
}

export function createAuditService({ audit, clock, inTransaction }: AuditServiceDeps) {
  return {
    /**
     * Records one change. Must run inside the transaction of the change itself (`data.transaction`), so the
     * row and the change commit or roll back together; outside one it throws, to catch a forgotten wrap.
     */
    async record(entry: AuditEntry): Promise<void> {
      if (!inTransaction()) throw new AuditOutsideTransactionError(entry.action);
      await audit.insert({
        at: clock.now().toISOString(),
        user_id: entry.actor?.id ?? null,
        action: entry.action,
        entity: entry.entity,
        entity_id: entry.entityId ?? null,
        site_id: entry.place?.siteId ?? null,
        commune_code: entry.place?.communeCode ?? null,
        changes: JSON.stringify(entry.changes ?? {}),
        // req.ip: an IPv6 address with its zone fits in 64; anything longer is not an address.
        address: (entry.address ?? '').slice(0, 64),
      });
    },
    list: (filters: AuditFilters): Promise<AuditRow[]> => audit.list(filters),

    /** One page of the log, newest first: 403 for the roles that may not read it. */
    async listFor(actor: Actor, query: AuditQuery, page = 1) {
      const reach = logReachOf(actor);
      const total = await audit.count({ ...query, reach });
      const pages = Math.max(1, Math.ceil(total / AUDIT_PER_PAGE));
      const shown = Math.min(Math.max(1, page), pages);
      const rows = await audit.listEntries({
        ...query,
        reach,
        limit: AUDIT_PER_PAGE,
        offset: (shown - 1) * AUDIT_PER_PAGE,
      });
      return { entries: rows.map(present), total, page: shown, pages };
    },

    /** The rows of the log's CSV, newest first, at most AUDIT_CSV_MAX_ROWS. */
    async exportFor(actor: Actor, query: AuditQuery) {
      const rows = await audit.listEntries({ ...query, reach: logReachOf(actor), limit: AUDIT_CSV_MAX_ROWS });
      return rows.map(present);
    },

    /**
     * The last changes to one stall, its accounts and stickers, for its page: only the roles that read the
     * stall's personal data. The caller loads the stall through the stalls service first (the 404 outside the
     * reach); the reach is applied here too, so a stall id alone shows nothing outside it.
     */
    async stallHistory(actor: Actor, stallId: number) {
      if (!can(actor.role, 'readPersonalData')) {
        throw new ForbiddenError('Chỉ người làm việc với sạp được xem lịch sử thay đổi.');
      }
      // Changes only: every unmasked view is logged too (the full log shows those), but 20 views would hide them.
      const rows = await audit.listEntries({
        stallId,
        reach: actor.reach,
        exceptActions: ['stall.view_personal', 'sticker_report.view_phone', 'user.view_personal'],
        limit: STALL_HISTORY_ROWS,
      });
      return rows.map(present);
    },

    /**
     * Every row about one stall, its accounts and stickers, views included, newest first (at most `limit`):
     * the processing log part of "Dữ liệu đang lưu" (src/data-rights/), which checks role and reach first.
     */
    async stallRecord(actor: Actor, stallId: number, limit = AUDIT_CSV_MAX_ROWS) {
      if (!can(actor.role, 'readPersonalData')) {
        throw new ForbiddenError('Chỉ người làm việc với sạp được xem nhật ký của sạp.');
      }
      return (await audit.listEntries({ stallId, reach: actor.reach, limit })).map(present);
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
