import { AsyncLocalStorage } from 'node:async_hooks';
import {
  CompiledQuery,
  Kysely,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type SqliteDatabase,
  type SqliteStatement,
  type Transaction,
  type TransactionSettings,
} from 'kysely';
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
  /**
   * Runs `work` in one transaction (committed when it resolves, rolled back when it throws); nested calls join.
   * It may write, so it holds the database's write lock from its start (see sqliteDataAccess).
   */
  transaction<T>(work: () => Promise<T>): Promise<T>;
  /**
   * Runs `work` in one transaction that only reads: one consistent view of the database, without the write
   * lock, so another process's writes go on meanwhile. A write inside it may fail (SQLITE_BUSY): use
   * `transaction()` for anything that writes. Nested in a `transaction()`, it joins it.
   */
  reading<T>(work: () => Promise<T>): Promise<T>;
  /** True inside `transaction()`: for repositories that must only ever run inside one. */
  inTransaction(): boolean;
  /** The newest migration applied (for /healthz); each engine keeps it its own way. */
  schemaVersion(): Promise<number>;
  close(): Promise<void>;
}

/**
 * Kysely's driver, but a transaction starts with BEGIN IMMEDIATE unless it is read only. The app runs in several
 * processes on one file (node:cluster): SQLite's plain BEGIN takes the write lock only at the first write, and a
 * transaction that read first and then finds that another process committed meanwhile fails at once with
 * SQLITE_BUSY (its snapshot is stale; the busy timeout does not help). Taking the lock at BEGIN makes writers queue up
 * behind each other instead, each waiting up to the connection's busy_timeout (database.ts).
 */
class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection, settings?: TransactionSettings): Promise<void> {
    const begin = settings?.accessMode === 'read only' ? 'begin' : 'begin immediate';
    await connection.executeQuery(CompiledQuery.raw(begin));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  private readonly database: SqliteDatabase;

  constructor(connection: SqliteConnection) {
    const database = withStatementCache(connection);
    super({ database });
    this.database = database;
  }

  override createDriver(): SqliteDriver {
    return new ImmediateSqliteDriver({ database: this.database });
  }
}

/** Prepared statements kept, most recently used last; the app runs a few hundred distinct ones. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * The connection as Kysely sees it, with its prepared statements kept for reuse: Kysely prepares every query
 * again, and SQLite's parser and planner were a tenth of a busy server's CPU. Reusing a statement is safe
 * here: queries run one at a time behind the driver's mutex, a stream included, and SQLite re-prepares a
 * statement by itself when the schema changes under it.
 */
function withStatementCache(connection: SqliteConnection): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  return {
    close: () => connection.close(),
    prepare(sql: string): SqliteStatement {
      let statement = cache.get(sql);
      if (statement) cache.delete(sql);
      else statement = connection.prepare(sql);
      cache.set(sql, statement);
      if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      return statement;
    },
  };
}

/**
 * Kysely's SQLite driver holds one connection behind a mutex, so a query from another request waits while a
 * transaction is open instead of running inside it; better-sqlite3 itself still runs each statement
 * synchronously underneath. Writing transactions begin IMMEDIATE (above); reading ones a plain BEGIN, behind
 * the same mutex.
 */
export function sqliteDataAccess(connection: SqliteConnection): DataAccess {
  const root = new Kysely<Schema>({ dialect: new ImmediateSqliteDialect(connection) });
  const current = new AsyncLocalStorage<Transaction<Schema>>();

  return {
    db: () => current.getStore() ?? root,
    inTransaction: () => current.getStore() !== undefined,
    transaction<T>(work: () => Promise<T>): Promise<T> {
      if (current.getStore()) return work();
      return root.transaction().execute((trx) => current.run(trx, work));
    },
    reading<T>(work: () => Promise<T>): Promise<T> {
      if (current.getStore()) return work();
      return root
        .transaction()
        .setAccessMode('read only')
        .execute((trx) => current.run(trx, work));
    },
    schemaVersion: async () => connection.pragma('user_version', { simple: true }) as number,
    close: () => root.destroy(),
  };
}
