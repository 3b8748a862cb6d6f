import { randomUUID } from 'node:crypto';
import type { Actor } from '../actor.js';
import type { UploadedPhoto } from '../accounts/account-source.js';
import { CONSENT_FOR_ACCOUNT, type AccountsService } from '../accounts/accounts-service.js';
import type { Clock } from '../clock.js';
import { assertNoFieldErrors, ValidationError, type FieldErrors } from '../http/errors.js';
import { textField, ticked, type FormInput } from '../http/validate.js';
import type { EarlierSubmit, IdempotencyService } from '../idempotency/idempotency-service.js';
import type { SitesService, SiteWithCoverage } from '../sites/sites-service.js';
import type { StallsService } from '../stalls/stalls-service.js';
import type { VisitsService } from '../visits/visits-service.js';
import { reachCoversSite } from '../vocabulary/reach.js';
import type { AssignmentsService } from '../worklists/assignments-service.js';
import { captureTimeOf } from './capture-time.js';

export interface OnboardResult {
  stallId: number;
  resultUrl: string;
  /** True when this submit repeated an earlier one (same idempotency key): nothing new was written. */
  replayed: boolean;
}

const REFUSAL_WITH_ACCOUNT =
  'Tiểu thương từ chối thì không ghi tài khoản: bỏ trống phần tài khoản, hoặc bỏ dấu “Tiểu thương từ chối”.';

const REFUSAL_NOT_TICKED =
  'Đã ghi lý do từ chối nhưng chưa đánh dấu “Tiểu thương từ chối”: đánh dấu để lưu, hoặc xóa lý do và ghi chú.';

/** The first step at the counter: the sites this volunteer worked on lately, and the sites found by name. */
export interface SitePick {
  /** The volunteer's assigned sites first (`assigned`), then the ones worked on lately. */
  recent: { id: number; name: string; commune_name: string; assigned?: boolean }[];
  results: SiteWithCoverage[];
}

export interface OnboardingServiceDeps {
  readonly sites: Pick<SitesService, 'requireSite' | 'listSites'>;
  readonly stalls: StallsService;
  readonly visits: Pick<VisitsService, 'recentSites'>;
  readonly assignments: Pick<AssignmentsService, 'sitesOf'>;
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
  assignments,
  accounts,
  idempotency,
  transaction,
  clock,
}: OnboardingServiceDeps) {
  /** A resend lands where the first submit did; a changed form under a used key is another stall, if anything. */
  function answerEarlier(earlier: Exclude<EarlierSubmit, { kind: 'new' }>): OnboardResult {
    const stallId = Number(/\/stalls\/(\d+)/.exec(earlier.resultUrl)?.[1]);
    if (earlier.kind === 'replay') return { stallId, resultUrl: earlier.resultUrl, replayed: true };
    throw new ValidationError(
      {},
      'Biểu mẫu này đã được gửi và lưu thành một sạp; lần gửi này có nội dung khác nên chưa được lưu. ' +
        'Nếu muốn sửa sạp đã lưu, hãy mở sạp đó. Nếu đây là một sạp khác, hãy xem lại rồi bấm “Lưu và tạo mã QR” ' +
        'để lưu thành sạp mới.',
      409,
      // A fresh key: the next submit of this form is a new one, not the first one again.
      { values: { idempotency_key: randomUUID() }, locals: { savedStallUrl: `/stalls/${stallId}` } },
    );
  }

  return {
    /**
     * The site picker, for roles that work stalls (else 403): only sites of the actor's reach, recent ones
     * included (a reach taken away hides the sites worked on before).
     */
    async pickSite(actor: Actor, query: string): Promise<SitePick> {
      stalls.assertCanManage(actor);
      // The reach is checked on the rows themselves (their commune and province): no site list, no counts.
      const worked = (await visits.recentSites(actor.id)).filter((site) =>
        reachCoversSite(actor.reach, {
          siteId: site.id,
          communeCode: site.commune_code,
          provinceCode: site.province_code,
        }),
      );
      // Assigned sites come first (already kept to the reach), then the others worked on lately.
      const assigned = (await assignments.sitesOf(actor)).map((site) => ({ ...site, assigned: true }));
      const mine = new Set(assigned.map((site) => site.id));
      return {
        recent: [
          ...assigned,
          ...worked
            .filter((site) => !mine.has(site.id))
            .map((site) => ({ id: site.id, name: site.name, commune_name: site.commune_name })),
        ],
        results: query ? await sites.listSites(actor, { query }) : [],
      };
    },

    /**
     * Registers a stall with its first account in one transaction: stall, consent, account, status history,
     * visits and the idempotency key. The same submit sent again returns the first result and writes nothing;
     * the key sent again with other content is refused (409) with the form kept and a fresh key in it. A submit
     * sent from the phone's offline queue carries `captured_at` and `queued_at` (capture-time.ts): the stall,
     * its history, visit and account are dated from the capture.
     */
    async onboard(
      actor: Actor,
      siteId: number,
      input: FormInput,
      photo: UploadedPhoto | undefined,
    ): Promise<OnboardResult> {
      const site = await sites.requireSite(actor, siteId);
      stalls.assertCanManage(actor);
      const submit = idempotency.submitOf(actor.id, input, photo);
      const earlier = await idempotency.earlierSubmit(submit);
      if (earlier.kind !== 'new') return answerEarlier(earlier);
      // A submit queued on the phone while offline counts from when it was captured, not when it arrived.
      const now = clock.now();
      const capturedAt = captureTimeOf(input, now);

      const errors: FieldErrors = {};
      const values = await stalls.checkStallInput(actor, input, site.id, undefined, errors);
      const withAccount = await accounts.checkAccountInput(actor, input, photo, 0, errors);
      if (withAccount && !values.consentGiven) errors.consent = errors.consent ?? CONSENT_FOR_ACCOUNT;
      // A trader who says no is still counted (the census is every stall), with why, in the same submit.
      const refusal = ticked(input, 'refused') ? stalls.checkRefusalInput(input, errors) : undefined;
      if (refusal && withAccount) errors.refused = REFUSAL_WITH_ACCOUNT;
      // A reason or note without the box ticked would be dropped without a word: ask which was meant.
      if (!refusal && (textField(input, 'refusal_reason') || textField(input, 'note')))
        errors.refused = REFUSAL_NOT_TICKED;
      if (Object.keys(errors).length > 0) {
        // The checks can wait (a photo is decoded in another process) while the same submit, tapped twice,
        // commits: its stall then trips this one's duplicate checks. That is the first result, not an error.
        const meanwhile = await idempotency.earlierSubmit(submit);
        if (meanwhile.kind !== 'new') return answerEarlier(meanwhile);
      }
      assertNoFieldErrors(errors);

      return transaction(async () => {
        // The same submit may be on its way twice (a double tap): the one that takes the key first does the work.
        const concurrent = await idempotency.claim(submit, now.toISOString());
        if (concurrent.kind !== 'new') return answerEarlier(concurrent);
        const stallId = await stalls.insertStall(actor, site.id, values, capturedAt);
        if (withAccount) {
          await accounts.insertAccount(actor, await stalls.stallToWork(actor, stallId), withAccount, capturedAt);
        }
        if (refusal) await stalls.recordRefusal(actor, stallId, refusal, capturedAt);
        const resultUrl = withAccount
          ? `/stalls/${stallId}/name-check?new=1`
          : `/stalls/${stallId}?new=1${refusal ? '&saved=refused' : ''}`;
        await idempotency.remember(submit, resultUrl);
        return { stallId, resultUrl, replayed: false };
      });
    },
  };
}

export type OnboardingService = ReturnType<typeof createOnboardingService>;
