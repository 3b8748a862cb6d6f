import type { Db } from '../db/database.js';

export interface SessionRow {
  token_hash: string;
  user_id: number | null;
  csrf_token: string;
  created_at: string;
  expires_at: string;
}

export function createSessionsRepo(db: Db) {
  const find = db.prepare<[string, string], SessionRow>('SELECT * FROM sessions WHERE token_hash = ? AND expires_at > ?');
  const insert = db.prepare<[string, number | null, string, string, string]>(
    'INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
  );
  const remove = db.prepare<[string]>('DELETE FROM sessions WHERE token_hash = ?');
  const removeExpired = db.prepare<[string]>('DELETE FROM sessions WHERE expires_at <= ?');

  return {
    findActive: (tokenHash: string, now: string) => find.get(tokenHash, now),
    insert: (row: SessionRow) => insert.run(row.token_hash, row.user_id, row.csrf_token, row.created_at, row.expires_at),
    remove: (tokenHash: string) => remove.run(tokenHash),
    removeExpired: (now: string) => removeExpired.run(now).changes,
  };
}
