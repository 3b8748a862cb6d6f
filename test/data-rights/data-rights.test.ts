import { describe, expect, it } from 'vitest';
import { formatDateTime } from '../../src/http/format.js';
import { WHOLE_COUNTRY } from '../../src/vocabulary/reach.js';
import type { Role } from '../../src/vocabulary/roles.js';
import { createDemoTestContext, TEST_NOW } from '../helpers/app.js';

const HOA_LU = [{ kind: 'commune', code: '23575' }] as const;
const CHU_PRONG = [{ kind: 'commune', code: '23887' }] as const;
const NOTE = 'Chị Hạnh dặn gọi 0912 000 111 trước khi đến';
const FOLLOW_UP_NOTE = 'Nhà chị Hạnh ở số 7 hẻm chợ';

/**
 * A demo stall of Chợ Hoa Lư with consent, an owner name, a phone, a verified primary account whose sticker a
 * volunteer has just printed, a refusal-free status history, and two notes of our own (a status change and a
 * follow-up visit), so every kind of personal value is present.
 */
async function tradersStall() {
  const context = await createDemoTestContext();
  const { db } = context;
  const row = db
    .prepare(
      `SELECT st.id AS stall_id, a.id AS account_id
         FROM stalls st JOIN sites si ON si.id = st.site_id
         JOIN stall_accounts a ON a.stall_id = st.id AND a.is_primary = 1 AND a.verified_at IS NOT NULL
        WHERE si.name = 'Chợ Hoa Lư' AND st.consent_at IS NOT NULL AND st.phone IS NOT NULL AND st.owner_name <> ''
          AND st.status = 'qr_verified'
        ORDER BY st.id LIMIT 1`,
    )
    .get() as { stall_id: number; account_id: number };
  const volunteer = await context.loginAs('volunteer', 'tnv.quyen', [...HOA_LU]);
  const stallUrl = `/stalls/${row.stall_id}`;
  await volunteer.agent
    .post(`${stallUrl}/sticker`)
    .type('form')
    .send({ _csrf: volunteer.csrf, format: 'a6' })
    .expect(200);
  await context.services.stickers.settled();
  await volunteer.agent.post(`${stallUrl}/installed`).type('form').send({ _csrf: volunteer.csrf }).expect(303);
  await volunteer.agent
    .post(`${stallUrl}/follow-up`)
    .type('form')
    .send({ _csrf: volunteer.csrf, sticker_displayed: 'yes', transfer_share: '30', note: FOLLOW_UP_NOTE })
    .expect(303);
  await volunteer.agent
    .post(`${stallUrl}/status`)
    .type('form')
    .send({ _csrf: volunteer.csrf, status: 'refused', refusal_reason: 'other', note: NOTE })
    .expect(303);
  await volunteer.agent
    .post(`${stallUrl}/status`)
    .type('form')
    .send({ _csrf: volunteer.csrf, status: 'installed' })
    .expect(303);
  const stall = db.prepare('SELECT * FROM stalls WHERE id = ?').get(row.stall_id) as Record<string, unknown>;
  const accounts = db.prepare('SELECT * FROM stall_accounts WHERE stall_id = ?').all(row.stall_id) as Record<
    string,
    unknown
  >[];
  const sticker = db.prepare("SELECT * FROM stickers WHERE stall_id = ? AND status = 'valid'").get(row.stall_id) as {
    id: number;
    verification_code: string;
  };
  // Every personal value the stall holds, to look for in every table afterwards.
  const personal = [
    stall.owner_name as string,
    stall.phone as string,
    ...accounts.flatMap((a) => [a.holder_name as string, a.account_number as string]),
    ...accounts.map((a) => a.verified_name_seen as string | null).filter((v): v is string => Boolean(v)),
    NOTE,
    FOLLOW_UP_NOTE,
  ];
  const teamLead = await context.loginAs('team_lead', 'totruong.quyen', [...HOA_LU]);
  return { ...context, ...row, stallUrl, stall, accounts, sticker, personal, volunteer, teamLead };
}

type Db = Awaited<ReturnType<typeof tradersStall>>['db'];

/** Every text cell of every table, as `table.column: value`, found by reading the schema itself. */
function everyTextCell(db: Db): string[] {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    .pluck()
    .all() as string[];
  const cells: string[] = [];
  for (const table of tables) {
    const columns = db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(table) as string[];
    for (const column of columns) {
      const values = db
        .prepare(`SELECT "${column}" FROM "${table}" WHERE typeof("${column}") = 'text'`)
        .pluck()
        .all() as string[];
      for (const value of values) cells.push(`${table}.${column}: ${value}`);
    }
  }
  return cells;
}

function cellsHolding(db: Db, values: readonly string[]): string[] {
  return everyTextCell(db).filter((cell) => values.some((value) => cell.includes(value)));
}

const count = (db: Db, sql: string, ...params: unknown[]) =>
  db
    .prepare(sql)
    .pluck()
    .get(...params) as number;

describe('Rút lại đồng ý', () => {
  it('when no reason or no confirmation is given, then it is a 400 next to the fields; nothing changes', async () => {
    const { db, teamLead, stallUrl, stall_id } = await tradersStall();
    const before = db.prepare('SELECT * FROM stalls WHERE id = ?').get(stall_id);
    const audits = count(db, 'SELECT count(*) FROM audit_log');
    const noReason = await teamLead.agent
      .post(`${stallUrl}/consent/withdraw`)
      .type('form')
      .send({ _csrf: teamLead.csrf, confirm: 'yes' })
      .expect(400);
    expect(noReason.text).toContain('Chọn lý do từ danh sách.');
    expect(noReason.text).toMatch(/<summary>Rút lại đồng ý<\/summary>/);
    const unconfirmed = await teamLead.agent
      .post(`${stallUrl}/consent/withdraw`)
      .type('form')
      .send({ _csrf: teamLead.csrf, rights_reason: 'trader_request' })
      .expect(400);
    expect(unconfirmed.text).toContain('Đánh dấu ô xác nhận: rút lại đồng ý');
    expect(unconfirmed.text).toContain('<option value="trader_request" selected>');
    expect(db.prepare('SELECT * FROM stalls WHERE id = ?').get(stall_id)).toEqual(before);
    // The 400 page is a stall page: its view is recorded, nothing else.
    const written = db.prepare('SELECT action FROM audit_log WHERE id > ?').pluck().all(audits);
    expect(written.every((action) => action === 'stall.view_personal')).toBe(true);
  });

  it('when a team lead withdraws it, then label, goods, status stay; stickers revoked, accounts retired', async () => {
    const { db, app, teamLead, volunteer, stallUrl, stall_id, stall, sticker, accounts } = await tradersStall();
    const historyRows = count(db, 'SELECT count(*) FROM stall_status_history WHERE stall_id = ?', stall_id);
    await teamLead.agent
      .post(`${stallUrl}/consent/withdraw`)
      .type('form')
      .send({ _csrf: teamLead.csrf, rights_reason: 'no_longer_wants_qr', confirm: 'yes' })
      .expect(303)
      .expect('location', `${stallUrl}?withdrawn=1`);

    const after = db.prepare('SELECT * FROM stalls WHERE id = ?').get(stall_id) as Record<string, unknown>;
    expect(after).toMatchObject({
      label: stall.label,
      goods_category: stall.goods_category,
      owner_name: '',
      phone: null,
      business_name: '',
      consent_at: null,
      consent_by: null,
      erased_at: null,
      // Installed on the sticker of an account now retired: back to surveyed, as a direct retire does.
      status: 'surveyed',
    });
    expect(after.search_folded).not.toContain((stall.owner_name as string).split(' ').at(-1)!.toLowerCase());
    expect(db.prepare('SELECT status, status_reason FROM stickers WHERE id = ?').get(sticker.id)).toEqual({
      status: 'revoked',
      status_reason: 'Tiểu thương đã rút lại đồng ý lưu thông tin',
    });
    const retired = db.prepare('SELECT retired_at, retired_reason, is_primary FROM stall_accounts WHERE stall_id = ?');
    for (const account of retired.all(stall_id)) {
      expect(account).toMatchObject({ retired_reason: expect.any(String), is_primary: 0 });
    }
    expect(count(db, 'SELECT count(*) FROM stall_accounts WHERE stall_id = ? AND retired_at IS NULL', stall_id)).toBe(
      0,
    );
    expect(count(db, 'SELECT count(*) FROM stall_status_history WHERE stall_id = ?', stall_id)).toBe(historyRows + 1);
    const consent = db.prepare('SELECT * FROM stall_consents WHERE stall_id = ?').all(stall_id);
    expect(consent).toEqual([
      expect.objectContaining({ version: 1, withdrawn_at: TEST_NOW, withdrawn_reason: 'no_longer_wants_qr' }),
    ]);
    const withdrawal = db
      .prepare("SELECT user_id, entity, entity_id, changes FROM audit_log WHERE action = 'consent.withdraw'")
      .get() as { user_id: number; entity: string; entity_id: number; changes: string };
    expect(withdrawal).toMatchObject({ user_id: teamLead.userId, entity: 'stall', entity_id: stall_id });
    expect(JSON.parse(withdrawal.changes)).toEqual({
      owner_name: { changed: true },
      phone: { changed: true },
      business_name: { changed: true },
      consent: { before: true, after: false },
      rights_reason: { before: null, after: 'no_longer_wants_qr' },
      accounts: { before: null, after: accounts.map((a) => a.id).join(',') },
    });

    // The public check says revoked.
    const request = (await import('supertest')).default;
    const page = await request(app).get(`/v/${sticker.verification_code}`).expect(200);
    expect(page.text).toContain('Mã đã thu hồi');
    // ... without naming the trader who withdrew.
    for (const account of accounts) expect(page.text).not.toContain(account.holder_name as string);

    // No personal data without a new consent; with one, a new consent row with the text in force.
    const noConsent = await volunteer.agent
      .post(stallUrl)
      .type('form')
      .send({ _csrf: volunteer.csrf, label: stall.label, goods_category: stall.goods_category, phone: '0905 111 999' })
      .expect(400);
    expect(noConsent.text).toContain('Chưa có đồng ý của tiểu thương');
    await volunteer.agent
      .post(stallUrl)
      .type('form')
      .send({
        _csrf: volunteer.csrf,
        label: stall.label,
        goods_category: stall.goods_category,
        phone: '0905 111 999',
        consent: 'yes',
      })
      .expect(303);
    expect(
      db
        .prepare('SELECT version, given_by, withdrawn_at FROM stall_consents WHERE stall_id = ? ORDER BY id')
        .all(stall_id),
    ).toEqual([
      expect.objectContaining({ version: 1, withdrawn_at: TEST_NOW }),
      { version: 1, given_by: volunteer.userId, withdrawn_at: null },
    ]);
  });

  it('when no consent is in force, then there is nothing to withdraw: a 400 and nothing changes', async () => {
    const { db, teamLead, stallUrl, stall_id } = await tradersStall();
    const send = () =>
      teamLead.agent
        .post(`${stallUrl}/consent/withdraw`)
        .type('form')
        .send({ _csrf: teamLead.csrf, rights_reason: 'trader_request', confirm: 'yes' });
    await send().expect(303);
    const after = db.prepare('SELECT * FROM stalls WHERE id = ?').get(stall_id);
    const response = await send().expect(400);
    expect(response.text).toContain('Chưa thực hiện: sạp không có đồng ý nào đang có hiệu lực.');
    expect(db.prepare('SELECT * FROM stalls WHERE id = ?').get(stall_id)).toEqual(after);
    expect(count(db, "SELECT count(*) FROM audit_log WHERE action = 'consent.withdraw'")).toBe(1);
  });
});

describe('Xóa dữ liệu cá nhân', () => {
  it('when a team lead erases a stall, then no owner, phone, holder, number or note is left anywhere', async () => {
    const { db, app, teamLead, stallUrl, stall_id, stall, sticker, personal } = await tradersStall();
    expect(cellsHolding(db, personal).length).toBeGreaterThan(0);
    const historyBefore = db
      .prepare(
        `SELECT id, from_status, to_status, changed_at, changed_by, reason
           FROM stall_status_history WHERE stall_id = ?`,
      )
      .all(stall_id);

    await teamLead.agent
      .post(`${stallUrl}/erase`)
      .type('form')
      .send({ _csrf: teamLead.csrf, rights_reason: 'trader_request', confirm: 'yes' })
      .expect(303)
      .expect('location', `${stallUrl}?erased=1`);

    expect(cellsHolding(db, personal)).toEqual([]);
    // An anonymous stall, still in the census, with its whole status history (a new row: installed → surveyed).
    expect(
      db
        .prepare('SELECT label, goods_category, site_id, erased_at, erased_by, erased_reason FROM stalls WHERE id = ?')
        .get(stall_id),
    ).toEqual({
      label: stall.label,
      goods_category: stall.goods_category,
      site_id: stall.site_id,
      erased_at: TEST_NOW,
      erased_by: teamLead.userId,
      erased_reason: 'trader_request',
    });
    const historyAfter = db
      .prepare(
        `SELECT id, from_status, to_status, changed_at, changed_by, reason
           FROM stall_status_history WHERE stall_id = ?`,
      )
      .all(stall_id);
    expect(historyAfter.slice(0, historyBefore.length)).toEqual(historyBefore);
    expect(historyAfter.at(-1)).toMatchObject({ from_status: 'installed', to_status: 'surveyed' });
    expect(
      db.prepare('SELECT holder_name, account_number, erased_at FROM stall_accounts WHERE stall_id = ?').all(stall_id),
    ).toEqual(
      (db.prepare('SELECT id FROM stall_accounts WHERE stall_id = ?').pluck().all(stall_id) as number[]).map((id) => ({
        holder_name: 'ĐÃ XÓA',
        account_number: `xoa:${id}`,
        erased_at: TEST_NOW,
      })),
    );
    expect(db.prepare('SELECT status, payload FROM stickers WHERE id = ?').get(sticker.id)).toEqual({
      status: 'revoked',
      payload: '',
    });
    // Notes blanked through the one redaction path: each recorded, with our words as its reason.
    const redactions = db.prepare('SELECT DISTINCT reason, redacted_by FROM redactions').all();
    expect(redactions).toEqual([
      { reason: 'Xóa dữ liệu cá nhân của sạp: tiểu thương yêu cầu', redacted_by: teamLead.userId },
    ]);
    // The erasure is on the record, without a value.
    const erasure = JSON.parse(
      db
        .prepare("SELECT changes FROM audit_log WHERE action = 'stall.erase' AND entity_id = ?")
        .pluck()
        .get(stall_id) as string,
    );
    expect(erasure).toMatchObject({
      owner_name: { changed: true },
      phone: { changed: true },
      holder_name: { changed: true },
      account_number: { changed: true },
      erased: { before: false, after: true },
      rights_reason: { after: 'trader_request' },
    });
    expect(
      count(db, "SELECT count(*) FROM audit_log WHERE action = 'redaction.apply' AND entity_id = ?", stall_id),
    ).toBe(1);

    // The sticker's public page: revoked, and no erased name on it.
    const request = (await import('supertest')).default;
    const page = await request(app).get(`/v/${sticker.verification_code}`).expect(200);
    expect(page.text).toContain('Mã đã thu hồi');
    for (const value of personal) expect(page.text).not.toContain(value);
    // The stall page and the data page still open, without the values.
    const stallPage = await teamLead.agent.get(stallUrl).expect(200);
    const dataPage = await teamLead.agent.get(`${stallUrl}/data`).expect(200);
    for (const value of personal) {
      expect(stallPage.text).not.toContain(value);
      expect(dataPage.text).not.toContain(value);
    }
    expect(dataPage.text).toContain('Dữ liệu cá nhân của sạp đã được xóa lúc');
    expect(dataPage.text).toContain('(số tài khoản đã xóa)');
    expect(dataPage.text).not.toContain('xoa:');
  });

  it('when a stall has a pending payee change and a report, then erasure withdraws and blanks them', async () => {
    const { db, services, teamLead, volunteer, stallUrl, stall_id, account_id, sticker } = await tradersStall();
    const volunteerActor = {
      id: volunteer.userId,
      role: 'volunteer' as const,
      reach: { wholeCountry: false, provinces: [], communes: ['23575'], sites: [] },
    };
    const changeReason = 'Chị Hạnh nói tài khoản này đã đóng';
    const reportDetail = 'Quét ra tên chị Hạnh nhưng số khác';
    const outcome = await services.accounts.retireAccount(volunteerActor, stall_id, account_id, {
      reason: 'account_closed',
      confirm: 'yes',
      change_reason: changeReason,
    });
    expect(outcome).toBe('requested');
    await services.stickerReports.submit(sticker.verification_code, {
      ...services.stickerReports.parseReportForm({ problem: 'name_differs', detail: reportDetail }),
    });

    await teamLead.agent
      .post(`${stallUrl}/erase`)
      .type('form')
      .send({ _csrf: teamLead.csrf, rights_reason: 'trader_request', confirm: 'yes' })
      .expect(303);

    expect(
      db
        .prepare('SELECT status, decided_by, reason, decision_note FROM payee_changes WHERE stall_id = ?')
        .all(stall_id),
    ).toEqual([{ status: 'cancelled', decided_by: teamLead.userId, reason: '', decision_note: '' }]);
    expect(db.prepare('SELECT detail, status FROM sticker_reports').all()).toEqual([{ detail: null, status: 'open' }]);
    expect(cellsHolding(db, [changeReason, reportDetail])).toEqual([]);
    const cancelled = count(db, "SELECT count(*) FROM audit_log WHERE action = 'payee_change.cancel'");
    expect(cancelled).toBe(1);
  });

  it('when an erased stall is erased again, then nothing more is written', async () => {
    const { db, teamLead, stallUrl } = await tradersStall();
    const erase = () =>
      teamLead.agent
        .post(`${stallUrl}/erase`)
        .type('form')
        .send({ _csrf: teamLead.csrf, rights_reason: 'other', confirm: 'yes' });
    await erase().expect(303);
    const audits = count(db, 'SELECT max(id) FROM audit_log');
    const redactions = count(db, 'SELECT count(*) FROM redactions');
    await erase().expect(303);
    expect(count(db, 'SELECT max(id) FROM audit_log')).toBe(audits);
    expect(count(db, 'SELECT count(*) FROM redactions')).toBe(redactions);
  });

  it('when the trader agrees again after an erasure, then new data may be stored and erased in turn', async () => {
    const { db, clock, teamLead, volunteer, stallUrl, stall_id, stall } = await tradersStall();
    const erase = () =>
      teamLead.agent
        .post(`${stallUrl}/erase`)
        .type('form')
        .send({ _csrf: teamLead.csrf, rights_reason: 'trader_request', confirm: 'yes' })
        .expect(303);
    await erase();
    expect((await teamLead.agent.get(stallUrl)).text).not.toContain(`action="${stallUrl}/erase"`);
    clock.advance(60_000);
    await volunteer.agent
      .post(stallUrl)
      .type('form')
      .send({
        _csrf: volunteer.csrf,
        label: stall.label,
        goods_category: stall.goods_category,
        owner_name: 'Lại Thị Quay Về',
        consent: 'yes',
      })
      .expect(303);
    const again = await teamLead.agent.get(`${stallUrl}/data`).expect(200);
    expect(again.text).toContain('Lại Thị Quay Về');
    expect(again.text).toContain('Sau đó tiểu thương đã đồng ý lại lúc');
    expect((await teamLead.agent.get(stallUrl)).text).toContain(`action="${stallUrl}/erase"`);
    await erase();
    expect(db.prepare('SELECT owner_name FROM stalls WHERE id = ?').pluck().get(stall_id)).toBe('');
    expect(count(db, "SELECT count(*) FROM audit_log WHERE action = 'stall.erase' AND entity_id = ?", stall_id)).toBe(
      2,
    );
  });

  it('when two erasures or withdrawals are submitted at once, then each is done and recorded once', async () => {
    const { db, services, teamLead, stall_id } = await tradersStall();
    const actor = {
      id: teamLead.userId,
      role: 'team_lead' as const,
      reach: { wholeCountry: false, provinces: [], communes: ['23575'], sites: [] },
    };
    const request = { rights_reason: 'trader_request', confirm: 'yes' };
    const withdrawals = await Promise.allSettled([
      services.dataRights.withdrawConsent(actor, stall_id, request),
      services.dataRights.withdrawConsent(actor, stall_id, request),
    ]);
    expect(withdrawals.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    await Promise.all([
      services.dataRights.erase(actor, stall_id, request),
      services.dataRights.erase(actor, stall_id, request),
    ]);
    const actions = db
      .prepare("SELECT action FROM audit_log WHERE entity = 'stall' AND entity_id = ? AND action IN (?, ?)")
      .pluck()
      .all(stall_id, 'consent.withdraw', 'stall.erase');
    expect(actions).toEqual(['consent.withdraw', 'stall.erase']);
  });

  it('when a step of the erasure fails, then nothing of it is kept: values, stickers, notes, audit', async () => {
    const { db, teamLead, stallUrl, personal, errors } = await tradersStall();
    const cells = cellsHolding(db, personal);
    const audits = count(db, 'SELECT max(id) FROM audit_log');
    const tables = [
      'stalls',
      'stall_accounts',
      'stickers',
      'stall_consents',
      'redactions',
      'stall_status_history',
      'visits',
    ];
    const snapshot = () => tables.map((table) => db.prepare(`SELECT * FROM ${table}`).all());
    const before = snapshot();
    // A real failure of the last step (marking the stall erased), after every other write was done.
    db.exec(`CREATE TEMP TRIGGER fail_erasure BEFORE UPDATE OF erased_at ON main.stalls
             BEGIN SELECT RAISE(ABORT, 'disk I/O error (simulated)'); END`);
    await teamLead.agent
      .post(`${stallUrl}/erase`)
      .type('form')
      .send({ _csrf: teamLead.csrf, rights_reason: 'trader_request', confirm: 'yes' })
      .expect(500);
    db.exec('DROP TRIGGER temp.fail_erasure');
    expect(String(errors.at(-1))).toContain('simulated');
    expect(snapshot()).toEqual(before);
    expect(cellsHolding(db, personal)).toEqual(cells);
    expect(count(db, 'SELECT max(id) FROM audit_log')).toBe(audits);
  });

  it('when a stall is erased, then past figures are unchanged, and today it counts as surveyed', async () => {
    const { services, teamLead, stallUrl, stall_id, db } = await tradersStall();
    const province = { kind: 'province', code: '52' } as const;
    const site = {
      kind: 'site',
      id: db.prepare('SELECT site_id FROM stalls WHERE id = ?').pluck().get(stall_id) as number,
    } as const;
    const past = async () => ({
      lastMonth: await services.adoption.figures(WHOLE_COUNTRY, province, '2026-10-22'),
      yesterday: await services.adoption.figures(WHOLE_COUNTRY, site, '2026-11-21'),
      trend: await services.adoption.dashboard(WHOLE_COUNTRY, province, '2026-11-21'),
    });
    const before = await past();
    const today = await services.adoption.figures(WHOLE_COUNTRY, site, '2026-11-22');

    await teamLead.agent
      .post(`${stallUrl}/erase`)
      .type('form')
      .send({ _csrf: teamLead.csrf, rights_reason: 'stopped_trading', confirm: 'yes' })
      .expect(303);

    expect(await past()).toEqual(before);
    const after = await services.adoption.figures(WHOLE_COUNTRY, site, '2026-11-22');
    // The same stalls in the census; one fewer installed (its sticker revoked), from today on.
    const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
    expect(total(after.counts)).toBe(total(today.counts));
    expect(after.counts.installed).toBe(today.counts.installed - 1);
    expect(after.counts.surveyed).toBe(today.counts.surveyed + 1);
  });
});

describe('erasure and the duplicate-account check', () => {
  it('when an account shared with another stall is erased, then the check no longer pairs them', async () => {
    const { db, services, teamLead, stallUrl, stall_id, account_id } = await tradersStall();
    const other = db
      .prepare('SELECT id FROM stalls WHERE site_id = (SELECT site_id FROM stalls WHERE id = ?) AND id <> ? LIMIT 1')
      .pluck()
      .get(stall_id, stall_id) as number;
    db.prepare(
      `INSERT INTO stall_accounts (stall_id, bin, account_number, service, holder_name, source, created_at)
       SELECT ?, bin, account_number, service, holder_name, source, '2026-11-01T02:00:00.000Z'
         FROM stall_accounts WHERE id = ?`,
    ).run(other, account_id);
    const site = db.prepare('SELECT site_id FROM stalls WHERE id = ?').pluck().get(stall_id) as number;
    const pairedWith = async () =>
      (
        await services.adoption.dataQuality(WHOLE_COUNTRY, { kind: 'site', id: site }, '2026-11-22')
      ).duplicateAccounts.groups
        .filter((group) => group.stalls.some((stall) => stall.stallId === other))
        .flatMap((group) => group.stalls.map((stall) => stall.stallId));
    expect(await pairedWith()).toContain(stall_id);

    await teamLead.agent
      .post(`${stallUrl}/erase`)
      .type('form')
      .send({ _csrf: teamLead.csrf, rights_reason: 'trader_request', confirm: 'yes' })
      .expect(303);

    // The erased account holds a number of its own now: the other stall shares it with nobody.
    expect(await pairedWith()).toEqual([]);
  });
});

describe('who may use the trader’s rights', () => {
  const routes = (stallUrl: string) =>
    [
      ['get', `${stallUrl}/consent-record`],
      ['get', `${stallUrl}/data`],
      ['post', `${stallUrl}/consent/withdraw`],
      ['post', `${stallUrl}/erase`],
    ] as const;
  const confirmed = { rights_reason: 'trader_request', confirm: 'yes' };

  it.each(['volunteer', 'leader', 'viewer'] satisfies Role[])(
    'when a %s inside the reach asks, then every route is 403 and nothing changes',
    async (role) => {
      const context = await tradersStall();
      const { db, stallUrl, stall_id } = context;
      const user = await context.loginAs(role, `${role}.quyen`, role === 'leader' ? undefined : [...HOA_LU]);
      const before = db.prepare('SELECT * FROM stalls WHERE id = ?').get(stall_id);
      for (const [method, url] of routes(stallUrl)) {
        const response =
          method === 'get'
            ? await user.agent.get(url)
            : await user.agent
                .post(url)
                .type('form')
                .send({ _csrf: user.csrf, ...confirmed });
        expect(response.status, `${method} ${url}`).toBe(403);
      }
      expect(db.prepare('SELECT * FROM stalls WHERE id = ?').get(stall_id)).toEqual(before);
    },
  );

  it('when a team lead of another commune asks, then every route is the 404 of a missing stall', async () => {
    const context = await tradersStall();
    const { db, stallUrl, stall_id } = context;
    const other = await context.loginAs('team_lead', 'totruong.khac', [...CHU_PRONG]);
    const before = db.prepare('SELECT * FROM stalls WHERE id = ?').get(stall_id);
    const missing = await other.agent.get('/stalls/999999/data').expect(404);
    for (const [method, url] of routes(stallUrl)) {
      const response =
        method === 'get'
          ? await other.agent.get(url)
          : await other.agent
              .post(url)
              .type('form')
              .send({ _csrf: other.csrf, ...confirmed });
      expect(response.status, `${method} ${url}`).toBe(404);
      expect(response.text).toContain('Không tìm thấy sạp này.');
    }
    expect(missing.text).toContain('Không tìm thấy sạp này.');
    expect(db.prepare('SELECT * FROM stalls WHERE id = ?').get(stall_id)).toEqual(before);
  });

  it('when an admin asks, then the rights section shows on the stall page; for a volunteer it does not', async () => {
    const context = await tradersStall();
    const admin = await context.loginAs('admin', 'admin.quyen');
    const adminPage = await admin.agent.get(context.stallUrl).expect(200);
    expect(adminPage.text).toContain('Quyền của tiểu thương');
    expect(adminPage.text).toContain(`action="${context.stallUrl}/erase"`);
    const volunteerPage = await context.volunteer.agent.get(context.stallUrl).expect(200);
    expect(volunteerPage.text).not.toContain('Quyền của tiểu thương');
  });
});

describe('Bản ghi nhận đồng ý and Dữ liệu đang lưu', () => {
  it('when a team lead opens the consent record, then it shows the exact text agreed, when, by whom', async () => {
    const { db, teamLead, stallUrl, stall_id } = await tradersStall();
    const consent = db
      .prepare(
        `SELECT c.given_at, u.display_name, t.text FROM stall_consents c JOIN consent_texts t ON t.version = c.version
           LEFT JOIN users u ON u.id = c.given_by WHERE c.stall_id = ?`,
      )
      .get(stall_id) as { given_at: string; display_name: string; text: string };
    const views = count(
      db,
      "SELECT count(*) FROM audit_log WHERE action = 'stall.view_personal' AND entity_id = ?",
      stall_id,
    );
    const page = await teamLead.agent.get(`${stallUrl}/consent-record`).expect(200);
    expect(page.text).toContain(`<blockquote class="consent-text" data-consent-text>${consent.text}</blockquote>`);
    expect(page.text).toContain(formatDateTime(consent.given_at));
    expect(page.text).toContain(consent.display_name);
    expect(page.text).toContain('(đang có hiệu lực)');
    expect(
      count(db, "SELECT count(*) FROM audit_log WHERE action = 'stall.view_personal' AND entity_id = ?", stall_id),
    ).toBe(views + 1);
    await teamLead.agent
      .post(`${stallUrl}/consent/withdraw`)
      .type('form')
      .send({ _csrf: teamLead.csrf, rights_reason: 'trader_request', confirm: 'yes' })
      .expect(303);
    const withdrawn = await teamLead.agent.get(`${stallUrl}/consent-record`).expect(200);
    expect(withdrawn.text).toContain('(đã rút lại)');
    expect(withdrawn.text).toContain('Tiểu thương yêu cầu');
  });

  it('when a team lead opens the data held, then it shows phone, numbers, notes, log; it is recorded', async () => {
    const { db, teamLead, stallUrl, stall_id, stall, accounts } = await tradersStall();
    const views = count(
      db,
      "SELECT count(*) FROM audit_log WHERE action = 'stall.view_personal' AND entity_id = ?",
      stall_id,
    );
    const page = await teamLead.agent.get(`${stallUrl}/data`).expect(200);
    expect(page.text).toContain(stall.phone as string);
    for (const account of accounts) expect(page.text).toContain(account.account_number as string);
    expect(page.text).toContain(NOTE);
    expect(page.text).toContain(FOLLOW_UP_NOTE);
    expect(page.text).toContain('Nhật ký xử lý dữ liệu');
    expect(page.text).toContain('In mã QR');
    expect(
      count(db, "SELECT count(*) FROM audit_log WHERE action = 'stall.view_personal' AND entity_id = ?", stall_id),
    ).toBe(views + 1);
  });
});
