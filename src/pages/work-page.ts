import type { AccountsService } from '../accounts/accounts-service.js';
import type { Actor } from '../actor.js';
import type { StickerReportsService } from '../sticker-reports/sticker-reports-service.js';
import type { BankDirectory } from '../vietqr/banks.js';
import { can } from '../vocabulary/roles.js';
import { REPORT_OUTCOME_LABELS, REPORT_PROBLEM_LABELS } from '../vocabulary/sticker-reports.js';
import type { AssignmentsService } from '../worklists/assignments-service.js';
import type { WorkGroup, WorklistsService } from '../worklists/worklists-service.js';

export interface WorkPageDeps {
  readonly accounts: Pick<AccountsService, 'pendingPayeeChanges' | 'countPendingPayeeChanges'>;
  readonly stickerReports: Pick<StickerReportsService, 'openFor' | 'openCountFor'>;
  readonly banks: BankDirectory;
  readonly worklists: Pick<WorklistsService, 'summary'>;
  readonly assignments: Pick<AssignmentsService, 'counts'>;
}

/** The stalls' work on /work; payee changes and reports have their own sections with their decisions. */
const STALL_WORK: readonly WorkGroup[] = ['follow_up', 'name_check', 'sticker'];

/**
 * The work list of team leads and admins (/work), one section per kind of work: the payee-change requests
 * waiting for a second person, the customers' reports about stickers, the stalls waiting for a visit, a name
 * check or a sticker across the reach, and the sites nobody is assigned to. A new kind of work adds its
 * section here, its count to `count`, and its partial to views/work/list.ejs. Each section's service checks
 * the role (403) and keeps to the reach.
 */
export function createWorkPage({ accounts, stickerReports, banks, worklists, assignments }: WorkPageDeps) {
  const bankName = (bin: string) => banks.byBin(bin)?.shortName ?? bin;
  return {
    async page(actor: Actor) {
      const payeeChanges = await accounts.pendingPayeeChanges(actor);
      const reports = await stickerReports.openFor(actor);
      return {
        title: 'Việc cần xử lý',
        bankName,
        sections: {
          payeeChanges,
          stickerReports: reports,
          stallWork: await worklists.summary(actor, STALL_WORK),
          assignments: await assignments.counts(actor),
        },
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
