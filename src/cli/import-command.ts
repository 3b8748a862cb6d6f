import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import type { Actor } from '../actor.js';
import { openRegistry } from '../bootstrap.js';
import type { Clock } from '../clock.js';
import { loadConfig } from '../config.js';
import { HttpError, ValidationError } from '../http/errors.js';
import { SITE_OUTCOME_LABELS } from '../imports/site-import-service.js';
import { unrecognisedColumns } from '../imports/stall-columns.js';
import { ROW_OUTCOME_LABELS, ROW_OUTCOMES, type PreviewRow } from '../imports/stall-import-service.js';
import { actorNamed } from './acting-user.js';
import { EXIT_NEGATIVE, EXIT_OK, EXIT_USAGE, type CliIo } from './cli-io.js';

const USAGE =
  'Cách dùng: phoqr import stalls --site MÃ_ĐỊA_ĐIỂM TỆP.csv|TỆP.xlsx [--commit] [--as TÊN_ĐĂNG_NHẬP]\n' +
  '                              [--sheet TÊN_TRANG] [--consent-on-paper]\n' +
  '           phoqr import sites --commune MÃ_XÃ TỆP.csv|TỆP.xlsx [--commit] [--as TÊN_ĐĂNG_NHẬP]\n' +
  '  (cột: Tên địa điểm, Loại: chợ/tuyến phố/trung tâm thương mại, Chỉ tiêu %, Địa chỉ, Ngày ra mắt,\n' +
  '   Hạn chỉ tiêu, Ghi chú; địa điểm đã có trong xã được giữ nguyên)\n' +
  '  Không có --commit: chỉ in bản xem trước, không ghi gì. Có --commit: ghi các dòng hợp lệ trong một lần.\n' +
  '  --consent-on-paper: xác nhận đã lấy đồng ý của tiểu thương trên giấy (lưu cả dữ liệu cá nhân).\n' +
  '  Mã thoát: 0 mọi dòng đều ghi được, 1 có dòng bị bỏ qua, 2 lỗi tệp hoặc cách dùng.\n';

/** Rows that are not written: the command says so with exit 1. */
const SKIPPED = new Set(['duplicate', 'conflict', 'error']);

function describeRows(rows: readonly PreviewRow[], labels: Record<string, string> = ROW_OUTCOME_LABELS): string {
  const lines: string[] = [];
  for (const outcome of ROW_OUTCOMES) {
    const these = rows.filter((row) => row.outcome === outcome);
    if (these.length === 0) continue;
    lines.push(`${labels[outcome]} (${these.length}):`);
    for (const row of these) {
      const why = [...row.reasons, ...row.notes];
      lines.push(`  dòng ${row.line} ${row.label || '(không có số sạp)'}${why.length ? ': ' + why.join(' ') : ''}`);
    }
  }
  return lines.join('\n') + '\n';
}

/**
 * `phoqr import stalls --site ID FILE`: a market board's list into a site. Without --commit it prints what
 * would happen, row by row, and writes nothing; with it the good rows are written in one transaction. The
 * audit trail records the user of --as, or the command line (no user).
 */
export async function runImportCommand(args: string[], io: CliIo, clock: Clock): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        site: { type: 'string' },
        commune: { type: 'string' },
        commit: { type: 'boolean', default: false },
        as: { type: 'string' },
        sheet: { type: 'string' },
        'consent-on-paper': { type: 'boolean', default: false },
      },
    });
  } catch {
    io.stderr(USAGE);
    return EXIT_USAGE;
  }
  const { values, positionals } = parsed;
  const siteId = Number(values.site);
  const [what, path] = positionals;
  const sitesOk = what === 'sites' && /^\d{5}$/.test(values.commune ?? '');
  const stallsOk = what === 'stalls' && Number.isSafeInteger(siteId) && siteId > 0;
  if (!(sitesOk || stallsOk) || !path || positionals.length !== 2) {
    io.stderr(USAGE);
    return EXIT_USAGE;
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    io.stderr(`Không đọc được tệp ${path}: ${(error as Error).message}\n`);
    return EXIT_USAGE;
  }
  const { db, services } = openRegistry(loadConfig(io.env), clock);
  const { stallImport } = services;
  try {
    let actor: Actor | null = null;
    if (values.as !== undefined) {
      const named = await actorNamed(services.users, values.as);
      if (!named) {
        io.stderr(`Không có người dùng "${values.as}".\n`);
        return EXIT_USAGE;
      }
      actor = named;
    }
    if (what === 'sites') {
      const result = await services.siteImport.importSites(
        actor,
        values.commune!,
        { name: basename(path), bytes },
        values.commit,
      );
      io.stdout(`${basename(path)} → xã/phường ${values.commune}: ${result.rows.length} dòng.\n`);
      io.stdout(describeRows(result.rows, SITE_OUTCOME_LABELS));
      const skippedSites = result.counts.duplicate + result.counts.error;
      io.stdout(
        values.commit
          ? `Đã thêm ${result.written} địa điểm; bỏ qua ${skippedSites} dòng.\n`
          : `Chưa ghi gì (xem trước). Thêm --commit để thêm ${result.counts.new} địa điểm.\n`,
      );
      return skippedSites > 0 ? EXIT_NEGATIVE : EXIT_OK;
    }
    const read = await stallImport.readFile(bytes, values.sheet);
    if (read.problem !== undefined) {
      io.stderr(`${read.problem}\n`);
      return EXIT_USAGE;
    }
    const mapping = stallImport.defaultMapping(read.table);
    const unused = unrecognisedColumns(read.table).map((column) => column.header || `cột ${column.index + 1}`);
    const options = { consentOnPaper: values['consent-on-paper'] };
    const file = { name: basename(path), table: read.table };
    const result = values.commit
      ? await stallImport.commit(actor, siteId, file, mapping, options)
      : await stallImport.preview(actor, siteId, read.table, mapping, options);
    io.stdout(`${file.name} → ${result.site.name} (địa điểm ${result.site.id}): ${result.rows.length} dòng.\n`);
    if (unused.length > 0) io.stdout(`Các cột không dùng đến: ${unused.join(', ')}.\n`);
    io.stdout(describeRows(result.rows));
    const skipped = result.rows.filter((row) => SKIPPED.has(row.outcome)).length;
    const toWrite = result.counts.new + result.counts.update;
    if ('written' in result) {
      io.stdout(`Đã ghi ${result.written} dòng; bỏ qua ${skipped} dòng.\n`);
    } else {
      io.stdout(`Chưa ghi gì (xem trước). Thêm --commit để ghi ${toWrite} dòng; ${skipped} dòng sẽ bị bỏ qua.\n`);
    }
    return skipped > 0 ? EXIT_NEGATIVE : EXIT_OK;
  } catch (error) {
    if (error instanceof ValidationError) {
      io.stderr(`${Object.values(error.fieldErrors).join(' ') || error.message}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof HttpError) {
      io.stderr(`${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  } finally {
    db.close();
  }
}
