/**
 * The worker thread that writes one backup (see daily-backups.ts, which starts it): `VACUUM INTO` on a large
 * registry takes seconds of synchronous work, which must not stop the server's event loop. The worker opens
 * its own connection to the database file (WAL lets it read while the server writes) and answers once.
 */
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { backupDatabase } from '../db/backup.js';

const { databasePath, target } = workerData as { databasePath: string; target: string };
const db = new Database(databasePath, { fileMustExist: true });
try {
  db.pragma('busy_timeout = 10000');
  backupDatabase(db, target, { force: true });
  parentPort!.postMessage({ ok: true });
} finally {
  db.close();
}
