import type { Db } from '../db/database.js';
import { ValidationError } from './errors.js';

/** A form's idempotency key: generated when the form is rendered, kept in the phone's draft. */
const KEY = /^[A-Za-z0-9_-]{16,64}$/;

export function createIdempotency(db: Db) {
  const find = db.prepare<[string, number], { result_url: string }>(
    'SELECT result_url FROM idempotency_keys WHERE key = ? AND user_id = ?',
  );
  const insert = db.prepare<[string, number, string, string]>(
    'INSERT INTO idempotency_keys (key, user_id, result_url, created_at) VALUES (?, ?, ?, ?)',
  );

  return {
    /** The key from a form, or a 400 when it is missing or malformed (the page was not ours). */
    parseKey(raw: unknown): string {
      if (typeof raw !== 'string' || !KEY.test(raw)) {
        throw new ValidationError({}, 'Biểu mẫu thiếu mã chống gửi trùng. Hãy tải lại trang rồi gửi lại.');
      }
      return raw;
    },
    /** Where the first submit with this key led, if it already succeeded. */
    previousResult: (key: string, userId: number) => find.get(key, userId)?.result_url,
    /** Call inside the same transaction as the work, so the key exists exactly when the work does. */
    remember: (key: string, userId: number, resultUrl: string, at: string) => insert.run(key, userId, resultUrl, at),
  };
}

export type Idempotency = ReturnType<typeof createIdempotency>;
