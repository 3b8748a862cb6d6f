import type { DataAccess } from '../db/data-access.js';
import type { Role } from '../vocabulary/roles.js';

export interface UserRow {
  id: number;
  username: string;
  display_name: string;
  role: Role;
  password_hash: string;
  active: number;
  created_at: string;
}

export interface NewUser {
  username: string;
  displayName: string;
  role: Role;
  passwordHash: string;
  createdAt: string;
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
        })
        .executeTakeFirstOrThrow();
      return Number(result.insertId);
    },
    async setPasswordHash(id: number, hash: string): Promise<void> {
      await data.db().updateTable('users').set({ password_hash: hash }).where('id', '=', id).execute();
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
