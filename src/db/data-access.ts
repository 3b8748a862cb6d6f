import { AsyncLocalStorage } from 'node:async_hooks';
import { Kysely, SqliteDialect, type Transaction } from 'kysely';
import type { SqliteConnection } from './database.js';
import type { Schema } from './schema.js';

export type Executor = Kysely<Schema>;

/**
 * The one data-access shape every repository uses, on SQLite today and on PostgreSQL later: queries are
 * built with Kysely and return Promises, and `transaction()` runs an async function in one transaction.
 *
 * A repository never receives a transaction as an argument: it asks `db()` for the executor, which is the
 * open transaction's when the call runs inside `transaction()` (tracked with AsyncLocalStorage) and the
 * shared connection's otherwise. So services compose freely: a stalls-service write called from the
 * onboarding use-case joins the onboarding's transaction instead of committing on its own.
 */
export interface DataAccess {
  /** The executor for the current transaction, or the connection when no transaction is open. */
  db(): Executor;
  /** Runs `work` in one transaction (committed when it resolves, rolled back when it throws); nested calls join. */
  transaction<T>(work: () => Promise<T>): Promise<T>;
  /** True inside `transaction()`: for repositories that must only ever run inside one. */
  inTransaction(): boolean;
  /** The newest migration applied (for /healthz); each engine keeps it its own way. */
  schemaVersion(): Promise<number>;
  close(): Promise<void>;
}

/**
 * Kysely's SQLite driver holds one connection behind a mutex, so a query from another request waits while a
 * transaction is open instead of running inside it; better-sqlite3 itself still runs each statement
 * synchronously underneath.
 */
export function sqliteDataAccess(connection: SqliteConnection): DataAccess {
  const root = new Kysely<Schema>({ dialect: new SqliteDialect({ database: connection }) });
  const current = new AsyncLocalStorage<Transaction<Schema>>();

  return {
    db: () => current.getStore() ?? root,
    inTransaction: () => current.getStore() !== undefined,
    transaction<T>(work: () => Promise<T>): Promise<T> {
      if (current.getStore()) return work();
      return root.transaction().execute((trx) => current.run(trx, work));
    },
    schemaVersion: async () => connection.pragma('user_version', { simple: true }) as number,
    close: () => root.destroy(),
  };
}
