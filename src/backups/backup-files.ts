/**
 * The names of the daily backups and which of them to keep: pure, so the rules are tested without files.
 * One file per Vietnam day, named by it, so the names sort by age and a day's backup is found by its name.
 */
const DAILY_FILE = /^phoqr-(\d{4}-\d{2}-\d{2})\.sqlite$/;

export function dailyBackupName(vietnamDate: string): string {
  return `phoqr-${vietnamDate}.sqlite`;
}

/** The daily backups among a folder's file names, newest first; any other file is not ours and is left alone. */
export function dailyBackupsNewestFirst(names: readonly string[]): string[] {
  return names.filter((name) => DAILY_FILE.test(name)).sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
}

/** The daily backups beyond the newest `keep`: the ones to delete. */
export function dailyBackupsToRemove(names: readonly string[], keep: number): string[] {
  return dailyBackupsNewestFirst(names).slice(keep);
}
