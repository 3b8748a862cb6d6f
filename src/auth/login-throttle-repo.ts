import type { DataAccess } from '../db/data-access.js';
import type { LoginLockEvent } from '../db/schema.js';

export interface LockEventRow {
  event: LoginLockEvent;
  happened_at: string;
}

/** The failed logins and the locks; rows are only ever added (the tables refuse UPDATE and DELETE). */
export function createLoginThrottleRepo(data: DataAccess) {
  /**
   * The time of the n-th newest failure after `since` (exclusive), of one username, one address or both, or
   * undefined when there are fewer than n: "at the limit" and "when the oldest counted one expires" at once.
   */
  async function nthNewestFailure(
    where: { username?: string; address?: string },
    since: string,
    n: number,
  ): Promise<string | undefined> {
    let query = data.db().selectFrom('login_failures').select('failed_at').where('failed_at', '>', since);
    if (where.username !== undefined) query = query.where('username', '=', where.username);
    if (where.address !== undefined) query = query.where('address', '=', where.address);
    const row = await query
      .orderBy('failed_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .offset(n - 1)
      .executeTakeFirst();
    return row?.failed_at;
  }

  return {
    async insertFailure(row: { username: string; address: string; failedAt: string }): Promise<void> {
      await data
        .db()
        .insertInto('login_failures')
        .values({ username: row.username, address: row.address, failed_at: row.failedAt })
        .execute();
    },
    nthNewestFailure,
    /** The newest lock event of the username, or of that kind when `event` is given. */
    newestLockEvent: (username: string, event?: LoginLockEvent): Promise<LockEventRow | undefined> => {
      let query = data.db().selectFrom('login_locks').select(['event', 'happened_at']).where('username', '=', username);
      if (event) query = query.where('event', '=', event);
      return query.orderBy('id', 'desc').limit(1).executeTakeFirst();
    },
    /** The usernames whose newest lock event is a lock: the accounts locked now. */
    async lockedUsernames(): Promise<string[]> {
      const rows = await data
        .db()
        .selectFrom('login_locks as l')
        .select('l.username')
        .where('l.event', '=', 'locked')
        .where(({ eb, selectFrom }) =>
          eb(
            'l.id',
            '=',
            selectFrom('login_locks as newer')
              .select(({ fn }) => fn.max('newer.id').as('id'))
              .whereRef('newer.username', '=', 'l.username'),
          ),
        )
        .execute();
      return rows.map((row) => row.username);
    },
    async insertLockEvent(row: {
      username: string;
      event: LoginLockEvent;
      happenedAt: string;
      byUser: number | null;
    }): Promise<void> {
      await data
        .db()
        .insertInto('login_locks')
        .values({ username: row.username, event: row.event, happened_at: row.happenedAt, by_user: row.byUser })
        .execute();
    },
  };
}

export type LoginThrottleRepo = ReturnType<typeof createLoginThrottleRepo>;
