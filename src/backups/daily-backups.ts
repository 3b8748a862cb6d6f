import { mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { vietnamDate } from '../calendar/calendar.js';
import type { Clock } from '../clock.js';
import { runInWorker, workerModule, type WorkerLimits } from '../workers/run-in-worker.js';
import { dailyBackupName, dailyBackupsNewestFirst, dailyBackupsToRemove } from './backup-files.js';

export interface DailyBackupOptions {
  readonly databasePath: string;
  readonly dir: string;
  readonly keep: number;
  readonly clock: Clock;
}

export interface DailyBackupResult {
  /** The day's backup file (written now or earlier today). */
  readonly file: string;
  /** False when the day already had its backup: nothing was written. */
  readonly written: boolean;
  /** Older backups deleted to keep `keep` files. */
  readonly removed: readonly string[];
}

/** Half an hour: a national registry's copy takes a minute or two; a backup stuck longer is stopped and retried. */
const BACKUP_LIMITS: WorkerLimits = { timeoutMs: 30 * 60_000, resourceLimits: {} };
const entry = workerModule(import.meta.url, 'backup-worker');

/**
 * Today's backup, if the day has none yet, then the oldest ones beyond `keep` removed. The copy is written
 * under a temporary name and renamed when complete, so a crash mid-copy never leaves a file that looks like
 * a backup; a leftover temporary file is overwritten by the next try.
 */
export async function takeDailyBackup({
  databasePath,
  dir,
  keep,
  clock,
}: DailyBackupOptions): Promise<DailyBackupResult> {
  mkdirSync(dir, { recursive: true });
  const name = dailyBackupName(vietnamDate(clock.now()));
  const file = path.join(dir, name);
  const present = dailyBackupsNewestFirst(readdirSync(dir));
  let written = false;
  if (!present.includes(name)) {
    const partial = `${file}.partial`;
    try {
      await runInWorker(entry, { databasePath, target: partial }, BACKUP_LIMITS);
      renameSync(partial, file);
      written = true;
    } finally {
      rmSync(partial, { force: true });
    }
  }
  const removed = dailyBackupsToRemove(readdirSync(dir), keep);
  for (const old of removed) rmSync(path.join(dir, old), { force: true });
  return { file, written, removed };
}

/** How often the server looks whether the day has its backup: the first look after midnight takes it. */
const CHECK_EVERY_MS = 15 * 60_000;

/**
 * The server's daily backups: one at start-up when the day has none, then one each new Vietnam day. A failed
 * backup is logged and tried again at the next check; the timer never keeps the process alive.
 */
export function scheduleDailyBackups(
  options: DailyBackupOptions,
  log: { info(message: string): void; error(message: string, error: unknown): void },
): { stop(): void; current(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  let busy = false;
  const check = () => {
    if (busy) return;
    busy = true;
    running = takeDailyBackup(options)
      .then((result) => {
        if (result.written) log.info(`Đã sao lưu cơ sở dữ liệu vào ${result.file}.`);
        for (const old of result.removed) log.info(`Đã xóa bản sao lưu cũ ${old} (giữ ${options.keep} bản).`);
      })
      .catch((error: unknown) => log.error(`Chưa sao lưu được vào ${options.dir}; sẽ thử lại sau.`, error))
      .finally(() => {
        busy = false;
      });
  };
  check();
  const timer = setInterval(check, CHECK_EVERY_MS);
  timer.unref();
  return { stop: () => clearInterval(timer), current: () => running };
}
