import { Kysely, SqliteDialect, type CompiledQuery } from 'kysely';
import { describe, expect, it } from 'vitest';
import { createAccountsRepo } from '../../src/accounts/accounts-repo.js';
import type { DataAccess } from '../../src/db/data-access.js';
import { openDatabase, type Db } from '../../src/db/database.js';
import { loadMigrations, migrate } from '../../src/db/migrate.js';
import type { Schema } from '../../src/db/schema.js';
import { migrationsDir } from '../../src/paths.js';
import { createStallsRepo } from '../../src/stalls/stalls-repo.js';
import { createVisitsRepo } from '../../src/visits/visits-repo.js';
import { createTestDb } from '../helpers/db.js';

const migrations = loadMigrations(migrationsDir);
const LABEL_FOLDED = migrations.findIndex((m) => m.name === 'stall_label_folded') + 1;
const SUBMIT_COUNTERS = migrations.findIndex((m) => m.name === 'submit_counters') + 1;
const AT = '2026-01-01T00:00:00.000Z';

/** A site of Phường Pleiku (23575), raw, as rows stood before the migrations under test. */
function insertSite(db: Db, name: string): number {
  return Number(
    db
      .prepare(
        `INSERT INTO sites (kind, name, name_folded, commune_code, created_at, updated_at)
         VALUES ('market', ?, ?, '23575', ?, ?)`,
      )
      .run(name, name.toLowerCase(), AT, AT).lastInsertRowid,
  );
}

function insertStall(db: Db, siteId: number, label: string): number {
  return Number(
    db
      .prepare(
        `INSERT INTO stalls (site_id, label, goods_category, status, search_folded, created_at, updated_at)
         VALUES (?, ?, 'tap_hoa', 'surveyed', '', ?, ?)`,
      )
      .run(siteId, label, AT, AT).lastInsertRowid,
  );
}

function insertUser(db: Db, username: string): number {
  return Number(
    db
      .prepare(
        `INSERT INTO users (username, display_name, role, password_hash, created_at)
         VALUES (?, ?, 'volunteer', 'scrypt$x', ?)`,
      )
      .run(username, username, AT).lastInsertRowid,
  );
}

function insertAccount(db: Db, stallId: number, bin: string, number: string, retiredAt: string | null = null) {
  return Number(
    db
      .prepare(
        `INSERT INTO stall_accounts (stall_id, bin, account_number, service, holder_name, source, is_primary,
           retired_at, created_at) VALUES (?, ?, ?, 'account', 'NGUYEN VAN A', 'typed', 0, ?, ?)`,
      )
      .run(stallId, bin, number, retiredAt, AT).lastInsertRowid,
  );
}

function insertVisit(db: Db, stallId: number, userId: number | null, at: string): void {
  db.prepare(`INSERT INTO visits (stall_id, user_id, visited_at, action) VALUES (?, ?, ?, 'onboarded')`).run(
    stallId,
    userId,
    at,
  );
}

/** The repositories on a connection whose every query is kept, so a test can ask SQLite how it runs it. */
function recorded(db: Db): { data: DataAccess; queries: CompiledQuery[] } {
  const queries: CompiledQuery[] = [];
  const kysely = new Kysely<Schema>({
    dialect: new SqliteDialect({ database: db }),
    log: (event) => {
      if (event.level === 'query') queries.push(event.query);
    },
  });
  const data: DataAccess = {
    db: () => kysely,
    transaction: (work) => work(),
    reading: (work) => work(),
    inTransaction: () => false,
    schemaVersion: async () => 0,
    close: () => kysely.destroy(),
  };
  return { data, queries };
}

/** The plan of the last query run, one line per step, as EXPLAIN QUERY PLAN writes them. */
function planOf(db: Db, queries: CompiledQuery[]): string[] {
  const query = queries.at(-1)!;
  return (db.prepare(`EXPLAIN QUERY PLAN ${query.sql}`).all(...query.parameters) as { detail: string }[]).map(
    (row) => row.detail,
  );
}

describe('migration 0026: the stored folded label', () => {
  it('when a registry is migrated, then every existing label is folded as the app folds it', () => {
    const db = openDatabase(':memory:');
    migrate(db, migrations, LABEL_FOLDED - 1);
    const site = insertSite(db, 'Chợ Đức Long');
    const labels = [
      'Sạp Đức Hòa 12',
      'KI-ỐT ĐẦU CHỢ',
      // Decomposed (NFD) marks, and the tone mark on the other vowel: the same letters once folded.
      'Sạp Hoà'.normalize('NFD'),
      'SẠP DUP\u200b 5',
      '  Gian   hàng  số 3 ',
      'đ Đ',
    ];
    for (const label of labels) insertStall(db, site, label);
    migrate(db, migrations, LABEL_FOLDED);
    expect(db.prepare('SELECT label_folded FROM stalls ORDER BY id').pluck().all()).toEqual([
      'sap duc hoa 12',
      'ki-ot dau cho',
      'sap hoa',
      'sap dup 5',
      'gian hang so 3',
      'd d',
    ]);
    expect(
      db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'stalls_site_label_folded'").get(),
    ).toBeDefined();
  });

  it('when the app saves or edits a stall, then its folded label is written with it', async () => {
    const db = createTestDb();
    const site = insertSite(db, 'Chợ Hoa Lư');
    const repo = createStallsRepo(recorded(db).data);
    const values = {
      label: 'Sạp ĐÀO 7',
      businessName: '',
      ownerName: '',
      phone: null,
      goodsCategory: 'tap_hoa' as const,
      consentGiven: false,
      searchFolded: 'sap dao 7',
      at: AT,
      by: null,
    };
    const id = await repo.insert(site, values);
    expect(db.prepare('SELECT label_folded FROM stalls WHERE id = ?').pluck().get(id)).toBe('sap dao 7');
    await repo.update(id, { ...values, label: 'Ki-ốt Đông' });
    expect(db.prepare('SELECT label_folded FROM stalls WHERE id = ?').pluck().get(id)).toBe('ki-ot dong');
  });
});

describe('the duplicate-label check', () => {
  it('when it runs, then SQLite finds the label through the (site_id, label_folded) index, not a scan', async () => {
    const db = createTestDb();
    const site = insertSite(db, 'Chợ Hoa Lư');
    const { data, queries } = recorded(db);
    const repo = createStallsRepo(data);
    const id = await repo.insert(site, {
      label: 'SẠP DUP 5',
      businessName: '',
      ownerName: '',
      phone: null,
      goodsCategory: 'tap_hoa',
      consentGiven: false,
      searchFolded: 'sap dup 5',
      at: AT,
      by: null,
    });
    expect((await repo.findOtherWithLabel(site, 'sap dup 5'))?.id).toBe(id);
    expect((await repo.findOtherWithLabel(site, 'Sạp\u200b Dup 5'))?.id).toBe(id);
    expect(await repo.findOtherWithLabel(site, 'Sạp dup 5', id)).toBeUndefined();
    const plan = planOf(db, queries);
    expect(plan.join('\n')).toMatch(
      /SEARCH stalls USING (COVERING )?INDEX stalls_site_label_folded \(site_id=\? AND label_folded=\?/,
    );
    expect(plan.join('\n')).not.toMatch(/SCAN/);
  });
});

describe('migration 0027: recent sites and bank usage kept per user and per site', () => {
  it('when migrated, then each user has their sites with the newest visit, and each site its active banks', () => {
    const db = openDatabase(':memory:');
    migrate(db, migrations, SUBMIT_COUNTERS - 1);
    const [market, street] = [insertSite(db, 'Chợ Hoa Lư'), insertSite(db, 'Phố Hùng Vương')];
    const [lan, minh] = [insertUser(db, 'lan'), insertUser(db, 'minh')];
    const [s1, s2, s3] = [
      insertStall(db, market, 'Sạp 1'),
      insertStall(db, market, 'Sạp 2'),
      insertStall(db, street, 'số 3'),
    ];
    insertVisit(db, s1, lan, '2026-01-02T00:00:00.000Z');
    insertVisit(db, s2, lan, '2026-01-05T00:00:00.000Z');
    insertVisit(db, s3, lan, '2026-01-03T00:00:00.000Z');
    insertVisit(db, s3, minh, '2026-01-04T00:00:00.000Z');
    // The command line's visits have no user: they are nobody's recent site.
    insertVisit(db, s1, null, '2026-01-09T00:00:00.000Z');
    insertAccount(db, s1, '970418', '111');
    insertAccount(db, s2, '970418', '222');
    insertAccount(db, s2, '970436', '333');
    insertAccount(db, s3, '970436', '444', '2026-01-06T00:00:00.000Z');
    migrate(db, migrations, SUBMIT_COUNTERS);
    expect(db.prepare('SELECT * FROM user_recent_sites ORDER BY user_id, site_id').all()).toEqual([
      { user_id: lan, site_id: market, last_visit_at: '2026-01-05T00:00:00.000Z' },
      { user_id: lan, site_id: street, last_visit_at: '2026-01-03T00:00:00.000Z' },
      { user_id: minh, site_id: street, last_visit_at: '2026-01-04T00:00:00.000Z' },
    ]);
    // The retired account of the street is not counted.
    expect(db.prepare('SELECT * FROM site_bank_usage ORDER BY site_id, bin').all()).toEqual([
      { site_id: market, bin: '970418', accounts: 2 },
      { site_id: market, bin: '970436', accounts: 1 },
    ]);
  });

  it('when visits arrive, then the newest per site is kept, and an older one sent late does not move it back', () => {
    const db = createTestDb();
    const site = insertSite(db, 'Chợ Hoa Lư');
    const lan = insertUser(db, 'lan');
    const stall = insertStall(db, site, 'Sạp 1');
    insertVisit(db, stall, lan, '2026-01-05T00:00:00.000Z');
    insertVisit(db, stall, lan, '2026-01-02T00:00:00.000Z');
    insertVisit(db, stall, null, '2026-01-09T00:00:00.000Z');
    expect(db.prepare('SELECT user_id, site_id, last_visit_at FROM user_recent_sites').all()).toEqual([
      { user_id: lan, site_id: site, last_visit_at: '2026-01-05T00:00:00.000Z' },
    ]);
    insertVisit(db, stall, lan, '2026-01-07T00:00:00.000Z');
    expect(db.prepare('SELECT last_visit_at FROM user_recent_sites').pluck().get()).toBe('2026-01-07T00:00:00.000Z');
  });

  it('when accounts are added and retired, then the site counts its active accounts by bank', async () => {
    const db = createTestDb();
    const site = insertSite(db, 'Chợ Hoa Lư');
    const stall = insertStall(db, site, 'Sạp 1');
    const first = insertAccount(db, stall, '970418', '111');
    insertAccount(db, stall, '970418', '222');
    insertAccount(db, stall, '970436', '333');
    insertAccount(db, stall, '970405', '444', AT);
    const lead = insertUser(db, 'lead');
    const repo = createAccountsRepo(recorded(db).data);
    expect(await repo.bankUsageForSite(site, 5)).toEqual([
      { bin: '970418', n: 2 },
      { bin: '970436', n: 1 },
    ]);
    await repo.retire(first, AT, lead, 'wrong_account');
    expect(await repo.bankUsageForSite(site, 5)).toEqual([
      { bin: '970418', n: 1 },
      { bin: '970436', n: 1 },
    ]);
  });

  it('when recent sites are read, then SQLite walks the (user_id, last_visit_at) index, sorting nothing', async () => {
    const db = createTestDb();
    const [market, street] = [insertSite(db, 'Chợ Hoa Lư'), insertSite(db, 'Phố Hùng Vương')];
    const lan = insertUser(db, 'lan');
    const [s1, s2] = [insertStall(db, market, 'Sạp 1'), insertStall(db, street, 'số 2')];
    for (let day = 10; day < 28; day++) insertVisit(db, day % 2 ? s1 : s2, lan, `2026-01-${day}T00:00:00.000Z`);
    const { data, queries } = recorded(db);
    const recent = await createVisitsRepo(data).recentSites(lan, 5);
    expect(recent.map((site) => [site.name, site.last_visit])).toEqual([
      ['Chợ Hoa Lư', '2026-01-27T00:00:00.000Z'],
      ['Phố Hùng Vương', '2026-01-26T00:00:00.000Z'],
    ]);
    const plan = planOf(db, queries).join('\n');
    expect(plan).toMatch(/SEARCH r USING (COVERING )?INDEX user_recent_sites_latest \(user_id=\?\)/);
    expect(plan).not.toMatch(/TEMP B-TREE|SCAN|visits/);
  });

  it('when the bank picker reads a site, then it reads that site’s rows of site_bank_usage, no stall', async () => {
    const db = createTestDb();
    const site = insertSite(db, 'Chợ Hoa Lư');
    const { data, queries } = recorded(db);
    await createAccountsRepo(data).bankUsageForSite(site, 5);
    const plan = planOf(db, queries).join('\n');
    expect(plan).toMatch(/SEARCH site_bank_usage USING PRIMARY KEY \(site_id=\?\)/);
    expect(plan).not.toMatch(/stalls|stall_accounts|SCAN/);
  });
});
