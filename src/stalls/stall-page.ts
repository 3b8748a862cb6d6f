import { maskAccount } from '../accounts/accounts-repo.js';
import type { OnboardingService } from '../onboarding/onboarding-service.js';
import type { SitesService } from '../sites/sites-service.js';
import { FORMAT_LABELS } from '../vocabulary/sticker-format-labels.js';
import type { StickersService } from '../stickers/stickers-service.js';
import type { BankDirectory } from '../vietqr/banks.js';
import { VISIT_ACTION_LABELS } from '../vocabulary/visit-actions.js';
import type { StallsService } from './stalls-service.js';

/** Everything the stall page shows; shared by every route that renders it, also to re-render a failed form. */
export function createStallPage(sites: SitesService, stalls: StallsService, onboarding: OnboardingService, banks: BankDirectory, stickers: StickersService) {
  return (stallId: number) => {
    const stall = stalls.getStall(stallId);
    const site = sites.getSite(stall.site_id);
    return {
      title: `${stall.label} · ${site.name}`,
      stall,
      site,
      history: stalls.history(stall.id),
      visits: stalls.visits(stall.id),
      visitLabels: VISIT_ACTION_LABELS,
      accounts: onboarding.accountsOf(stall.id).map((account) => ({
        ...account,
        masked: maskAccount(account.account_number),
        bank: banks.byBin(account.bin),
      })),
      banks: onboarding.banksForSite(site.id),
      stickers: stickers.listForStall(stall.id),
      formatLabels: FORMAT_LABELS,
    };
  };
}

export type StallPage = ReturnType<typeof createStallPage>;
