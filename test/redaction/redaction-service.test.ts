import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../src/actor.js';
import type { AdoptionService } from '../../src/adoption/adoption-service.js';
import { adoptionOn } from '../adoption/adoption-on.js';
import { vietnamDate } from '../../src/calendar/calendar.js';
import { fixedClock } from '../../src/clock.js';
import { sqliteDataAccess } from '../../src/db/data-access.js';
import { openDatabase, type SqliteConnection } from '../../src/db/database.js';
import { seedDemo } from '../../src/demo/demo-seed.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../src/http/errors.js';
import { createRedactionRepo } from '../../src/redaction/redaction-repo.js';
import { createAuditRepo } from '../../src/audit/audit-repo.js';
import { createAuditService } from '../../src/audit/audit-service.js';
import { createRedactionService } from '../../src/redaction/redaction-service.js';
import type { Role } from '../../src/vocabulary/roles.js';
import { CHEAP_DEMO_HASHES, createTestDb } from '../helpers/db.js';
import { WHOLE_COUNTRY } from '../../src/vocabulary/reach.js';

const NOW = '2026-11-22T03:00:00.000Z';
const AT = '2026-11-20T02:00:00.000Z';
const ADMIN: Actor = { id: 1, role: 'admin', reach: WHOLE_COUNTRY };
const REASON = 'Yêu cầu xoá dữ liệu cá nhân số 12/2026';

const template = (() => {
  const db = createTestDb();
  const bytes = db.serialize();
  db.close();
  return bytes;
})();

/**
 * Two stalls: stall 1 with two noted history rows, one without a note, two noted visits and one without;
 * stall 2 with a noted history row and visit, which a redaction of stall 1 must leave alone.
 */
function twoStalls(): SqliteConnection {
  const db = openDatabase(template);
  db.exec(`
    INSERT INTO users (id, username, display_name, role, password_hash, created_at)
      VALUES (1, 'admin', 'Quản trị', 'admin', 'x', '${AT}'), (2, 'tnv', 'Tình nguyện viên', 'volunteer', 'x', '${AT}');
    INSERT INTO sites (id, kind, name, name_folded, commune_code, created_at, updated_at)
      VALUES (1, 'market', 'Chợ Hoa Lư', 'cho hoa lu', '23575', '${AT}', '${AT}');
    INSERT INTO stalls (id, site_id, label, goods_category, status, refusal_reason, search_folded,
                        created_at, updated_at)
      VALUES (1, 1, 'Sạp 1', 'rau_cu', 'refused', 'other', 'sap 1', '${AT}', '${AT}'),
             (2, 1, 'Sạp 2', 'thit', 'surveyed', NULL, 'sap 2', '${AT}', '${AT}');
    INSERT INTO stall_status_history (stall_id, from_status, to_status, changed_at, changed_by, reason, note) VALUES
      (1, NULL, 'surveyed', '2026-11-01T02:00:00.000Z', 2, NULL, ''),
      (1, 'surveyed', 'refused', '2026-11-10T02:00:00.000Z', 2, 'other', 'Chồng chị Lan không đồng ý'),
      (1, 'refused', 'refused', '2026-11-12T02:00:00.000Z', 2, 'other', 'Số nhà 12 Lê Lợi'),
      (2, NULL, 'surveyed', '2026-11-01T02:00:00.000Z', 2, NULL, 'Anh Tư bán thịt');
    INSERT INTO visits (stall_id, user_id, visited_at, action, sticker_displayed, transfer_share, note) VALUES
      (1, 2, '2026-11-01T02:00:00.000Z', 'onboarded', NULL, NULL, ''),
      (1, 2, '2026-11-10T02:00:00.000Z', 'refused', NULL, NULL, 'Chồng chị Lan không đồng ý'),
      (1, 2, '2026-11-15T02:00:00.000Z', 'follow_up', 'no', 10, 'Gọi 0905123456'),
      (2, 2, '2026-11-01T02:00:00.000Z', 'onboarded', NULL, NULL, 'Anh Tư');
  `);
  return db;
}

function serviceOn(db: SqliteConnection) {
  const data = sqliteDataAccess(db);
  const clock = fixedClock(NOW);
  const audit = createAuditService({ audit: createAuditRepo(data), clock, inTransaction: data.inTransaction });
  return createRedactionService({ redactions: createRedactionRepo(data), audit, transaction: data.transaction, clock });
}

/** Every history and visit row but its note, to show a redaction changes nothing else. */
function rowsWithoutNotes(db: SqliteConnection) {
  return {
    history: db
      .prepare('SELECT id, stall_id, from_status, to_status, changed_at, changed_by, reason FROM stall_status_history')
      .all(),
    visits: db
      .prepare(
        'SELECT id, stall_id, user_id, visited_at, action, sticker_displayed, transfer_share, account_id FROM visits',
      )
      .all(),
  };
}

const notes = (db: SqliteConnection, table: 'stall_status_history' | 'visits') =>
  db.prepare(`SELECT stall_id, note FROM ${table} ORDER BY id`).raw().all();

describe('redactStallFreeText', () => {
  it('when an admin redacts a stall, then its notes are blanked, each recorded, and nothing else changes', async () => {
    const db = twoStalls();
    const before = rowsWithoutNotes(db);

    const counts = await serviceOn(db).redactStallFreeText(ADMIN, { stallId: 1, reason: `  ${REASON} ` });

    expect(counts).toEqual({ historyNotes: 2, visitNotes: 2 });
    expect(notes(db, 'stall_status_history')).toEqual([
      [1, ''],
      [1, ''],
      [1, ''],
      [2, 'Anh Tư bán thịt'],
    ]);
    expect(notes(db, 'visits')).toEqual([
      [1, ''],
      [1, ''],
      [1, ''],
      [2, 'Anh Tư'],
    ]);
    expect(rowsWithoutNotes(db)).toEqual(before);
    const recorded = db.prepare(
      'SELECT table_name, row_id, field, reason, redacted_at, redacted_by FROM redactions ORDER BY id',
    );
    const audit = { field: 'note', reason: REASON, redacted_at: NOW, redacted_by: 1 };
    expect(recorded.all()).toEqual([
      { table_name: 'stall_status_history', row_id: 2, ...audit },
      { table_name: 'stall_status_history', row_id: 3, ...audit },
      { table_name: 'visits', row_id: 2, ...audit },
      { table_name: 'visits', row_id: 3, ...audit },
    ]);
  });

  it('when a stall is redacted twice, then the second time finds nothing left and records nothing', async () => {
    const db = twoStalls();
    const service = serviceOn(db);
    await service.redactStallFreeText(ADMIN, { stallId: 1, reason: REASON });
    const again = await service.redactStallFreeText(ADMIN, { stallId: 1, reason: REASON });
    expect(again).toEqual({ historyNotes: 0, visitNotes: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM redactions').get()).toEqual({ n: 4 });
  });

  it('when a step fails half-way, then nothing of the redaction is kept: notes and audit roll back', async () => {
    const db = twoStalls();
    // A real failure of the last step (the visits' notes), after the history's notes were already blanked.
    db.exec(`CREATE TEMP TRIGGER fail_visit_update BEFORE UPDATE ON main.visits
             BEGIN SELECT RAISE(ABORT, 'disk I/O error (simulated)'); END`);
    const history = notes(db, 'stall_status_history');
    const visits = notes(db, 'visits');

    await expect(serviceOn(db).redactStallFreeText(ADMIN, { stallId: 1, reason: REASON })).rejects.toThrow('simulated');

    expect(notes(db, 'stall_status_history')).toEqual(history);
    expect(notes(db, 'visits')).toEqual(visits);
    expect(db.prepare('SELECT count(*) AS n FROM redactions').get()).toEqual({ n: 0 });
  });

  it('when a team lead redacts a stall of their reach, then it is done; outside it, it is not found', async () => {
    const db = twoStalls();
    const service = serviceOn(db);
    const lead = (code: string): Actor => ({
      id: 2,
      role: 'team_lead',
      reach: { wholeCountry: false, provinces: [], communes: [code], sites: [] },
    });
    await expect(service.redactStallFreeText(lead('23887'), { stallId: 1, reason: REASON })).rejects.toThrow(
      NotFoundError,
    );
    expect(db.prepare('SELECT count(*) AS n FROM redactions').get()).toEqual({ n: 0 });
    const counts = await service.redactStallFreeText(lead('23575'), { stallId: 1, reason: REASON });
    expect(counts).toEqual({ historyNotes: 2, visitNotes: 2 });
    expect(db.prepare('SELECT DISTINCT redacted_by FROM redactions').pluck().all()).toEqual([2]);
  });

  it.each(['leader', 'volunteer', 'viewer'] satisfies Role[])(
    'when a %s asks for a redaction, then it is forbidden and nothing changes',
    async (role) => {
      const db = twoStalls();
      const history = notes(db, 'stall_status_history');
      await expect(
        serviceOn(db).redactStallFreeText({ id: 2, role, reach: WHOLE_COUNTRY }, { stallId: 1, reason: REASON }),
      ).rejects.toThrow(ForbiddenError);
      expect(notes(db, 'stall_status_history')).toEqual(history);
      expect(db.prepare('SELECT count(*) AS n FROM redactions').get()).toEqual({ n: 0 });
    },
  );

  it('when the reason is empty or the stall unknown, then it is refused and nothing changes', async () => {
    const db = twoStalls();
    const service = serviceOn(db);
    await expect(service.redactStallFreeText(ADMIN, { stallId: 1, reason: '   ' })).rejects.toThrow(ValidationError);
    const tooLong = 'x'.repeat(501);
    await expect(service.redactStallFreeText(ADMIN, { stallId: 1, reason: tooLong })).rejects.toThrow(ValidationError);
    await expect(service.redactStallFreeText(ADMIN, { stallId: 99, reason: REASON })).rejects.toThrow(NotFoundError);
    expect(db.prepare('SELECT count(*) AS n FROM redactions').get()).toEqual({ n: 0 });
  });
});

describe('redaction and the adoption figures', () => {
  let db: SqliteConnection;
  let noted: number[];
  beforeAll(async () => {
    db = createTestDb();
    await seedDemo(sqliteDataAccess(db), fixedClock(NOW), CHEAP_DEMO_HASHES);
    db.prepare(
      `INSERT INTO users (username, display_name, role, password_hash, created_at)
       VALUES ('admin', 'Quản trị', 'admin', 'x', ?)`,
    ).run(NOW);
    noted = db
      .prepare(
        `SELECT stall_id FROM stall_status_history WHERE note <> '' UNION SELECT stall_id FROM visits WHERE note <> ''`,
      )
      .pluck()
      .all() as number[];
  }, 60_000);

  it('when every noted stall of the demo is redacted, then every figure, trend and activity is unchanged', async () => {
    const today = vietnamDate(new Date(NOW));
    const province = { kind: 'province', code: '52' } as const;
    const answers = async (service: AdoptionService) => ({
      dashboard: await service.dashboard(WHOLE_COUNTRY, province, today),
      lastMonth: await service.figures(WHOLE_COUNTRY, province, '2026-10-22'),
      activity: await service.volunteerActivity(WHOLE_COUNTRY, province, today, 12),
      quality: await service.dataQuality(WHOLE_COUNTRY, province, today),
    });
    // The same engine before and after (its snapshot follows the redaction), and a fresh one after.
    const engine = adoptionOn(db);
    const before = await answers(engine);
    const admin = db.prepare("SELECT id FROM users WHERE username = 'admin'").pluck().get() as number;
    const service = serviceOn(db);
    expect(noted.length).toBeGreaterThan(0);
    for (const stallId of noted) {
      await service.redactStallFreeText(
        { id: admin, role: 'admin', reach: WHOLE_COUNTRY },
        { stallId, reason: REASON },
      );
    }

    expect(db.prepare("SELECT count(*) AS n FROM stall_status_history WHERE note <> ''").get()).toEqual({ n: 0 });
    expect(db.prepare("SELECT count(*) AS n FROM visits WHERE note <> ''").get()).toEqual({ n: 0 });
    expect(await answers(engine)).toEqual(before);
    expect(await answers(adoptionOn(db))).toEqual(before);
  });
});
