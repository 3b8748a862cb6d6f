import type { DataAccess } from '../db/data-access.js';

/** A key's first submit: its fingerprint (null for keys kept before fingerprints) and where it led. */
export interface RememberedSubmit {
  readonly fingerprint: string | null;
  readonly resultUrl: string;
}

export function createIdempotencyRepo(data: DataAccess) {
  return {
    async find(key: string, userId: number): Promise<RememberedSubmit | undefined> {
      const row = await data
        .db()
        .selectFrom('idempotency_keys')
        .select(['fingerprint', 'result_url'])
        .where('user_id', '=', userId)
        .where('key', '=', key)
        .executeTakeFirst();
      return row && { fingerprint: row.fingerprint, resultUrl: row.result_url };
    },

    /**
     * Takes the key for this submit; false when a submit with it was already taken (by a transaction that
     * committed first — the engine makes the second wait, then skips the insert instead of failing on it).
     */
    async claim(key: string, userId: number, fingerprint: string, at: string): Promise<boolean> {
      const result = await data
        .db()
        .insertInto('idempotency_keys')
        .values({ user_id: userId, key, fingerprint, result_url: '', created_at: at })
        .onConflict((conflict) => conflict.columns(['user_id', 'key']).doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    },

    async setResult(key: string, userId: number, resultUrl: string): Promise<void> {
      await data
        .db()
        .updateTable('idempotency_keys')
        .set({ result_url: resultUrl })
        .where('user_id', '=', userId)
        .where('key', '=', key)
        .execute();
    },
  };
}

export type IdempotencyRepo = ReturnType<typeof createIdempotencyRepo>;
