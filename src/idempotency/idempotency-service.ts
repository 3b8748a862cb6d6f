import { ValidationError } from '../http/errors.js';
import type { IdempotencyRepo } from './idempotency-repo.js';
import { submitFingerprint } from './submit-fingerprint.js';

/** A form's idempotency key: generated when the form is rendered, kept in the phone's draft. */
const KEY = /^[A-Za-z0-9_-]{16,64}$/;

/** One submit: whose it is, its key and what it said. */
export interface Submit {
  readonly userId: number;
  readonly key: string;
  readonly fingerprint: string;
}

/**
 * What an earlier submit with the same user and key means for this one: none ('new'), the same content sent
 * again ('replay': answer with its result, write nothing), or other content ('conflict': refuse, write nothing).
 */
export type EarlierSubmit =
  { readonly kind: 'new' } | { readonly kind: 'replay' | 'conflict'; readonly resultUrl: string };

/**
 * A double tap or a retry after a timeout lands on the first submit's result instead of saving twice. Keys
 * belong to a user: another user's submit with the same key is simply a submit of theirs.
 */
export function createIdempotencyService({ keys }: { keys: IdempotencyRepo }) {
  const earlier = (submit: Submit, remembered: { fingerprint: string | null; resultUrl: string }): EarlierSubmit =>
    // A key kept before fingerprints existed has none: its replay is taken as the retry it almost always was.
    remembered.fingerprint === null || remembered.fingerprint === submit.fingerprint
      ? { kind: 'replay', resultUrl: remembered.resultUrl }
      : { kind: 'conflict', resultUrl: remembered.resultUrl };

  return {
    /** The submit of a form: its key (a 400 when missing or malformed — the page was not ours) and fingerprint. */
    submitOf(userId: number, input: Record<string, unknown>, photo?: { readonly buffer: Buffer }): Submit {
      const raw = input.idempotency_key;
      if (typeof raw !== 'string' || !KEY.test(raw)) {
        throw new ValidationError({}, 'Biểu mẫu thiếu mã chống gửi trùng. Hãy tải lại trang rồi gửi lại.');
      }
      return { userId, key: raw, fingerprint: submitFingerprint(input, photo) };
    },

    /** Before any check: a submit that already succeeded, so that a resend is answered without redoing them. */
    async earlierSubmit(submit: Submit): Promise<EarlierSubmit> {
      const remembered = await keys.find(submit.key, submit.userId);
      return remembered ? earlier(submit, remembered) : { kind: 'new' };
    },

    /**
     * First thing inside the work's transaction: takes the key. 'new' means this submit does the work (and
     * calls `remember` before committing); otherwise a concurrent submit with the key committed first.
     */
    async claim(submit: Submit, at: string): Promise<EarlierSubmit> {
      if (await keys.claim(submit.key, submit.userId, submit.fingerprint, at)) return { kind: 'new' };
      const remembered = await keys.find(submit.key, submit.userId);
      if (!remembered) throw new Error('An idempotency key was neither claimed nor found.');
      return earlier(submit, remembered);
    },

    /** Where the work led, in the same transaction as the work, so the key's result exists exactly when it does. */
    remember: (submit: Submit, resultUrl: string) => keys.setResult(submit.key, submit.userId, resultUrl),
  };
}

export type IdempotencyService = ReturnType<typeof createIdempotencyService>;
