import type { AccountsService } from '../accounts/accounts-service.js';
import type { SitesService } from '../sites/sites-service.js';
import type { StallsService } from '../stalls/stalls-service.js';
import type { StickersService } from '../stickers/stickers-service.js';
import type { BankDirectory } from '../vietqr/banks.js';
import { maskAccount } from '../vocabulary/masking.js';
import { FORMAT_LABELS } from '../vocabulary/sticker-format-labels.js';
import { VISIT_ACTION_LABELS } from '../vocabulary/visit-actions.js';

export interface StallPageDeps {
  readonly sites: SitesService;
  readonly stalls: StallsService;
  readonly accounts: AccountsService;
  readonly stickers: StickersService;
  readonly banks: BankDirectory;
}

/** Everything the stall page shows; its GET builds it, and every form on it when a submit fails. */
export function createStallPage({ sites, stalls, accounts, stickers, banks }: StallPageDeps) {
  return async (stallId: number) => {
    const stall = await stalls.getStall(stallId);
    const site = await sites.getSite(stall.site_id);
    return {
      title: `${stall.label} · ${site.name}`,
      stall,
      site,
      history: await stalls.history(stall.id),
      visits: await stalls.visits(stall.id),
      visitLabels: VISIT_ACTION_LABELS,
      accounts: (await accounts.accountsOf(stall.id)).map((account) => ({
        ...account,
        masked: maskAccount(account.account_number),
        bank: banks.byBin(account.bin),
      })),
      banks: await accounts.banksForSite(site.id),
      stickers: await stickers.listForStall(stall.id),
      formatLabels: FORMAT_LABELS,
    };
  };
}

export type StallPage = ReturnType<typeof createStallPage>;
