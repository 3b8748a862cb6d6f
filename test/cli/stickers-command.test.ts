import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openMigratedDatabase } from '../../src/bootstrap.js';
import { runStickersCommand } from '../../src/cli/stickers-command.js';
import { fixedClock } from '../../src/clock.js';
import { testConfig } from '../../src/config.js';
import { createTestContext, TEST_NOW } from '../helpers/app.js';
import { pdfInfo } from '../helpers/pdf-tools.js';
import { siteOfVerifiedStalls } from '../helpers/stickers.js';
import { tempDir } from '../helpers/temp-dir.js';

/** A database file with Chợ Hoa Lư and `count` printable stalls, and the command's io writing into arrays. */
async function registryFile(count: number) {
  const databasePath = path.join(tempDir('stickers-cli'), 'phoqr.sqlite');
  const { db } = openMigratedDatabase(testConfig({ databasePath }));
  const context = createTestContext(db);
  const { siteId } = await siteOfVerifiedStalls(context, count);
  const out: string[] = [];
  const err: string[] = [];
  const io = {
    stdout: (t: string) => out.push(t),
    stderr: (t: string) => err.push(t),
    env: { DATABASE_PATH: databasePath },
  };
  const state = () => ({
    printCounts: db.prepare('SELECT print_count FROM stickers ORDER BY sequence').pluck().all(),
    prints: db.prepare('SELECT printed_by, format FROM sticker_prints ORDER BY id').all(),
    printAudit: db.prepare("SELECT count(*) FROM audit_log WHERE action = 'sticker.print'").pluck().get(),
  });
  return { db, siteId, io, out, err, state, dir: path.dirname(databasePath) };
}

const run = (args: string[], io: Parameters<typeof runStickersCommand>[1]) =>
  runStickersCommand(args, io, fixedClock(TEST_NOW));

describe('phoqr stickers', () => {
  it('when the file is written to its end, then the batch is recorded as printed, without a user', async () => {
    const { siteId, io, out, state, dir } = await registryFile(3);
    const file = path.join(dir, 'hoa-lu.pdf');
    expect(await run(['--site', String(siteId), '--format', 'a6', '--out', file], io)).toBe(0);
    expect(out.join('')).toContain(`Đã ghi 3 mã QR của Chợ Hoa Lư (3 trang) vào ${file}`);
    expect(pdfInfo(readFileSync(file)).Pages).toBe('3');
    expect(state()).toEqual({
      printCounts: [1, 1, 1],
      prints: Array(3).fill({ printed_by: null, format: 'a6' }),
      printAudit: 3,
    });
  });

  it(
    'when the file cannot be written, then it exits 1 saying nothing was recorded, ' +
      'and --only-unprinted then prints them all',
    async () => {
      const { siteId, io, err, state, dir } = await registryFile(2);
      const missing = path.join(dir, 'khong-co-thu-muc', 'hoa-lu.pdf');
      expect(await run(['--site', String(siteId), '--format', 'a6', '--out', missing], io)).toBe(1);
      expect(err.join('')).toContain(`Không tạo được tệp ${missing}`);
      expect(err.join('')).toContain('Chưa ghi nhận lượt in nào.');
      expect(state()).toEqual({ printCounts: [0, 0], prints: [], printAudit: 0 });

      const file = path.join(dir, 'hoa-lu.pdf');
      expect(await run(['--site', String(siteId), '--format', 'a6', '--out', file, '--only-unprinted'], io)).toBe(0);
      expect(state().printCounts).toEqual([1, 1]);
    },
  );

  it.runIf(existsSync('/dev/full'))(
    'when the disk is full while writing, then it exits 1 and nothing is recorded',
    async () => {
      const { siteId, io, err, state } = await registryFile(1);
      expect(await run(['--site', String(siteId), '--format', 'a6', '--out', '/dev/full'], io)).toBe(1);
      expect(err.join('')).toContain('Chưa ghi nhận lượt in nào.');
      expect(state()).toEqual({ printCounts: [0], prints: [], printAudit: 0 });
    },
  );
});
