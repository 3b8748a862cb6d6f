import { describe, expect, it } from 'vitest';
import { openDatabase, type SqliteConnection } from '../../src/db/database.js';
import { createTestDb } from '../helpers/db.js';

const AT = '2026-11-20T02:00:00.000Z';

/** Migrated once by the real runner, then copied per test (a migration run costs ~0.4 s, a copy ~1 ms). */
const template = (() => {
  const db = createTestDb();
  const bytes = db.serialize();
  db.close();
  return bytes;
})();

/** A user, a site, a stall with one history row, one visit and one account, all with text in their notes. */
function registryWithNotes(): { db: SqliteConnection; historyId: number; visitId: number; accountId: number } {
  const db = openDatabase(template);
  db.exec(`
    INSERT INTO users (id, username, display_name, role, password_hash, created_at)
      VALUES (1, 'admin', 'Quản trị', 'admin', 'x', '${AT}');
    INSERT INTO sites (id, kind, name, name_folded, commune_code, created_at, updated_at)
      VALUES (1, 'market', 'Chợ Hoa Lư', 'cho hoa lu', '23575', '${AT}', '${AT}');
    INSERT INTO stalls (id, site_id, label, goods_category, status, refusal_reason, search_folded,
                        created_at, updated_at)
      VALUES (1, 1, 'Sạp 1', 'rau_cu', 'refused', 'other', 'sap 1', '${AT}', '${AT}');
    INSERT INTO stall_status_history (id, stall_id, from_status, to_status, changed_at, changed_by, reason, note)
      VALUES (1, 1, NULL, 'refused', '${AT}', 1, 'other', 'Chị Lan, con gái chủ sạp, không muốn');
    INSERT INTO visits (id, stall_id, user_id, visited_at, action, note)
      VALUES (1, 1, 1, '${AT}', 'refused', 'Gọi lại số 0905123456');
    INSERT INTO stall_accounts (id, stall_id, bin, account_number, service, holder_name, source, created_at)
      VALUES (1, 1, '970436', '0123456789', 'account', 'NGUYEN THI LAN', 'typed', '${AT}');
  `);
  return { db, historyId: 1, visitId: 1, accountId: 1 };
}

function recordRedaction(db: SqliteConnection, table: 'stall_status_history' | 'visits', rowId: number): void {
  db.prepare(
    `INSERT INTO redactions (table_name, row_id, field, reason, redacted_at, redacted_by)
     VALUES (?, ?, 'note', 'Yêu cầu xoá dữ liệu số 12', ?, 1)`,
  ).run(table, rowId, AT);
}

const row = (db: SqliteConnection, table: string, id: number) =>
  db.prepare(`SELECT * FROM ${table} WHERE id = ?`).get(id);

/** The one row of each guarded table, to show a refused statement changed nothing. */
const everyRow = (db: SqliteConnection) => ({
  history: row(db, 'stall_status_history', 1),
  visit: row(db, 'visits', 1),
  account: row(db, 'stall_accounts', 1),
});

describe('append-only tables (migration 0008)', () => {
  it.each([
    ['stall_status_history', 'DELETE FROM stall_status_history', /stall_status_history is append-only/],
    ['visits', 'DELETE FROM visits', /visits is append-only/],
    ['stall_accounts', 'DELETE FROM stall_accounts', /stall_accounts rows are never deleted/],
  ])('when a row of %s is deleted, then the database refuses and the row stays', (table, statement, message) => {
    const { db } = registryWithNotes();
    expect(() => db.exec(statement)).toThrow(message);
    expect(db.prepare(`SELECT count(*) AS n FROM ${table}`).get()).toEqual({ n: 1 });
  });

  it('when a row of redactions is deleted or updated, then the database refuses and the row stays', () => {
    const { db, historyId } = registryWithNotes();
    recordRedaction(db, 'stall_status_history', historyId);
    const before = row(db, 'redactions', 1);
    expect(() => db.exec('DELETE FROM redactions')).toThrow(/redactions is append-only/);
    expect(() => db.exec("UPDATE redactions SET reason = 'khác'")).toThrow(/redactions is append-only/);
    expect(() => db.exec('UPDATE redactions SET redacted_by = NULL')).toThrow(/redactions is append-only/);
    expect(row(db, 'redactions', 1)).toEqual(before);
  });

  it.each([
    ["UPDATE stall_status_history SET to_status = 'installed', reason = NULL", /stall_status_history is append-only/],
    ["UPDATE stall_status_history SET changed_at = '2026-01-01T00:00:00.000Z'", /stall_status_history is append-only/],
    ['UPDATE stall_status_history SET changed_by = NULL', /stall_status_history is append-only/],
    ['UPDATE stall_status_history SET id = 7', /stall_status_history is append-only/],
    ["UPDATE visits SET action = 'installed'", /visits is append-only/],
    ["UPDATE visits SET visited_at = '2026-01-01T00:00:00.000Z'", /visits is append-only/],
    ['UPDATE visits SET user_id = NULL', /visits is append-only/],
    ["UPDATE stall_accounts SET account_number = '9999'", /stall_accounts: an account's id, bin and account_number/],
    ["UPDATE stall_accounts SET bin = '970415'", /stall_accounts: an account's id, bin and account_number/],
  ])('when "%s" runs, then the database refuses and nothing changes', (statement, message) => {
    const { db } = registryWithNotes();
    const before = everyRow(db);
    expect(() => db.exec(statement)).toThrow(message);
    expect(everyRow(db)).toEqual(before);
  });

  it('when an account is name-checked, made primary and retired, then those updates still go through', () => {
    const { db, accountId } = registryWithNotes();
    db.prepare(
      `UPDATE stall_accounts SET verified_at = ?, verified_by = 1, verified_name_seen = 'NGUYEN THI LAN', is_primary = 1
        WHERE id = ?`,
    ).run(AT, accountId);
    db.prepare('UPDATE stall_accounts SET retired_at = ?, retired_by = 1, is_primary = 0 WHERE id = ?').run(
      AT,
      accountId,
    );
    expect(row(db, 'stall_accounts', accountId)).toMatchObject({ verified_by: 1, retired_at: AT, is_primary: 0 });
  });

  it.each(['stall_status_history', 'visits'] as const)(
    'when a note of %s is blanked without a redactions row, then the database refuses',
    (table) => {
      const { db } = registryWithNotes();
      const before = row(db, table, 1);
      expect(() => db.exec(`UPDATE ${table} SET note = ''`)).toThrow(`${table} is append-only`);
      expect(row(db, table, 1)).toEqual(before);
    },
  );

  it.each(['stall_status_history', 'visits'] as const)(
    'when a note of %s is rewritten rather than blanked, then the database refuses even with a redactions row',
    (table) => {
      const { db } = registryWithNotes();
      recordRedaction(db, table, 1);
      expect(() => db.exec(`UPDATE ${table} SET note = '[đã xoá]'`)).toThrow(`${table} is append-only`);
      expect(row(db, table, 1)).toMatchObject({ note: expect.stringMatching(/.+/) });
    },
  );

  it.each([
    ['stall_status_history', "UPDATE stall_status_history SET note = '', to_status = 'closed', reason = NULL"],
    ['visits', "UPDATE visits SET note = '', action = 'follow_up', sticker_displayed = 'yes'"],
  ] as const)(
    'when the note of %s is blanked together with another column, then the database refuses',
    (table, statement) => {
      const { db } = registryWithNotes();
      recordRedaction(db, table, 1);
      const before = row(db, table, 1);
      expect(() => db.exec(statement)).toThrow(`${table} is append-only: only a redaction may change a row`);
      expect(row(db, table, 1)).toEqual(before);
    },
  );

  it.each(['stall_status_history', 'visits'] as const)(
    'when a redactions row is written first, then the note of %s may be blanked, once, and never filled again',
    (table) => {
      const { db } = registryWithNotes();
      const before = row(db, table, 1) as Record<string, unknown>;
      recordRedaction(db, table, 1);
      db.exec(`UPDATE ${table} SET note = ''`);
      expect(row(db, table, 1)).toEqual({ ...before, note: '' });
      expect(() => db.exec(`UPDATE ${table} SET note = 'viết lại'`)).toThrow(`${table} is append-only`);
      expect(() => recordRedaction(db, table, 1)).toThrow();
    },
  );

  it('when a redactions row names a row that does not exist or has no text, then the database refuses it', () => {
    const { db } = registryWithNotes();
    db.exec(`INSERT INTO visits (id, stall_id, user_id, visited_at, action)
               VALUES (2, 1, 1, '2026-11-21T02:00:00.000Z', 'onboarded')`);
    expect(() => recordRedaction(db, 'visits', 2)).toThrow(/holds no text/);
    expect(() => recordRedaction(db, 'stall_status_history', 99)).toThrow(/does not exist/);
    expect(db.prepare('SELECT count(*) AS n FROM redactions').get()).toEqual({ n: 0 });
  });

  it('when new rows are appended, then the guards let them in as before', () => {
    const { db } = registryWithNotes();
    db.exec(`INSERT INTO stall_status_history (stall_id, from_status, to_status, changed_at, changed_by, reason, note)
               VALUES (1, 'refused', 'surveyed', '2026-11-21T02:00:00.000Z', 1, NULL, 'đổi ý');
             INSERT INTO visits (stall_id, user_id, visited_at, action, sticker_displayed, transfer_share, note)
               VALUES (1, 1, '2026-11-21T02:00:00.000Z', 'follow_up', 'yes', 30, '');`);
    const count = (table: string) => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get();
    expect([count('stall_status_history'), count('visits')]).toEqual([2, 2]);
  });
});
