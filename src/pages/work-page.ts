import type { AccountsService } from '../accounts/accounts-service.js';
import type { Actor } from '../actor.js';
import type { StickerReportsService } from '../sticker-reports/sticker-reports-service.js';
import type { BankDirectory } from '../vietqr/banks.js';
import { can } from '../vocabulary/roles.js';
import { REPORT_OUTCOME_LABELS, REPORT_PROBLEM_LABELS } from '../vocabulary/sticker-reports.js';

export interface WorkPageDeps {
  readonly accounts: Pick<AccountsService, 'pendingPayeeChanges' | 'countPendingPayeeChanges'>;
  readonly stickerReports: Pick<StickerReportsService, 'openFor' | 'openCountFor'>;
  readonly banks: BankDirectory;
}

/**
 * The work list of team leads and admins (/work), one section per kind of work: the payee-change requests
 * waiting for a second person, and the customers' reports about stickers. A new kind of work adds its section
 * here, its count to `count`, and its partial to views/work/list.ejs. Each section's service checks the role
 * (403) and keeps to the reach.
 */
export function createWorkPage({ accounts, stickerReports, banks }: WorkPageDeps) {
  const bankName = (bin: string) => banks.byBin(bin)?.shortName ?? bin;
  return {
    async page(actor: Actor) {
      const payeeChanges = await accounts.pendingPayeeChanges(actor);
      const reports = await stickerReports.openFor(actor);
      return {
        title: 'Việc cần xử lý',
        bankName,
        sections: { payeeChanges, stickerReports: reports },
        reportProblemLabels: REPORT_PROBLEM_LABELS,
        reportOutcomeLabels: REPORT_OUTCOME_LABELS,
      };
    },
    /** Everything waiting for the actor, for the menu: 0 for the roles without a work list. */
    async count(actor: Actor): Promise<number> {
      if (!can(actor.role, 'handleWork')) return 0;
      return (await accounts.countPendingPayeeChanges(actor)) + (await stickerReports.openCountFor(actor));
    },
  };
}

export type WorkPage = ReturnType<typeof createWorkPage>;
