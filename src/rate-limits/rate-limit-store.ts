import type { IncrementResponse, Options, Store } from 'express-rate-limit';
import type { Clock } from '../clock.js';
import type { RateLimitsRepo } from './rate-limits-repo.js';

/** Expired counters are swept after this many hits of a process: often enough to keep the table small. */
const SWEEP_EVERY = 500;

export interface RateLimitStoreDeps {
  readonly repo: RateLimitsRepo;
  readonly transaction: <T>(work: () => Promise<T>) => Promise<T>;
  readonly clock: Clock;
}

/**
 * express-rate-limit's store in our database, so that a limit holds across the app's processes and restarts.
 * Windows are fixed (they start at a key's first hit), timed by the injected clock. Each limiter gets its own
 * store with its own prefix, so two limiters never share a count.
 */
export function createRateLimitStores({ repo, transaction, clock }: RateLimitStoreDeps) {
  let hitsSinceSweep = 0;

  return function rateLimitStore(prefix: string): Store {
    let windowMs = 60_000;
    const keyOf = (key: string) => `${prefix}:${key}`;
    const now = () => clock.now();
    return {
      prefix,
      localKeys: false,
      init(options: Options) {
        windowMs = options.windowMs;
      },
      async get(key) {
        const count = await repo.find(keyOf(key), now().toISOString());
        return count && { totalHits: count.hits, resetTime: new Date(count.resetsAt) };
      },
      async increment(key): Promise<IncrementResponse> {
        const at = now();
        const count = await transaction(async () => {
          if (++hitsSinceSweep >= SWEEP_EVERY) {
            hitsSinceSweep = 0;
            await repo.removeExpired(at.toISOString());
          }
          return repo.increment(keyOf(key), at.toISOString(), new Date(at.getTime() + windowMs).toISOString());
        });
        return { totalHits: count.hits, resetTime: new Date(count.resetsAt) };
      },
      async decrement(key) {
        await transaction(() => repo.decrement(keyOf(key), now().toISOString()));
      },
      async resetKey(key) {
        await transaction(() => repo.remove(keyOf(key)));
      },
    };
  };
}

export type RateLimitStores = ReturnType<typeof createRateLimitStores>;
