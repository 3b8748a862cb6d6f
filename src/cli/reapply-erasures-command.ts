import { parseArgs } from 'node:util';
import { openRegistry } from '../bootstrap.js';
import type { Clock } from '../clock.js';
import { loadConfig } from '../config.js';
import { readJournal, RightsJournalError } from '../data-rights/rights-journal.js';
import { HttpError } from '../http/errors.js';
import { actorNamed } from './acting-user.js';
import { EXIT_OK, EXIT_USAGE, type CliIo } from './cli-io.js';

const USAGE = 'Cách dùng: phoqr reapply-erasures --as TÊN_QUẢN_TRỊ [--journal TỆP.jsonl]\n';

/**
 * After restoring a backup: every withdrawal of consent and erasure in the journal (PHOQR_ERASURE_JOURNAL)
 * that the restored database lacks is done again, as the administrator named (the erasure records who did
 * it). Running it twice changes nothing the second time.
 */
export async function runReapplyErasuresCommand(args: string[], io: CliIo, clock: Clock): Promise<number> {
  const { values } = parseArgs({ args, options: { as: { type: 'string' }, journal: { type: 'string' } } });
  const config = loadConfig(io.env);
  const journalPath = values.journal ?? config.erasureJournalPath;
  if (!values.as || !journalPath) {
    io.stderr(USAGE);
    return EXIT_USAGE;
  }
  let entries;
  try {
    entries = await readJournal(journalPath);
  } catch (error) {
    if (error instanceof RightsJournalError || (error as NodeJS.ErrnoException).code === 'ENOENT') {
      io.stderr(`Không đọc được sổ xóa dữ liệu ${journalPath}: ${(error as Error).message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
  const { db, services } = openRegistry(config, clock);
  try {
    const user = await actorNamed(services.users, values.as);
    if (!user || user.role !== 'admin') {
      io.stderr(`Không có quản trị viên "${values.as}".\n`);
      return EXIT_USAGE;
    }
    const counts = await services.dataRights.reapply(user, entries);
    io.stdout(
      `Sổ có ${entries.length} lần rút lại đồng ý hoặc xóa dữ liệu: ${counts.applied} vừa áp dụng lại, ` +
        `${counts.alreadyApplied} đã có sẵn, ${counts.missing} sạp không có trong cơ sở dữ liệu.\n`,
    );
    return EXIT_OK;
  } catch (error) {
    if (error instanceof HttpError) {
      io.stderr(`${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  } finally {
    db.close();
  }
}
