import { describe, expect, it } from 'vitest';
import { createAuditRepo } from '../../src/audit/audit-repo.js';
import { createAuditService } from '../../src/audit/audit-service.js';
import { fixedClock } from '../../src/clock.js';
import { sqliteDataAccess } from '../../src/db/data-access.js';
import { seedDemo } from '../../src/demo/demo-seed.js';
import { createExportLog } from '../../src/exports/export-log.js';
import { createExportLogRepo } from '../../src/exports/export-log-repo.js';
import { createStallsExport } from '../../src/exports/stalls-export.js';
import { createStallsExportRepo } from '../../src/exports/stalls-export-repo.js';
import { CHEAP_DEMO_HASHES, createTestDb } from '../helpers/db.js';
import { NO_REACH, WHOLE_COUNTRY } from '../../src/vocabulary/reach.js';

describe('exports on the data access', () => {
  it(
    'when limited to a province, ' + 'then every stall row is in it, in unit order, and the whole export has more',
    async () => {
      const db = createTestDb();
      await seedDemo(sqliteDataAccess(db), fixedClock('2026-11-22T03:00:00Z'), CHEAP_DEMO_HASHES);
      const stalls = createStallsExport(createStallsExportRepo(sqliteDataAccess(db)));
      const all = await stalls.table(WHOLE_COUNTRY);
      const gialai = await stalls.table(WHOLE_COUNTRY, { provinceCode: '52' });
      expect(all.rows).toHaveLength(db.prepare('SELECT count(*) FROM stalls').pluck().get() as number);
      expect(gialai.rows.length).toBeGreaterThan(0);
      expect(gialai.rows.every((row) => row[0] === '52')).toBe(true);
      expect(gialai.rows).toEqual(all.rows.filter((row) => row[0] === '52'));
    },
  );

  it('when limited to a reach, then only the stalls of its communes and sites leave; no reach, no row', async () => {
    const db = createTestDb();
    await seedDemo(sqliteDataAccess(db), fixedClock('2026-11-22T03:00:00Z'), CHEAP_DEMO_HASHES);
    const stalls = createStallsExport(createStallsExportRepo(sqliteDataAccess(db)));
    const all = await stalls.table(WHOLE_COUNTRY);
    const reach = { wholeCountry: false, provinces: [], communes: ['23575'], sites: [4] };
    const mine = await stalls.table(reach);
    const count = (sql: string) => db.prepare(sql).pluck().get() as number;
    expect(mine.rows).toHaveLength(count('SELECT count(*) FROM stalls WHERE site_id IN (1, 4)'));
    expect(mine.rows).toEqual(all.rows.filter((row) => row[2] === '23575' || row[4] === 4));
    expect((await stalls.table(reach, { provinceCode: '79' })).rows).toEqual([]);
    expect((await stalls.table(NO_REACH)).rows).toEqual([]);
    expect((await stalls.table({ ...NO_REACH, provinces: ['52'] })).rows).toEqual(
      all.rows.filter((r) => r[0] === '52'),
    );
  });

  it('when an export is recorded, then the log row carries the clock’s time and what was exported', async () => {
    const db = createTestDb();
    const data = sqliteDataAccess(db);
    const clock = fixedClock('2026-11-22T04:05:06.000Z');
    const audit = createAuditService({ audit: createAuditRepo(data), clock, inTransaction: data.inTransaction });
    const log = createExportLog({ repo: createExportLogRepo(data), clock, audit, transaction: data.transaction });
    await log.record({ by: null, what: 'stalls', format: 'xlsx', scope: 'province:52', rowCount: 12 });
    expect(db.prepare('SELECT exported_at, exported_by, what, format, scope, row_count FROM export_log').all()).toEqual(
      [
        {
          exported_at: '2026-11-22T04:05:06.000Z',
          exported_by: null,
          what: 'stalls',
          format: 'xlsx',
          scope: 'province:52',
          row_count: 12,
        },
      ],
    );
  });
});
