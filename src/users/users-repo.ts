import type { Db } from '../db/database.js';
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

export function createUsersRepo(db: Db) {
  const byId = db.prepare<[number], UserRow>('SELECT * FROM users WHERE id = ?');
  const byUsername = db.prepare<[string], UserRow>('SELECT * FROM users WHERE username = ?');
  const count = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM users');
  const insert = db.prepare<[string, string, Role, string, string]>(
    'INSERT INTO users (username, display_name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)',
  );
  const setPassword = db.prepare<[string, number]>('UPDATE users SET password_hash = ? WHERE id = ?');

  return {
    findById: (id: number) => byId.get(id),
    findByUsername: (username: string) => byUsername.get(username),
    count: () => count.get()!.n,
    insert(user: NewUser): number {
      return Number(
        insert.run(user.username, user.displayName, user.role, user.passwordHash, user.createdAt).lastInsertRowid,
      );
    },
    setPasswordHash: (id: number, hash: string) => setPassword.run(hash, id),
  };
}

export type UsersRepo = ReturnType<typeof createUsersRepo>;
