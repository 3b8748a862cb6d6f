import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Actor } from '../actor.js';
import { PatchFormatError } from '../admin-units/admin-unit-patch.js';
import { PatchRefusedError, type PatchReport, type ReprintItem } from '../admin-units/admin-unit-patches-service.js';
import { openRegistry } from '../bootstrap.js';
import type { Clock } from '../clock.js';
import { loadConfig } from '../config.js';
import { toCsv } from '../exports/table.js';
import { ForbiddenError } from '../http/errors.js';
import { TERMS } from '../vocabulary/terms.js';
import { actorNamed } from './acting-user.js';
import { EXIT_NEGATIVE, EXIT_OK, EXIT_USAGE, type CliIo } from './cli-io.js';

const USAGE =
  'Cách dùng: phoqr admin-units update --from TỆP.json [--commit] [--as TÊN_ĐĂNG_NHẬP] [--reprint-csv TỆP.csv]\n' +
  '  Đọc một bản cập nhật đơn vị hành chính (định dạng: README, mục "Cập nhật đơn vị hành chính").\n' +
  '  Không có --commit: in các thay đổi và hệ quả (địa điểm, phạm vi người dùng, đợt, tem cần in lại),\n' +
  '  không ghi gì.\n' +
  '  Có --commit: áp dụng tất cả trong một lần ghi, hoặc không gì cả nếu có lỗi.\n' +
  '  --reprint-csv: ghi danh sách tem cần in lại ra tệp CSV.\n' +
  '  Mã thoát: 0 được, 1 bản cập nhật bị từ chối (không ghi gì), 2 lỗi tệp hoặc cách dùng.\n';

function reprintLines(reprint: readonly ReprintItem[]): string[] {
  if (reprint.length === 0) return ['Tem cần in lại: không có (tem chỉ in tên địa điểm; không tên địa điểm nào đổi).'];
  return [
    `Tem cần in lại (${reprint.length}):`,
    ...reprint.map(
      (item) => `  ${item.serial} · ${item.stall} · địa điểm #${item.siteId}: "${item.before}" → "${item.after}"`,
    ),
  ];
}

/** The diff as printed: each change and what follows from it, the reprint list, then a summary. */
export function describePatchReport(report: PatchReport): string {
  const lines = [`Bản cập nhật ${report.id}: ${report.title}`];
  if (report.note) lines.push(`Ghi chú: ${report.note}`);
  for (const change of report.changes) lines.push(`${change.number}. ${change.headline}`, ...change.lines);
  lines.push(...reprintLines(report.reprint));
  const { sitesMoved, reachRows, memberships, oldNamesKept } = report.counts;
  lines.push(
    `Tóm tắt: ${report.changes.length} thay đổi; ${sitesMoved} địa điểm chuyển xã; ${reachRows} phạm vi người dùng ` +
      `chuyển; ${memberships} địa điểm trong đợt đi theo; ${oldNamesKept} tên cũ giữ lại; ` +
      `${report.reprint.length} tem cần in lại.`,
  );
  lines.push(
    report.committed
      ? 'Đã áp dụng tất cả trong một lần ghi (có trong nhật ký).'
      : 'Chưa ghi gì (xem trước). Thêm --commit để áp dụng.',
  );
  return lines.join('\n') + '\n';
}

export function reprintCsv(reprint: readonly ReprintItem[]): string {
  return toCsv({
    sheetName: 'Tem cần in lại',
    columns: [
      { header: TERMS.stickerSerial },
      { header: 'Sạp' },
      { header: 'Mã địa điểm' },
      { header: 'Dòng in cũ' },
      { header: 'Dòng in mới' },
    ],
    rows: reprint.map((item) => [item.serial, item.stall, item.siteId, item.before, item.after]),
  });
}

/**
 * `phoqr admin-units update --from FILE [--commit]`: an admin-unit patch, shown as a diff and, with --commit,
 * applied in one transaction by the admin-unit patches service (which also writes the audit entry).
 */
export async function runAdminUnitsCommand(args: string[], io: CliIo, clock: Clock): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        from: { type: 'string' },
        commit: { type: 'boolean', default: false },
        as: { type: 'string' },
        'reprint-csv': { type: 'string' },
      },
    });
  } catch {
    io.stderr(USAGE);
    return EXIT_USAGE;
  }
  const { values, positionals } = parsed;
  if (positionals.length !== 1 || positionals[0] !== 'update' || !values.from) {
    io.stderr(USAGE);
    return EXIT_USAGE;
  }
  let text: string;
  try {
    text = readFileSync(values.from, 'utf8');
  } catch (error) {
    io.stderr(`Không đọc được tệp ${values.from}: ${(error as Error).message}\n`);
    return EXIT_USAGE;
  }
  const { db, services } = openRegistry(loadConfig(io.env), clock);
  try {
    let actor: Actor | null = null;
    if (values.as !== undefined) {
      actor = (await actorNamed(services.users, values.as)) ?? null;
      if (!actor) {
        io.stderr(`Không có người dùng "${values.as}".\n`);
        return EXIT_USAGE;
      }
    }
    const report = await services.adminUnitPatches.apply(actor, text, values.commit);
    io.stdout(describePatchReport(report));
    const csvPath = values['reprint-csv'];
    if (csvPath !== undefined) {
      writeFileSync(csvPath, reprintCsv(report.reprint));
      io.stdout(`Đã ghi danh sách tem cần in lại: ${csvPath} (${report.reprint.length} dòng).\n`);
    }
    return EXIT_OK;
  } catch (error) {
    if (error instanceof PatchFormatError) {
      io.stderr(
        `Tệp ${values.from} không đúng định dạng bản cập nhật:\n${error.problems.map((p) => `  ${p}`).join('\n')}\n`,
      );
      io.stderr('Không ghi gì.\n');
      return EXIT_USAGE;
    }
    if (error instanceof ForbiddenError) {
      io.stderr(`${error.message}\n`);
      return EXIT_USAGE;
    }
    if (error instanceof PatchRefusedError) {
      io.stderr(`Bản cập nhật bị từ chối:\n${error.problems.map((p) => `  ${p}`).join('\n')}\n`);
      io.stderr('Không ghi gì.\n');
      return EXIT_NEGATIVE;
    }
    throw error;
  } finally {
    db.close();
  }
}
