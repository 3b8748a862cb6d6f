import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { openRegistry } from '../bootstrap.js';
import type { Clock } from '../clock.js';
import { loadConfig } from '../config.js';
import { toCsv, toXlsx } from '../exports/table.js';
import { WHOLE_COUNTRY } from '../vocabulary/reach.js';
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
  if (
    positionals[0] !== 'stalls' ||
    positionals.length !== 1 ||
    !values.out ||
    (values.province && !/^\d{2}$/.test(values.province))
  ) {
    io.stderr(USAGE);
    return EXIT_USAGE;
  }
  const { db, services } = openRegistry(loadConfig(io.env), clock);
  const { exportLog, stallsExport } = services;
  try {
    // The command line runs as the system: the whole country (or the province asked for).
    const table = await stallsExport.table(WHOLE_COUNTRY, { provinceCode: values.province });
    writeFileSync(values.out, format === 'xlsx' ? await toXlsx(table) : toCsv(table));
    const scope = values.province ? `province:${values.province}` : 'all';
    await exportLog.record({ by: null, what: 'stalls', format, scope, rowCount: table.rows.length });
    io.stdout(`Đã xuất ${table.rows.length} sạp vào ${values.out}\n`);
    return EXIT_OK;
  } finally {
    db.close();
  }
}
