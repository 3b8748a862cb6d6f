import Database from 'better-sqlite3';
import type { Db } from '../../src/db/database.js';
import { createTestDb } from '../helpers/db.js';

let template: Buffer | null = null;

/**
 * A fresh migrated in-memory database, as createTestDb() builds it, copied from a serialized template:
 * 0.2 ms instead of 40 ms, for property tests that need a new database per generated registry.
 */
export function freshDb(): Db {
  if (!template) {
    const db = createTestDb();
    template = db.serialize();
    db.close();
  }
  const db = new Database(template);
  db.pragma('foreign_keys = ON');
  return db;
}
