import type { AuditService } from '../audit/audit-service.js';
import { auditChanges } from '../audit/audit-changes.js';
import type { Clock } from '../clock.js';
import { HttpError } from '../http/errors.js';
import type { DemoRemoval, DemoRepo } from './demo-repo.js';
import { DEMO_USERS } from './demo-sites.js';

/** How long one process trusts its answer: the mark changes only when the demo is seeded or removed. */
const RECHECK_MS = 60_000;

export interface DemoStatusDeps {
  readonly repo: Pick<DemoRepo, 'holdsDemo' | 'removeDemo'>;
  readonly transaction: <T>(work: () => Promise<T>) => Promise<T>;
  readonly audit: Pick<AuditService, 'record'>;
  readonly clock: Clock;
}

/**
 * Whether the database holds the invented demo programme, for the "Dữ liệu mẫu" banner on every page (read
 * once a minute per process, not once per request), and its removal when a registry goes live.
 */
export function createDemoStatus({ repo, transaction, audit, clock }: DemoStatusDeps) {
  let known: { holds: boolean; at: number } | undefined;
  return {
    async holdsDemo(): Promise<boolean> {
      const now = clock.now().getTime();
      if (!known || now - known.at >= RECHECK_MS) known = { holds: await repo.holdsDemo(), at: now };
      return known.holds;
    },

    /**
     * `phoqr demo remove`: every demo row deleted in one transaction, recorded in the audit trail (counts
     * only). Refused (409) on a database without the demo, or when a real row refers to a demo user.
     */
    async remove(): Promise<DemoRemoval> {
      try {
        const removed = await transaction(async () => {
          if (!(await repo.holdsDemo())) throw new HttpError(409, 'Cơ sở dữ liệu này không có dữ liệu mẫu.');
          const counts = await repo.removeDemo(DEMO_USERS.map((user) => user.username));
          await audit.record({
            actor: null,
            action: 'demo.remove',
            entity: 'demo',
            changes: auditChanges(undefined, { ...counts }, { plain: ['users', 'sites', 'stalls'] }),
          });
          return counts;
        });
        known = undefined;
        return removed;
      } catch (error) {
        if (error instanceof Error && /FOREIGN KEY/i.test(error.message)) {
          throw new HttpError(
            409,
            'Chưa xóa gì: có dữ liệu thật do một tài khoản mẫu tạo hoặc sửa (ví dụ một sạp ở địa điểm thật). ' +
              'Hãy chuyển hoặc xóa dữ liệu đó trước.',
          );
        }
        throw error;
      }
    },
  };
}

export type DemoStatus = ReturnType<typeof createDemoStatus>;
