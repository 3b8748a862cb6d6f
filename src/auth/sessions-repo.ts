import type { DataAccess } from '../db/data-access.js';

export interface SessionRow {
  token_hash: string;
  user_id: number | null;
  csrf_token: string;
  created_at: string;
  expires_at: string;
}

export function createSessionsRepo(data: DataAccess) {
  return {
    findActive: (tokenHash: string, now: string): Promise<SessionRow | undefined> =>
      data
        .db()
        .selectFrom('sessions')
        .selectAll()
        .where('token_hash', '=', tokenHash)
        .where('expires_at', '>', now)
        .executeTakeFirst(),
    async insert(row: SessionRow): Promise<void> {
      await data.db().insertInto('sessions').values(row).execute();
    },
    async remove(tokenHash: string): Promise<void> {
      await data.db().deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
    },
    /** Returns how many sessions of that user were deleted. */
    async removeForUser(userId: number): Promise<number> {
      const result = await data.db().deleteFrom('sessions').where('user_id', '=', userId).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    /** Returns how many expired sessions were deleted. */
    async removeExpired(now: string): Promise<number> {
      const result = await data.db().deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

export type SessionsRepo = ReturnType<typeof createSessionsRepo>;
