import { ValidationError } from '../http/errors.js';
import type { IdempotencyRepo } from './idempotency-repo.js';

/** A form's idempotency key: generated when the form is rendered, kept in the phone's draft. */
const KEY = /^[A-Za-z0-9_-]{16,64}$/;

/** A double tap or a retry after a timeout lands on the first submit's result instead of saving twice. */
export function createIdempotencyService({ keys }: { keys: IdempotencyRepo }) {
  return {
    /** The key from a form, or a 400 when it is missing or malformed (the page was not ours). */
    parseKey(raw: unknown): string {
      if (typeof raw !== 'string' || !KEY.test(raw)) {
        throw new ValidationError({}, 'Biểu mẫu thiếu mã chống gửi trùng. Hãy tải lại trang rồi gửi lại.');
      }
      return raw;
    },
    /** Where the first submit with this key led, if it already succeeded. */
    previousResult: (key: string, userId: number) => keys.findResult(key, userId),
    /** Call inside the same transaction as the work, so the key exists exactly when the work does. */
    remember: (key: string, userId: number, resultUrl: string, at: string) => keys.insert(key, userId, resultUrl, at),
  };
}

export type IdempotencyService = ReturnType<typeof createIdempotencyService>;
