import type { AccountsService } from '../accounts/accounts-service.js';
import type { Actor } from '../actor.js';
import type { BankDirectory } from '../vietqr/banks.js';

export interface WorkPageDeps {
  readonly accounts: Pick<AccountsService, 'pendingPayeeChanges' | 'countPendingPayeeChanges'>;
  readonly banks: BankDirectory;
}

/**
 * The work list of team leads and admins (/work), one section per kind of work: today the payee-change
 * requests waiting for a second person. A new kind of work adds its section here, its count to `count`, and
 * its partial to views/work/list.ejs. Each section's service checks the role (403) and keeps to the reach.
 */
export function createWorkPage({ accounts, banks }: WorkPageDeps) {
  const bankName = (bin: string) => banks.byBin(bin)?.shortName ?? bin;
  return {
    async page(actor: Actor) {
      const payeeChanges = await accounts.pendingPayeeChanges(actor);
      return {
        title: 'Việc cần xử lý',
        bankName,
        sections: { payeeChanges },
      };
    },
    /** Everything waiting for the actor, for the menu: 0 for the roles without a work list. */
    count: (actor: Actor): Promise<number> => accounts.countPendingPayeeChanges(actor),
  };
}

export type WorkPage = ReturnType<typeof createWorkPage>;
