import type { AccountsService } from '../accounts/accounts-service.js';
import type { Actor } from '../actor.js';
import type { SitesService } from '../sites/sites-service.js';
import type { StallsService } from '../stalls/stalls-service.js';
import type { BankDirectory } from '../vietqr/banks.js';
import { encode } from '../vietqr/encode.js';
import { qrMatrix } from '../vietqr/qr-matrix.js';
import { qrSvg } from '../vietqr/qr-svg.js';

export interface OnboardingPagesDeps {
  readonly sites: SitesService;
  readonly stalls: StallsService;
  readonly accounts: AccountsService;
  readonly banks: BankDirectory;
}

/** The static VietQR of an account, as an SVG for the screen. */
export function accountQrSvg(
  account: { bin: string; account_number: string; service: 'account' | 'card' },
  label: string,
): string {
  const payload = encode({ bin: account.bin, account: account.account_number, service: account.service });
  return qrSvg(qrMatrix(payload), { ariaLabel: label, className: 'qr' });
}

/**
 * The counter flow's pages: the onboarding form of a site and the name check of an account. Both are for the
 * roles that work stalls only (403 for leaders and viewers): the name check shows the full account and a
 * payable QR of it. Outside the actor's reach both answer 404.
 */
export function createOnboardingPages({ sites, stalls, accounts, banks }: OnboardingPagesDeps) {
  return {
    /**
     * The onboarding form: drawn for GET, and again only when a submit fails (withForm). It shows the site's
     * name, not its status counts, so the site is read without them; the bank picker's usage is a few rows of
     * site_bank_usage. Nothing here grows with the site's stalls.
     */
    async form(actor: Actor, siteId: number) {
      const site = await sites.requireSite(actor, siteId);
      stalls.assertCanManage(actor);
      return {
        title: `Thêm sạp · ${site.name}`,
        site,
        banks: await accounts.banksForSite(actor, site.id),
        draftKey: `onboard-site-${site.id}`,
      };
    },

    /**
     * The account asked for (else the primary, else the first active one), or undefined when there is none.
     * The page shows the full number: opened outside the onboarding flow (`viewed`), that view is recorded
     * as the stall page's is; right after onboarding the volunteer is still typing what they were given.
     */
    async nameCheck(actor: Actor, stallId: number, accountIdText: unknown, viewed = false) {
      const requested = typeof accountIdText === 'string' ? Number(accountIdText) : undefined;
      const found = await accounts.accountToCheck(actor, stallId, requested);
      if (!found) return undefined;
      if (viewed) await stalls.viewStall(actor, stallId);
      const { stall, account } = found;
      const site = await sites.getSite(actor, stall.site_id);
      return {
        title: `Kiểm tra tên · ${stall.label}`,
        stall,
        site,
        account,
        bank: banks.byBin(account.bin),
        qrSvg: accountQrSvg(account, `Mã VietQR của ${stall.label}`),
      };
    },
  };
}

export type OnboardingPages = ReturnType<typeof createOnboardingPages>;
