import type { DataAccess } from '../db/data-access.js';
import type { Reach } from '../vocabulary/reach.js';
import type { Role } from '../vocabulary/roles.js';

export interface UserRow {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  password_hash: string;
  active: number;
  created_at: string;
  whole_country: number;
  must_change_password: number;
}

export interface NewUser {
  username: string;
  displayName: string;
  role: Role;
  passwordHash: string;
  createdAt: string;
  mustChangePassword?: boolean;
}

export function createUsersRepo(data: DataAccess) {
  return {
    findById: (id: number): Promise<UserRow | undefined> =>
      data.db().selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst(),
    findByUsername: (username: string): Promise<UserRow | undefined> =>
      data.db().selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst(),
    async count(): Promise<number> {
      const row = await data
        .db()
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async insert(user: NewUser): Promise<number> {
      const result = await data
        .db()
        .insertInto('users')
        .values({
          username: user.username,
          display_name: user.displayName,
          role: user.role,
          password_hash: user.passwordHash,
          created_at: user.createdAt,
          must_change_password: user.mustChangePassword ? 1 : 0,
        })
        .executeTakeFirstOrThrow();
      return Number(result.insertId);
    },
    /** A new password; `mustChange` when it is a one-time password handed out by someone else. */
    async setPasswordHash(id: number, hash: string, mustChange: boolean): Promise<void> {
      await data
        .db()
        .updateTable('users')
        .set({ password_hash: hash, must_change_password: mustChange ? 1 : 0 })
        .where('id', '=', id)
        .execute();
    },
    async reachOf(user: Pick<UserRow, 'id' | 'whole_country'>): Promise<Reach> {
      const rows = await data
        .db()
        .selectFrom('user_reach')
        .select(['province_code', 'commune_code', 'site_id'])
        .where('user_id', '=', user.id)
        .orderBy('id')
        .execute();
      return {
        wholeCountry: user.whole_country === 1,
        provinces: rows.flatMap((row) => (row.province_code === null ? [] : [row.province_code])),
        communes: rows.flatMap((row) => (row.commune_code === null ? [] : [row.commune_code])),
        sites: rows.flatMap((row) => (row.site_id === null ? [] : [row.site_id])),
      };
    },
    /** Replaces the user's reach: run it in the caller's transaction. */
    async replaceReach(userId: number, reach: Reach): Promise<void> {
      const db = data.db();
      await db
        .updateTable('users')
        .set({ whole_country: reach.wholeCountry ? 1 : 0 })
        .where('id', '=', userId)
        .execute();
      await db.deleteFrom('user_reach').where('user_id', '=', userId).execute();
      const rows = [
        ...reach.provinces.map((code) => ({ user_id: userId, province_code: code })),
        ...reach.communes.map((code) => ({ user_id: userId, commune_code: code })),
        ...reach.sites.map((id) => ({ user_id: userId, site_id: id })),
      ];
      if (rows.length > 0) await db.insertInto('user_reach').values(rows).execute();
    },
    async setActive(id: number, active: boolean): Promise<void> {
      await data
        .db()
        .updateTable('users')
        .set({ active: active ? 1 : 0 })
        .where('id', '=', id)
        .execute();
    },
  };
}

export type UsersRepo = ReturnType<typeof createUsersRepo>;
