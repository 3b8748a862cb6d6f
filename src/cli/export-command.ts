import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openMigratedDatabase } from '../bootstrap.js';
import type { Clock } from '../clock.js';
import { loadConfig } from '../config.js';
import { sqliteDataAccess } from '../db/data-access.js';
import { createExportLog } from '../exports/export-log.js';
import { createExportLogRepo } from '../exports/export-log-repo.js';
import { createStallsExport } from '../exports/stalls-export.js';
import { createStallsExportRepo } from '../exports/stalls-export-repo.js';
import { toCsv, toXlsx } from '../exports/table.js';
import { EXIT_OK, EXIT_USAGE, type CliIo } from './cli-io.js';

const USAGE = 'Cách dùng: phoqr export stalls --out TỆP.csv|TỆP.xlsx [--province MÃ_TỈNH]\n';

/** `phoqr export stalls --out FILE.csv`: every stall with its site, commune, status and dates. */
export async function runExportCommand(args: string[], io: CliIo, clock: Clock): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { out: { type: 'string' }, province: { type: 'string' } },
  });
  const format = values.out?.toLowerCase().endsWith('.xlsx') ? 'xlsx' : 'csv';
  if (positionals[0] !== 'stalls' || positionals.length !== 1 || !values.out || (values.province && !/^\d{2}$/.test(values.province))) {
    io.stderr(USAGE);
    return EXIT_USAGE;
  }
  const { db } = openMigratedDatabase(loadConfig(io.env));
  const data = sqliteDataAccess(db);
  const exportLog = createExportLog(createExportLogRepo(data), clock);
  try {
    const table = await createStallsExport(createStallsExportRepo(data)).table({ provinceCode: values.province });
    writeFileSync(values.out, format === 'xlsx' ? await toXlsx(table) : toCsv(table));
    const scope = values.province ? `province:${values.province}` : 'all';
    await exportLog.record({ by: null, what: 'stalls', format, scope, rowCount: table.rows.length });
    io.stdout(`Đã xuất ${table.rows.length} sạp vào ${values.out}\n`);
    return EXIT_OK;
  } finally {
    db.close();
  }
}
