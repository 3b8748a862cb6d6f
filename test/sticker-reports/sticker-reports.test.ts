import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { Config } from '../../src/config.js';
import { DEFAULT_STICKER_REPORT_LIMITS } from '../../src/config.js';
import { ForbiddenError, NotFoundError } from '../../src/http/errors.js';
import { createTestContext, csrfFrom } from '../helpers/app.js';

const A = '23575';
const B = '23887';
const NOW = '2026-11-20T03:00:00.000Z';

type Context = ReturnType<typeof createTestContext>;

/** A site, a stall with its primary account and a valid sticker with the given code, in one commune. */
function insertStickerOf(db: Context['db'], communeCode: string, n: number, code: string) {
  const run = (sql: string, ...params: unknown[]) => Number(db.prepare(sql).run(...params).lastInsertRowid);
  const site = run(
    `INSERT INTO sites (kind, name, name_folded, commune_code, created_at, updated_at)
     VALUES ('market', ?, ?, ?, ?, ?)`,
    `Chợ thử ${n}`,
    `cho thu ${n}`,
    communeCode,
    NOW,
    NOW,
  );
  const stall = run(
    `INSERT INTO stalls (site_id, label, business_name, owner_name, phone, goods_category, status, search_folded,
                         created_at, updated_at, consent_at)
     VALUES (?, ?, 'Tạp hóa', 'Nguyễn Văn Chủ', '0905999888', 'tap_hoa', 'installed', 'sap', ?, ?, ?)`,
    site,
    `Sạp ${n}`,
    NOW,
    NOW,
    NOW,
  );
  const account = run(
    `INSERT INTO stall_accounts (stall_id, bin, account_number, service, holder_name, source, is_primary,
                                 verified_at, verified_name_seen, created_at)
     VALUES (?, '970436', '1012345678901', 'account', 'NGUYEN VAN CHU', 'typed', 1, ?, 'NGUYEN VAN CHU', ?)`,
    stall,
    NOW,
    NOW,
  );
  const sticker = run(
    `INSERT INTO stickers (serial, commune_code, sequence, verification_code, stall_id, account_id, payload, created_at)
     VALUES (?, ?, ?, ?, ?, ?, 'payload', ?)`,
    `52-${communeCode}-00000${n}`,
    communeCode,
    n,
    code,
    stall,
    account,
    NOW,
  );
  return { site, stall, sticker, code };
}

function fixture(config: Partial<Config> = {}) {
  const context = createTestContext(undefined, config);
  const inside = insertStickerOf(context.db, A, 1, 'AAAA1111');
  const outside = insertStickerOf(context.db, B, 2, 'BBBB2222');
  const reportsSaved = () =>
    context.db.prepare('SELECT * FROM sticker_reports ORDER BY id').all() as Record<string, unknown>[];
  const auditRows = (action: string) =>
    context.db.prepare('SELECT * FROM audit_log WHERE action = ? ORDER BY id').all(action) as Record<string, unknown>[];
  /** A customer's phone, no login: opens the form (which gives the session and its token) on the sticker's page. */
  async function customer(code = inside.code) {
    const agent = request.agent(context.app);
    const page = await agent.get(`/v/${code}?report=1`).expect(200);
    return { agent, csrf: csrfFrom(page.text), page };
  }
  async function report(form: Record<string, string>, code = inside.code) {
    const { agent, csrf } = await customer(code);
    return agent
      .post(`/v/${code}/report`)
      .type('form')
      .send({ _csrf: csrf, ...form });
  }
  async function actor(username: string, role: 'team_lead' | 'volunteer' | 'admin' | 'viewer', commune = A) {
    const id = await context.createUser(username, role, [{ kind: 'commune', code: commune }]);
    const user = (await context.services.users.findWithReach(id))!;
    return { id, role: user.role, reach: user.reach };
  }
  return { ...context, inside, outside, reportsSaved, auditRows, customer, report, actor };
}

describe('a customer reports a sticker from its public page', () => {
  it('when the page is opened, then it links to the form, and ?report=1 shows the form with a token', async () => {
    const f = fixture();
    const plain = await request(f.app).get(`/v/${f.inside.code}`).expect(200);
    expect(plain.text).toContain('Báo mã đáng ngờ');
    expect(plain.text).toContain(`/v/${f.inside.code}?report=1#report`);
    expect(plain.headers['set-cookie']).toBeUndefined();
    const { page } = await f.customer();
    expect(page.text).toContain(`action="/v/${f.inside.code}/report"`);
    expect(page.text).toContain('Tên người nhận khác tên trên mã');
    expect(page.headers['cache-control']).toBe('no-store');
  });

  it('when a customer reports, then they are thanked and only the lead of that commune lists it', async () => {
    const f = fixture();
    const response = await f.report({
      problem: 'name_differs',
      detail: 'Quét ra tên TRAN VAN X',
      phone: '0905 123 456',
    });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/v/${f.inside.code}?reported=1`);
    const thanks = await request(f.app).get(response.headers.location!).expect(200);
    expect(thanks.text).toContain('Cảm ơn bạn đã báo. Tổ công tác sẽ kiểm tra mã này.');

    const [saved] = f.reportsSaved();
    expect(saved).toMatchObject({
      sticker_id: f.inside.sticker,
      problem: 'name_differs',
      detail: 'Quét ra tên TRAN VAN X',
      phone: '0905123456',
      status: 'open',
      received_at: '2026-11-22T03:00:00.000Z',
    });

    const leadA = await f.actor('totruong.a', 'team_lead', A);
    const leadB = await f.actor('totruong.b', 'team_lead', B);
    const admin = await f.actor('quantri.a', 'admin', A);
    expect((await f.services.stickerReports.openFor(leadA)).map((r) => r.sticker_id)).toEqual([f.inside.sticker]);
    expect(await f.services.stickerReports.openCountFor(leadA)).toBe(1);
    expect(await f.services.stickerReports.openFor(leadB)).toEqual([]);
    expect(await f.services.stickerReports.openCountFor(leadB)).toBe(0);
    expect(await f.services.stickerReports.openFor(admin)).toHaveLength(1);

    const { agent } = await f.loginAs('team_lead', 'totruong.web', [{ kind: 'commune', code: A }]);
    const list = await agent.get('/work/sticker-reports').expect(200);
    expect(list.text).toContain('52-23575-000001');
    expect(list.text).toContain('Tên người nhận khác tên trên mã');
    expect(list.text).toContain('Quét ra tên TRAN VAN X');
    expect(list.text).toContain('0905123456');
    expect(list.text).toContain(`href="/stalls/${f.inside.stall}"`);
    const { agent: other } = await f.loginAs('team_lead', 'totruong.web2', [{ kind: 'commune', code: B }]);
    const empty = await other.get('/work/sticker-reports').expect(200);
    expect(empty.text).not.toContain('52-23575-000001');
    expect(empty.text).toContain('Không có báo cáo nào đang chờ xử lý.');
  });

  it('when the sticker was revoked, then a customer can still report it', async () => {
    const f = fixture();
    f.db
      .prepare("UPDATE stickers SET status = 'revoked', status_changed_at = ? WHERE id = ?")
      .run(NOW, f.inside.sticker);
    const response = await f.report({ problem: 'owner_denies' });
    expect(response.status).toBe(303);
    expect(f.reportsSaved()).toHaveLength(1);
    const lead = await f.actor('totruong.a', 'team_lead', A);
    expect((await f.services.stickerReports.openFor(lead))[0]).toMatchObject({ sticker_status: 'revoked' });
  });

  it('when the code is unknown, then the report answers 404 as the page does, and nothing is saved', async () => {
    const f = fixture();
    const { agent, csrf } = await f.customer();
    const response = await agent.post('/v/KHONGCO1/report').type('form').send({ _csrf: csrf, problem: 'other' });
    expect(response.status).toBe(404);
    expect(response.text).toContain('Không có mã xác minh');
    expect(f.reportsSaved()).toEqual([]);
  });

  it('when the form is sent without the session token, then it is refused with 403 and nothing is saved', async () => {
    const f = fixture();
    const response = await request(f.app).post(`/v/${f.inside.code}/report`).type('form').send({ problem: 'other' });
    expect(response.status).toBe(403);
    expect(f.reportsSaved()).toEqual([]);
  });

  it.each([
    [{}, 'problem', 'Hãy chọn điều bạn thấy không đúng.'],
    [{ problem: 'gì đó' }, 'problem', 'Hãy chọn điều bạn thấy không đúng.'],
    [{ problem: 'other', detail: '   ' }, 'detail', 'Hãy ghi rõ điều bạn thấy không đúng.'],
    [
      { problem: 'covers_other', detail: 'ạ'.repeat(501) },
      'detail',
      'Phần mô tả dài quá 500 ký tự (đang có 501) — hãy viết ngắn lại.',
    ],
    [
      { problem: 'other', detail: 'Mã \u001b[2J bị dán đè' },
      'detail',
      'Có ký tự điều khiển không nhìn thấy (U+001B) — hãy gõ lại.',
    ],
    [
      { problem: 'other', detail: 'Mã bị dán \u202eđè' },
      'detail',
      'Có ký tự đảo chiều chữ không nhìn thấy (U+202E) — hãy gõ lại.',
    ],
    [
      { problem: 'other', detail: '\u200b\u200b' },
      'detail',
      'Phần mô tả chỉ có ký tự không nhìn thấy (U+200B) — hãy gõ lại.',
    ],
    [
      { problem: 'covers_other', detail: 'Mã\u200bkhác' },
      'detail',
      'Có ký tự không nhìn thấy (U+200B) giữa các chữ — hãy gõ lại.',
    ],
    [{ problem: 'covers_other', phone: '12345' }, 'phone', 'Số điện thoại không đúng.'],
    [{ problem: 'covers_other', phone: '0905 123 45x' }, 'phone', 'Số điện thoại không đúng.'],
  ])(
    'when the form is %j, then 400 with the message next to %s, the input kept, nothing saved',
    async (form, field, message) => {
      const f = fixture();
      const response = await f.report(form as Record<string, string>);
      expect(response.status).toBe(400);
      expect(response.text).toContain(`id="f-${field}-error"`);
      expect(response.text).toContain(message);
      // The form is drawn again, open, with what was typed.
      expect(response.text).toContain(`action="/v/${f.inside.code}/report"`);
      if ('phone' in form) expect(response.text).toContain(`value="${form.phone}"`);
      if ('detail' in form && form.detail.trim()) expect(response.text).toContain(form.detail);
      expect(f.reportsSaved()).toEqual([]);
      expect(f.auditRows('sticker.report')).toEqual([]);
    },
  );

  it('when the description has line breaks and an emoji, then it is kept with its lines, trimmed, in NFC', async () => {
    const f = fixture();
    const response = await f.report({ problem: 'other', detail: ' Mã bị dán đè 😡\r\nở góc trái\u200b ' });
    expect(response.status).toBe(303);
    expect(f.reportsSaved().map((row) => row.detail)).toEqual(['Mã bị dán đè 😡\nở góc trái']);
  });

  it('when the phone is written the ways people write it, then it is kept as 10 digits', async () => {
    const f = fixture();
    for (const phone of ['+84 905 123 456', '090.512.3456', '']) {
      expect((await f.report({ problem: 'name_differs', phone })).status).toBe(303);
    }
    expect(f.reportsSaved().map((r) => r.phone)).toEqual(['0905123456', '0905123456', null]);
  });

  it('when the hidden field is filled, then the sender is thanked and nothing is saved', async () => {
    const f = fixture();
    const response = await f.report({ problem: 'other', detail: 'spam', website: 'http://spam.example' });
    expect(response.status).toBe(303);
    expect(f.reportsSaved()).toEqual([]);
  });
});

describe('the report form is rate limited, more strictly than the page', () => {
  it('when one address sends more than its limit, then the next answers 429 and is not saved', async () => {
    const f = fixture({ stickerReportLimits: { ...DEFAULT_STICKER_REPORT_LIMITS, perAddress: 2, perSticker: 10 } });
    const { agent, csrf } = await f.customer();
    const send = (form: Record<string, string>, code = f.inside.code) =>
      agent
        .post(`/v/${code}/report`)
        .type('form')
        .send({ _csrf: csrf, ...form });
    // A form with a mistake does not use up a try.
    expect((await send({})).status).toBe(400);
    expect((await send({ problem: 'name_differs' })).status).toBe(303);
    expect((await send({ problem: 'covers_other' }, f.outside.code)).status).toBe(303);
    const refused = await send({ problem: 'owner_denies' });
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
    expect(refused.text).toContain('Chúng tôi đã nhận nhiều báo cáo từ mạng của bạn');
    // Still the sticker's page: the customer sees whether the code is genuine.
    expect(refused.text).toContain('Mã hợp lệ');
    expect(f.reportsSaved().map((r) => r.problem)).toEqual(['name_differs', 'covers_other']);
    expect(f.auditRows('sticker.report')).toHaveLength(2);
  });

  it('when one sticker gets more than its limit, then the next answers 429, others go through', async () => {
    const f = fixture({ stickerReportLimits: { ...DEFAULT_STICKER_REPORT_LIMITS, perAddress: 10, perSticker: 1 } });
    expect((await f.report({ problem: 'name_differs' })).status).toBe(303);
    const refused = await f.report({ problem: 'covers_other' });
    expect(refused.status).toBe(429);
    expect(refused.text).toContain('Mã này vừa được báo nhiều lần');
    expect((await f.report({ problem: 'covers_other' }, f.outside.code)).status).toBe(303);
    expect(f.reportsSaved().map((r) => r.sticker_id)).toEqual([f.inside.sticker, f.outside.sticker]);
  });
});

describe('the audit trail of reports', () => {
  it('when a report is saved, then its audit row has the problem, never the words or the phone', async () => {
    const f = fixture();
    await f.report({ problem: 'other', detail: 'Mã dán lệch, có chữ ký lạ', phone: '0987654321' });
    const [row] = f.auditRows('sticker.report');
    expect(row).toMatchObject({
      user_id: null,
      entity: 'sticker',
      entity_id: f.inside.sticker,
      site_id: f.inside.site,
      commune_code: A,
    });
    expect(JSON.parse(String(row!.changes))).toEqual({
      report: { after: 1 },
      problem: { after: 'other' },
      detail: { changed: true },
      phone: { changed: true },
    });
    const whole = JSON.stringify(row);
    expect(whole).not.toContain('0987654321');
    expect(whole).not.toContain('chữ ký lạ');
    // It shows in the stall's "Lịch sử" for the roles that work the stall.
    const lead = await f.actor('totruong.a', 'team_lead', A);
    const history = await f.services.audit.stallHistory(lead, f.inside.stall);
    expect(history.map((entry) => entry.actionLabel)).toContain('Người dân báo mã đáng ngờ');
    expect(history.find((entry) => entry.action === 'sticker.report')?.changeLines).toContain('Điều đáng ngờ: Khác');
  });
});

describe('team leads close reports', () => {
  it('when a volunteer or a viewer asks for the list, then 403; the service refuses them too', async () => {
    const f = fixture();
    for (const role of ['volunteer', 'viewer', 'leader'] as const) {
      const { agent } = await f.loginAs(role, `${role}.x`);
      expect((await agent.get('/work/sticker-reports')).status).toBe(403);
    }
    const volunteer = await f.actor('tnv.a', 'volunteer', A);
    await expect(f.services.stickerReports.openFor(volunteer)).rejects.toBeInstanceOf(ForbiddenError);
    await expect(f.services.stickerReports.openCountFor(volunteer)).rejects.toBeInstanceOf(ForbiddenError);
  });

  it('when the lead closes a report, then it leaves the list, its phone goes, and it is recorded', async () => {
    const f = fixture();
    await f.report({ problem: 'name_differs', phone: '0987654321' });
    const [{ id }] = f.reportsSaved() as [{ id: number }];
    const { agent, csrf, userId } = await f.loginAs('team_lead', 'totruong.a', [{ kind: 'commune', code: A }]);
    const response = await agent
      .post(`/work/sticker-reports/${id}/close`)
      .type('form')
      .send({ _csrf: csrf, report: String(id), outcome: 'sticker_fixed', note: 'Đã gỡ mã lạ dán đè, số 0911222333' });
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe(`/work/sticker-reports?report_closed=${id}`);
    expect(f.reportsSaved()[0]).toMatchObject({
      status: 'closed',
      closed_by: userId,
      closed_at: '2026-11-22T03:00:00.000Z',
      outcome: 'sticker_fixed',
      close_note: 'Đã gỡ mã lạ dán đè, số 0911222333',
      phone: null,
    });
    const list = await agent.get(response.headers.location!).expect(200);
    expect(list.text).toContain('Đã đóng báo cáo.');
    expect(list.text).toContain('Không có báo cáo nào đang chờ xử lý.');

    const [row] = f.auditRows('sticker_report.close');
    expect(row).toMatchObject({ user_id: userId, entity: 'sticker_report', entity_id: id, site_id: f.inside.site });
    expect(JSON.parse(String(row!.changes))).toEqual({
      outcome: { before: null, after: 'sticker_fixed' },
      close_note: { changed: true },
      phone: { changed: true },
    });
    expect(String(row!.changes)).not.toContain('0911222333');
    expect(String(row!.changes)).not.toContain('0987654321');
    const lead = await f.actor('totruong.b', 'team_lead', A);
    const history = await f.services.audit.stallHistory(lead, f.inside.stall);
    expect(history.map((entry) => entry.action)).toContain('sticker_report.close');
  });

  it('when a lead outside the reach closes it, then 404; a volunteer gets 403; nothing changes', async () => {
    const f = fixture();
    await f.report({ problem: 'name_differs' });
    const [{ id }] = f.reportsSaved() as [{ id: number }];
    const outsider = await f.actor('totruong.b', 'team_lead', B);
    await expect(f.services.stickerReports.close(outsider, id, { outcome: 'sticker_ok' })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(f.services.stickerReports.close(outsider, 999, { outcome: 'sticker_ok' })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    const { agent, csrf } = await f.loginAs('volunteer', 'tnv.a', [{ kind: 'commune', code: A }]);
    const refused = await agent
      .post(`/work/sticker-reports/${id}/close`)
      .type('form')
      .send({ _csrf: csrf, outcome: 'sticker_ok' });
    expect(refused.status).toBe(403);
    expect(f.reportsSaved()[0]).toMatchObject({ status: 'open', outcome: null });
    expect(f.auditRows('sticker_report.close')).toEqual([]);
  });

  it('when the outcome is missing or "Khác" has no note, then 400 next to that report’s field', async () => {
    const f = fixture();
    await f.report({ problem: 'name_differs' });
    await f.report({ problem: 'covers_other' }, f.inside.code);
    const [first, second] = f.reportsSaved() as [{ id: number }, { id: number }];
    const { agent, csrf } = await f.loginAs('team_lead', 'totruong.a', [{ kind: 'commune', code: A }]);
    const noOutcome = await agent
      .post(`/work/sticker-reports/${second.id}/close`)
      .type('form')
      .send({ _csrf: csrf, report: String(second.id), note: 'đã xem' });
    expect(noOutcome.status).toBe(400);
    expect(noOutcome.text).toContain(`id="r${second.id}-outcome-error"`);
    expect(noOutcome.text).not.toContain(`id="r${first.id}-outcome-error"`);
    expect(noOutcome.text).toContain('Hãy chọn kết quả xử lý.');
    expect(noOutcome.text).toContain('đã xem');
    const otherNoNote = await agent
      .post(`/work/sticker-reports/${first.id}/close`)
      .type('form')
      .send({ _csrf: csrf, report: String(first.id), outcome: 'other' });
    expect(otherNoNote.status).toBe(400);
    expect(otherNoNote.text).toContain('Hãy ghi rõ kết quả xử lý.');
    expect(f.reportsSaved().map((r) => r.status)).toEqual(['open', 'open']);
    expect(f.auditRows('sticker_report.close')).toEqual([]);
  });

  it('when a report is closed twice, then the second answers 400 and records nothing more', async () => {
    const f = fixture();
    await f.report({ problem: 'name_differs' });
    const [{ id }] = f.reportsSaved() as [{ id: number }];
    const lead = await f.actor('totruong.a', 'team_lead', A);
    await f.services.stickerReports.close(lead, id, { outcome: 'sticker_ok' });
    await expect(f.services.stickerReports.close(lead, id, { outcome: 'duplicate' })).rejects.toMatchObject({
      status: 400,
    });
    expect(f.reportsSaved()[0]).toMatchObject({ outcome: 'sticker_ok' });
    expect(f.auditRows('sticker_report.close')).toHaveLength(1);
  });
});

describe('reports on the work list', () => {
  it('when a customer reports, then the team lead of that commune sees it on /work and in the menu count', async () => {
    const f = fixture();
    await f.report({ problem: 'covers_other', detail: 'Mã dán đè lên mã cũ' });
    const lead = await f.loginAs('team_lead', 'totruong.a', [{ kind: 'commune', code: A }]);
    const work = await lead.agent.get('/work').expect(200);
    expect(work.text).toContain('<h2 id="sticker-reports-heading">Báo cáo mã đáng ngờ');
    expect(work.text).toContain('Mã dán đè lên mã khác');
    expect(work.text).toContain('name="return_to" value="/work"');
    expect(work.text).toMatch(/Việc cần xử lý <span class="badge badge-behind" data-work-count>1<\/span>/);
    const other = await f.loginAs('team_lead', 'totruong.b', [{ kind: 'commune', code: B }]);
    const elsewhere = await other.agent.get('/work').expect(200);
    expect(elsewhere.text).not.toContain('Mã dán đè lên mã khác');
    expect(elsewhere.text).not.toContain('data-work-count');
  });

  it('when a volunteer opens any page, then the menu has no work count and the page still loads', async () => {
    const f = fixture();
    await f.report({ problem: 'owner_denies' });
    const volunteer = await f.loginAs('volunteer', 'tnv.a', [{ kind: 'commune', code: A }]);
    const home = await volunteer.agent.get('/').expect(200);
    expect(home.text).not.toContain('data-work-count');
  });

  it("when a team lead's list shows a reporter's phone, then that view is recorded, without the phone", async () => {
    const f = fixture();
    await f.report({ problem: 'name_differs', phone: '0905 123 456' });
    await f.report({ problem: 'owner_denies' });
    const lead = await f.loginAs('team_lead', 'totruong.a', [{ kind: 'commune', code: A }]);

    await lead.agent.get('/work').expect(200);

    const views = f.auditRows('sticker_report.view_phone');
    expect(views).toHaveLength(1);
    expect(views[0]).toMatchObject({ user_id: lead.userId, entity: 'sticker_report', changes: '{}' });
    expect(JSON.stringify(f.db.prepare('SELECT * FROM audit_log').all())).not.toContain('0905123456');
  });
});
