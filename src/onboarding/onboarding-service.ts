import type { Actor } from '../actor.js';
import type { UploadedPhoto } from '../accounts/account-source.js';
import { CONSENT_FOR_ACCOUNT, type AccountsService } from '../accounts/accounts-service.js';
import type { Clock } from '../clock.js';
import { assertNoFieldErrors, NotFoundError, type FieldErrors } from '../http/errors.js';
import type { FormInput } from '../http/validate.js';
import type { IdempotencyService } from '../idempotency/idempotency-service.js';
import type { SitesService } from '../sites/sites-service.js';
import type { StallsService } from '../stalls/stalls-service.js';

export interface OnboardResult {
  stallId: number;
  resultUrl: string;
  /** True when this submit repeated an earlier one (same idempotency key): nothing new was written. */
  replayed: boolean;
}

export interface OnboardingServiceDeps {
  readonly sites: Pick<SitesService, 'findSite'>;
  readonly stalls: StallsService;
  readonly accounts: AccountsService;
  readonly idempotency: IdempotencyService;
  readonly transaction: <T>(work: () => Promise<T>) => Promise<T>;
  readonly clock: Clock;
}

/** The guided flow at the counter, as one use-case over the stalls and accounts services. */
export function createOnboardingService({
  sites,
  stalls,
  accounts,
  idempotency,
  transaction,
  clock,
}: OnboardingServiceDeps) {
  return {
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
      stalls.assertCanManage(actor);
      if (!(await sites.findSite(siteId))) throw new NotFoundError('Không tìm thấy địa điểm này.');
      const key = idempotency.parseKey(input.idempotency_key);
      const previous = await idempotency.previousResult(key, actor.id);
      if (previous)
        return { stallId: Number(/\/stalls\/(\d+)/.exec(previous)?.[1]), resultUrl: previous, replayed: true };

      const errors: FieldErrors = {};
      const values = await stalls.checkStallInput(input, siteId, undefined, errors);
      const withAccount = await accounts.checkAccountInput(input, photo, 0, errors);
      if (withAccount && !values.consentGiven) errors.consent = errors.consent ?? CONSENT_FOR_ACCOUNT;
      assertNoFieldErrors(errors);

      const at = clock.now().toISOString();
      return transaction(async () => {
        const stallId = await stalls.insertStall(actor, siteId, values, at);
        if (withAccount) await accounts.insertAccount(actor, await stalls.getStall(stallId), withAccount, at);
        const resultUrl = withAccount ? `/stalls/${stallId}/name-check?new=1` : `/stalls/${stallId}?new=1`;
        await idempotency.remember(key, actor.id, resultUrl, at);
        return { stallId, resultUrl, replayed: false };
      });
    },
  };
}

export type OnboardingService = ReturnType<typeof createOnboardingService>;
