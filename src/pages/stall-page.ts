import type { AccountsService } from '../accounts/accounts-service.js';
import type { Actor } from '../actor.js';
import type { AuditService } from '../audit/audit-service.js';
import type { SitesService } from '../sites/sites-service.js';
import type { StallsService } from '../stalls/stalls-service.js';
import type { StickersService } from '../stickers/stickers-service.js';
import { can } from '../vocabulary/roles.js';
import type { BankDirectory } from '../vietqr/banks.js';
import { FORMAT_LABELS } from '../vocabulary/sticker-format-labels.js';
import { VISIT_ACTION_LABELS } from '../vocabulary/visit-actions.js';

export interface StallPageDeps {
  readonly sites: SitesService;
  readonly stalls: StallsService;
  readonly accounts: AccountsService;
  readonly stickers: StickersService;
  readonly banks: BankDirectory;
  readonly audit: AuditService;
}

/**
 * Everything the stall page shows; its GET builds it, and every form on it when a submit fails. The services
 * check the actor's reach (404 outside) and, for leaders and viewers, remove the owner name and phone and
 * mask the accounts: what is not in these locals cannot be printed.
 */
export function createStallPage({ sites, stalls, accounts, stickers, banks, audit }: StallPageDeps) {
  return async (actor: Actor, stallId: number) => {
    // The page shows personal data to the roles that read it: viewStall records that view.
    const stall = await stalls.viewStall(actor, stallId);
    const site = await sites.getSite(actor, stall.site_id);
    return {
      title: `${stall.label} · ${site.name}`,
      stall,
      site,
      history: await stalls.history(actor, stall.id),
      visits: await stalls.visits(actor, stall.id),
      visitLabels: VISIT_ACTION_LABELS,
      accounts: (await accounts.accountsOf(actor, stall.id)).map((account) => ({
        ...account,
        bank: banks.byBin(account.bin),
      })),
      banks: await accounts.banksForSite(actor, site.id),
      // A change of the payee on a stall whose sticker is out waits for a second person: the form asks why.
      payeeChange: await accounts.payeeChangeOf(actor, stall.id),
      bankName: (bin: string) => banks.byBin(bin)?.shortName ?? bin,
      stickers: await stickers.listForStall(actor, stall.id),
      formatLabels: FORMAT_LABELS,
      // The audit trail of the stall: only for the roles that work it (its personal data), after the 404 above.
      changeLog: can(actor.role, 'readPersonalData') ? await audit.stallHistory(actor, stall.id) : undefined,
    };
  };
}

export type StallPage = ReturnType<typeof createStallPage>;
