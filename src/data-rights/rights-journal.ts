import { appendFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { isRightsReason, type RightsReason } from '../vocabulary/data-rights.js';

/**
 * A withdrawal or an erasure as the journal keeps it: which stall, when, why (a code). No personal value, so
 * the journal may be copied anywhere, kept apart from the database and its backups.
 */
export interface RightsJournalEntry {
  readonly kind: 'withdraw' | 'erase';
  readonly stallId: number;
  readonly at: string;
  readonly reason: RightsReason;
}

export interface RightsJournal {
  append(entry: RightsJournalEntry): Promise<void>;
}

/** No journal (tests, an in-memory database). */
export const NO_JOURNAL: RightsJournal = { append: async () => undefined };

/**
 * The journal file: one JSON line per withdrawal or erasure, appended after its transaction committed. A
 * backup restored from before an erasure lacks it; `phoqr reapply-erasures` reads this file and applies again
 * what the restored database lacks (README, "Erasure and backups").
 */
export function fileJournal(file: string): RightsJournal {
  return {
    async append(entry) {
      await mkdir(path.dirname(file), { recursive: true });
      await appendFile(file, `${JSON.stringify(entry)}\n`, 'utf8');
    },
  };
}

export class RightsJournalError extends Error {}

/** The journal's entries in the order written; a line that is not an entry stops the reading with its number. */
export async function readJournal(file: string): Promise<RightsJournalEntry[]> {
  const text = await readFile(file, 'utf8');
  return text.split('\n').flatMap((line, index) => {
    if (line.trim() === '') return [];
    let entry: unknown;
    try {
      entry = JSON.parse(line);
    } catch {
      throw new RightsJournalError(`${file}, dòng ${index + 1}: không đọc được.`);
    }
    const { kind, stallId, at, reason } = (entry ?? {}) as Record<string, unknown>;
    if (
      (kind !== 'withdraw' && kind !== 'erase') ||
      !Number.isSafeInteger(stallId) ||
      typeof at !== 'string' ||
      !isRightsReason(reason)
    ) {
      throw new RightsJournalError(`${file}, dòng ${index + 1}: không phải một lần rút lại đồng ý hay xóa dữ liệu.`);
    }
    return [{ kind, stallId: stallId as number, at, reason }];
  });
}
