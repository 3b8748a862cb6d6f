import type { Actor } from '../actor.js';
import type { UploadedPhoto } from '../accounts/account-source.js';
import { CONSENT_FOR_ACCOUNT, type AccountsService } from '../accounts/accounts-service.js';
import type { Clock } from '../clock.js';
import { assertNoFieldErrors, type FieldErrors } from '../http/errors.js';
import type { FormInput } from '../http/validate.js';
import type { IdempotencyService } from '../idempotency/idempotency-service.js';
import type { SitesService, SiteWithCoverage } from '../sites/sites-service.js';
import type { StallsService } from '../stalls/stalls-service.js';
import type { VisitsService } from '../visits/visits-service.js';

export interface OnboardResult {
  stallId: number;
  resultUrl: string;
  /** True when this submit repeated an earlier one (same idempotency key): nothing new was written. */
  replayed: boolean;
}

/** The first step at the counter: the sites this volunteer worked on lately, and the sites found by name. */
export interface SitePick {
  recent: { id: number; name: string; commune_name: string }[];
  results: SiteWithCoverage[];
}

export interface OnboardingServiceDeps {
  readonly sites: Pick<SitesService, 'requireSite' | 'listSites'>;
  readonly stalls: StallsService;
  readonly visits: Pick<VisitsService, 'recentSites'>;
  readonly accounts: AccountsService;
  readonly idempotency: IdempotencyService;
  readonly transaction: <T>(work: () => Promise<T>) => Promise<T>;
  readonly clock: Clock;
}

/** The guided flow at the counter, as one use-case over the stalls and accounts services. */
export function createOnboardingService({
  sites,
  stalls,
  visits,
  accounts,
  idempotency,
  transaction,
  clock,
}: OnboardingServiceDeps) {
  return {
    /**
     * The site picker, for roles that work stalls (else 403): only sites of the actor's reach, recent ones
     * included (a reach taken away hides the sites worked on before).
     */
    async pickSite(actor: Actor, query: string): Promise<SitePick> {
      stalls.assertCanManage(actor);
      const worked = await visits.recentSites(actor.id);
      const inReach = new Set(
        worked.length ? (await sites.listSites(actor, { ids: worked.map((site) => site.id) })).map((s) => s.id) : [],
      );
      return {
        recent: worked.filter((site) => inReach.has(site.id)),
        results: query ? await sites.listSites(actor, { query }) : [],
      };
    },

    /**
     * Registers a stall with its first account in one transaction: stall, consent, account, status history,
     * visits and the idempotency key. A repeated key returns the first result and writes nothing.
     */
    async onboard(
      actor: Actor,
      siteId: number,
      input: FormInput,
      photo: UploadedPhoto | undefined,
    ): Promise<OnboardResult> {
      const site = await sites.requireSite(actor, siteId);
      stalls.assertCanManage(actor);
      const key = idempotency.parseKey(input.idempotency_key);
      const previous = await idempotency.previousResult(key, actor.id);
      if (previous)
        return { stallId: Number(/\/stalls\/(\d+)/.exec(previous)?.[1]), resultUrl: previous, replayed: true };

      const errors: FieldErrors = {};
      const values = await stalls.checkStallInput(actor, input, site.id, undefined, errors);
      const withAccount = await accounts.checkAccountInput(actor, input, photo, 0, errors);
      if (withAccount && !values.consentGiven) errors.consent = errors.consent ?? CONSENT_FOR_ACCOUNT;
      assertNoFieldErrors(errors);

      const at = clock.now().toISOString();
      return transaction(async () => {
        const stallId = await stalls.insertStall(actor, site.id, values, at);
        if (withAccount) await accounts.insertAccount(actor, await stalls.stallToWork(actor, stallId), withAccount, at);
        const resultUrl = withAccount ? `/stalls/${stallId}/name-check?new=1` : `/stalls/${stallId}?new=1`;
        await idempotency.remember(key, actor.id, resultUrl, at);
        return { stallId, resultUrl, replayed: false };
      });
    },
  };
}

export type OnboardingService = ReturnType<typeof createOnboardingService>;
