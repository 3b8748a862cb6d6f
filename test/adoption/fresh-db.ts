import type { Db } from '../../src/db/database.js';
import { createTestDb } from '../helpers/db.js';

/**
 * A fresh migrated in-memory database for property tests that need a new one per generated registry:
 * createTestDb() already copies a serialized template (with the pragmas and fold() of openDatabase).
 */
export function freshDb(): Db {
  return createTestDb();
}
