import type { DataAccess } from '../db/data-access.js';

export function createIdempotencyRepo(data: DataAccess) {
  return {
    findResult: async (key: string, userId: number): Promise<string | undefined> =>
      (
        await data
          .db()
          .selectFrom('idempotency_keys')
          .select('result_url')
          .where('key', '=', key)
          .where('user_id', '=', userId)
          .executeTakeFirst()
      )?.result_url,

    async insert(key: string, userId: number, resultUrl: string, at: string): Promise<void> {
      await data
        .db()
        .insertInto('idempotency_keys')
        .values({ key, user_id: userId, result_url: resultUrl, created_at: at })
        .execute();
    },
  };
}

export type IdempotencyRepo = ReturnType<typeof createIdempotencyRepo>;
