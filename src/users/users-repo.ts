import { sql } from 'kysely';
import type { DataAccess } from '../db/data-access.js';
import { containsText } from '../db/sql-helpers.js';
import { foldForSearch } from '../text/fold.js';
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
  phone: string | null;
}

/** A user row with the reach it is given (for the lists of user management). */
/** One page of the user list, as searched and filtered in SQL. */
export interface UserPageFilter {
  /** Folded words, at most SEARCH_MAX_WORDS; every one must be in the search key. */
  readonly words: readonly string[];
  readonly role?: Role;
  readonly active?: boolean;
  readonly limit: number;
  readonly offset: number;
}

export interface UserRowWithReach extends UserRow {
  reach: Reach;
}

/** What an admin or a team lead edits on a user: their name, role and phone (the reach is replaced apart). */
export interface UserDetails {
  displayName: string;
  role: Role;
  phone: string | null;
}

export interface NewUser {
  username: string;
  displayName: string;
  role: Role;
  passwordHash: string;
  createdAt: string;
  mustChangePassword?: boolean;
  phone?: string | null;
}

function reachFromRows(
  wholeCountry: boolean,
  rows: readonly { province_code: string | null; commune_code: string | null; site_id: number | null }[],
): Reach {
  return {
    wholeCountry,
    provinces: rows.flatMap((row) => (row.province_code === null ? [] : [row.province_code])),
    communes: rows.flatMap((row) => (row.commune_code === null ? [] : [row.commune_code])),
    sites: rows.flatMap((row) => (row.site_id === null ? [] : [row.site_id])),
  };
}

/** The key the user list searches: username and display name, folded as search queries are. */
export function userSearchKey(username: string, displayName: string): string {
  return foldForSearch(`${username} ${displayName}`);
}

export function createUsersRepo(data: DataAccess) {
  /** The rows with their reach; `onlyThese` reads the reach units of these users alone (a page). */
  async function withReach<Row extends { id: number; whole_country: number }>(
    users: Row[],
    onlyThese: boolean,
  ): Promise<(Row & { reach: Reach })[]> {
    if (users.length === 0) return [];
    let query = data.db().selectFrom('user_reach').select(['user_id', 'province_code', 'commune_code', 'site_id']);
    if (onlyThese)
      query = query.where(
        'user_id',
        'in',
        users.map((user) => user.id),
      );
    const units = await query.orderBy('id').execute();
    const byUser = new Map<number, typeof units>();
    for (const unit of units) {
      const list = byUser.get(unit.user_id);
      if (list) list.push(unit);
      else byUser.set(unit.user_id, [unit]);
    }
    return users.map((user) => ({
      ...user,
      reach: reachFromRows(user.whole_country === 1, byUser.get(user.id) ?? []),
    }));
  }
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
          phone: user.phone ?? null,
          search_folded: userSearchKey(user.username, user.displayName),
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
      return reachFromRows(user.whole_country === 1, rows);
    },
    /**
     * Every user with their reach, by username: two queries, whatever the number of users (a campaign has a
     * few thousand at most; the service filters them by the actor's reach, which needs the places anyway).
     */
    /**
     * Every user with their reach, by username; with `words` (folded, at most SEARCH_MAX_WORDS) only those whose
     * search key holds every word, and those whose key is not filled yet (the caller folds them itself).
     */
    async listWithReach(words: readonly string[] = []): Promise<UserRowWithReach[]> {
      let query = data.db().selectFrom('users').selectAll().orderBy('username');
      if (words.length > 0) {
        query = query.where((eb) =>
          eb.or([
            eb('search_folded', '=', ''),
            eb.and(words.map((word) => containsText(eb.ref('search_folded'), word))),
          ]),
        );
      }
      return withReach(await query.execute(), false);
    },

    /** Whether every user has a search key, so that a search may be answered and paged in SQL alone. */
    async allSearchKeysFilled(): Promise<boolean> {
      const row = await data.db().selectFrom('users').select('id').where('search_folded', '=', '').executeTakeFirst();
      return row === undefined;
    },

    /**
     * One page of users by username, searched (every folded word in the key) and filtered in SQL, with the
     * number of all that match: a list of tens of thousands reads 50 rows and their reach.
     */
    async pageWithReach(filter: UserPageFilter): Promise<{ rows: UserRowWithReach[]; total: number }> {
      let query = data.db().selectFrom('users');
      for (const word of filter.words) query = query.where((eb) => containsText(eb.ref('search_folded'), word));
      if (filter.role) query = query.where('role', '=', filter.role);
      if (filter.active !== undefined) query = query.where('active', '=', filter.active ? 1 : 0);
      const counted = await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
      const rows = await query.selectAll().orderBy('username').limit(filter.limit).offset(filter.offset).execute();
      return { rows: await withReach(rows, true), total: Number(counted.n) };
    },

    /** Fills the search key of the users who have none yet (rows older than the key); returns how many. */
    async fillSearchKeys(): Promise<number> {
      const rows = await data
        .db()
        .selectFrom('users')
        .select(['id', 'username', 'display_name'])
        .where('search_folded', '=', '')
        .execute();
      for (const row of rows) {
        await data
          .db()
          .updateTable('users')
          .set({ search_folded: userSearchKey(row.username, row.display_name) })
          .where('id', '=', row.id)
          .execute();
      }
      return rows.length;
    },
    async updateDetails(id: number, details: UserDetails): Promise<void> {
      await data
        .db()
        .updateTable('users')
        .set({ display_name: details.displayName, role: details.role, phone: details.phone })
        // The username never changes (and is already folded: lower-case ASCII); the name may.
        .set((eb) => ({
          search_folded: sql<string>`${eb.ref('username')} || ' ' || ${foldForSearch(details.displayName)}`,
        }))
        .where('id', '=', id)
        .execute();
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
