import type { Actor } from '../actor.js';
import type { Clock } from '../clock.js';
import type { AuditAction } from './audit-actions.js';
import type { AuditChanges } from './audit-changes.js';
import type { AuditFilters, AuditRepo, AuditRow } from './audit-repo.js';

export type { AuditFilters, AuditRow };

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
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
