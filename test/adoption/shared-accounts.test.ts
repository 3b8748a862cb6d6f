import { CHEAP_DEMO_HASHES } from '../helpers/db.js';
import { describe, expect, it } from 'vitest';
import { createDataQualityRepo } from '../../src/adoption/data-quality-repo.js';
import { sqliteDataAccess } from '../../src/db/data-access.js';
import { SharedAccountNumbers } from '../../src/adoption/shared-accounts.js';
import { seedDemo } from '../../src/demo/demo-seed.js';
import { createTestContext } from '../helpers/app.js';

/** What a full scan finds: every account row whose (BIN, number) is held by two or more rows. */
function recount(db: ReturnType<typeof createTestContext>['db']): number[] {
  return db
    .prepare(
      `SELECT id FROM stall_accounts a
        WHERE (SELECT count(*) FROM stall_accounts b WHERE b.bin = a.bin AND b.account_number = a.account_number) >= 2
        ORDER BY bin, account_number, stall_id, id`,
    )
    .pluck()
    .all() as number[];
}

function copyAccount(
  db: ReturnType<typeof createTestContext>['db'],
  fromId: number,
  toStall: number,
  number?: string,
): void {
  db.prepare(
    `INSERT INTO stall_accounts (stall_id, bin, account_number, service, holder_name, source, created_at)
     SELECT ?, bin, coalesce(?, account_number), service, holder_name, source, '2026-11-22T02:00:00.000Z' ` +
      `FROM stall_accounts WHERE id = ?`,
  ).run(toStall, number ?? null, fromId);
}

describe('SharedAccountNumbers', () => {
  it(
    'finds the shared numbers once, then follows new accounts: ' + 'the same rows as a full recount each time',
    async () => {
      const { db, clock } = createTestContext();
      await seedDemo(sqliteDataAccess(db), clock, CHEAP_DEMO_HASHES);
      const shared = new SharedAccountNumbers(createDataQualityRepo(sqliteDataAccess(db)));
      expect((await shared.rows()).map((r) => r.id)).toEqual(recount(db));

      const [first, second] = db.prepare('SELECT id, stall_id FROM stall_accounts ORDER BY id LIMIT 2').all() as {
        id: number;
        stall_id: number;
      }[];
      copyAccount(db, first!.id, second!.stall_id); // a second stall now holds the first account's number
      copyAccount(db, first!.id, second!.stall_id, '99887766554433'); // a number nobody else holds
      const after = (await shared.rows()).map((r) => r.id);
      expect(after).toEqual(recount(db));
      expect(after).toContain(first!.id);

      db.prepare('UPDATE stall_accounts SET retired_at = ?, is_primary = 0 WHERE id = ?').run(
        '2026-11-22T03:00:00.000Z',
        first!.id,
      );
      expect((await shared.rows()).find((r) => r.id === first!.id)?.retired_at).toBe('2026-11-22T03:00:00.000Z');
    },
  );
});
