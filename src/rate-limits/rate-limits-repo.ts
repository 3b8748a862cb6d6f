import type { DataAccess } from '../db/data-access.js';

/** A key's count in its window, as the limiter reads it. */
export interface HitCount {
  readonly hits: number;
  readonly resetsAt: string;
}

/** The hit counters of the rate limits (one row per key); the SQL is the same on every engine. */
export function createRateLimitsRepo(data: DataAccess) {
  return {
    /**
     * One more hit for `key`, in one statement: a new window of the given end when there is none or the old
     * one is over, else the same window counted up. Returns the count and the window's end.
     */
    async increment(key: string, now: string, windowEndsAt: string): Promise<HitCount> {
      const row = await data
        .db()
        .insertInto('rate_limit_hits')
        .values({ key, hits: 1, resets_at: windowEndsAt })
        .onConflict((conflict) =>
          conflict.column('key').doUpdateSet((eb) => ({
            hits: eb
              .case()
              .when('rate_limit_hits.resets_at', '<=', now)
              .then(1)
              .else(eb('rate_limit_hits.hits', '+', 1))
              .end(),
            resets_at: eb
              .case()
              .when('rate_limit_hits.resets_at', '<=', now)
              .then(eb.ref('excluded.resets_at'))
              .else(eb.ref('rate_limit_hits.resets_at'))
              .end(),
          })),
        )
        .returning(['hits', 'resets_at'])
        .executeTakeFirstOrThrow();
      return { hits: row.hits, resetsAt: row.resets_at };
    },

    async find(key: string, now: string): Promise<HitCount | undefined> {
      const row = await data
        .db()
        .selectFrom('rate_limit_hits')
        .select(['hits', 'resets_at'])
        .where('key', '=', key)
        .where('resets_at', '>', now)
        .executeTakeFirst();
      return row && { hits: row.hits, resetsAt: row.resets_at };
    },

    /** One hit less (a request the limiter was told not to count after all), never below zero. */
    async decrement(key: string, now: string): Promise<void> {
      await data
        .db()
        .updateTable('rate_limit_hits')
        .set((eb) => ({ hits: eb('hits', '-', 1) }))
        .where('key', '=', key)
        .where('hits', '>', 0)
        .where('resets_at', '>', now)
        .execute();
    },

    async remove(key: string): Promise<void> {
      await data.db().deleteFrom('rate_limit_hits').where('key', '=', key).execute();
    },

    /** The rows whose window is over: nothing reads them again. */
    async removeExpired(now: string): Promise<void> {
      await data.db().deleteFrom('rate_limit_hits').where('resets_at', '<=', now).execute();
    },
  };
}

export type RateLimitsRepo = ReturnType<typeof createRateLimitsRepo>;
