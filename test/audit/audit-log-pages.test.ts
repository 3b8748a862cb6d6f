import type { AuditAction } from '../../src/audit/audit-actions.js';
import { describe, expect, it } from 'vitest';
import { AUDIT_PER_PAGE } from '../../src/audit/audit-service.js';
import { describeAuditChanges } from '../../src/audit/audit-describe.js';
import { auditActionLabel } from '../../src/audit/audit-actions.js';
import { createTestContext } from '../helpers/app.js';

const PLEIKU = '23575';
const CHU_PRONG = '23887';
const NOW = '2026-11-20T03:00:00.000Z';

type Context = ReturnType<typeof createTestContext>;

/** A site with one stall, one account and one sticker in a commune; the ids the audit rows name. */
function insertPlace(db: Context['db'], communeCode: string, n: number) {
  const run = (sql: string, ...params: unknown[]) => Number(db.prepare(sql).run(...params).lastInsertRowid);
  const site = run(
    `INSERT INTO sites (kind, name, name_folded, commune_code, created_at, updated_at)
     VALUES ('market', ?, ?, ?, ?, ?)`,
    `Chợ nhật ký ${n}`,
    `cho nhat ky ${n}`,
    communeCode,
    NOW,
    NOW,
  );
  const stall = run(
    `INSERT INTO stalls (site_id, label, owner_name, phone, goods_category, status, search_folded, created_at,
                         updated_at)
     VALUES (?, 'Sạp 1', 'Nguyễn Văn Chủ', '0905111222', 'tap_hoa', 'has_account', 'sap 1', ?, ?)`,
    site,
    NOW,
    NOW,
  );
  const account = run(
    `INSERT INTO stall_accounts (stall_id, bin, account_number, service, holder_name, source, is_primary, created_at)
     VALUES (?, '970436', '1012345678901', 'account', 'NGUYEN VAN CHU', 'typed', 1, ?)`,
    stall,
    NOW,
  );
  const sticker = run(
    `INSERT INTO stickers (serial, commune_code, sequence, verification_code, stall_id, account_id, payload, created_at)
     VALUES (?, ?, 1, ?, ?, ?, 'payload', ?)`,
    `52-${communeCode}-00000${n}`,
    communeCode,
    `NK${n}ABCDEF`,
    stall,
    account,
    NOW,
  );
  return { site, stall, account, sticker, communeCode };
}

type Place = ReturnType<typeof insertPlace>;

async function record(
  context: Context,
  entry: {
    userId?: number | null;
    action: AuditAction;
    entity: string;
    entityId?: number;
    place?: Place;
    changes?: object;
  },
) {
  await context.data.transaction(() =>
    context.services.audit.record({
      actor: entry.userId ? { id: entry.userId } : null,
      action: entry.action,
      entity: entry.entity,
      entityId: entry.entityId ?? null,
      place: entry.place ? { siteId: entry.place.site, communeCode: entry.place.communeCode } : null,
      changes: (entry.changes ?? {}) as never,
    }),
  );
}

/** Rows in Pleiku, in Chư Prông and tied to no site (a login), by a volunteer of Pleiku. */
async function seed() {
  const context = createTestContext();
  const pleiku = insertPlace(context.db, PLEIKU, 1);
  const chuProng = insertPlace(context.db, CHU_PRONG, 2);
  const volunteer = await context.createUser('tnv.nhatky', 'volunteer', [{ kind: 'commune', code: PLEIKU }]);
  await record(context, {
    userId: volunteer,
    action: 'stall.status',
    entity: 'stall',
    entityId: pleiku.stall,
    place: pleiku,
    changes: { status: { before: 'surveyed', after: 'has_account' }, owner_name: { changed: true } },
  });
  await record(context, {
    userId: volunteer,
    action: 'account.add',
    entity: 'account',
    entityId: pleiku.account,
    place: pleiku,
    changes: { account_number: { after: '•••• 8901' } },
  });
  await record(context, {
    action: 'stall.update',
    entity: 'stall',
    entityId: chuProng.stall,
    place: chuProng,
  });
  await record(context, { userId: volunteer, action: 'login.success', entity: 'login' });
  return { ...context, pleiku, chuProng, volunteer };
}

function auditIds(html: string): number[] {
  return [...html.matchAll(/data-audit-id="(\d+)"/g)].map((match) => Number(match[1]));
}

const actionsOf = (context: Context) =>
  context.db.prepare('SELECT id, action FROM audit_log ORDER BY id').all() as { id: number; action: string }[];

describe('audit log page', () => {
  it('when an admin opens the log, then every row shows, newest first, with its words', async () => {
    const context = await seed();
    const { agent } = await context.loginAs('admin', 'qtv.nhatky', [{ kind: 'commune', code: PLEIKU }]);
    const response = await agent.get('/admin/audit').expect(200);
    expect(auditIds(response.text)).toEqual(
      actionsOf(context)
        .map((row) => row.id)
        .reverse(),
    );
    expect(response.text).toContain('Đổi tình trạng sạp');
    expect(response.text).toContain('Tình trạng: Đã khảo sát → Có tài khoản');
    expect(response.text).toContain('Họ tên chủ sạp: đã thay đổi');
    expect(response.text).toContain('Người dùng tnv.nhatky (tnv.nhatky)');
    expect(response.text).toContain('href="/admin/audit"');
  });

  it('when a team lead opens the log, then only the rows of their reach’s sites show', async () => {
    const context = await seed();
    const { agent } = await context.loginAs('team_lead', 'tt.nhatky', [{ kind: 'commune', code: PLEIKU }]);
    const response = await agent.get('/admin/audit').expect(200);
    const pleikuRows = actionsOf(context)
      .filter((row) => row.action === 'stall.status' || row.action === 'account.add')
      .map((row) => row.id)
      .reverse();
    expect(auditIds(response.text)).toEqual(pleikuRows);
    const csv = await agent.get('/admin/audit.csv').expect(200);
    expect(csv.text).not.toContain('Đăng nhập');
    expect(csv.text.trim().split('\r\n')).toHaveLength(1 + pleikuRows.length);
  });

  it('when a volunteer, leader or viewer asks for the log, then it is refused', async () => {
    const context = await seed();
    for (const role of ['volunteer', 'leader', 'viewer'] as const) {
      const { agent } = await context.loginAs(role, `${role}.nk`);
      const response = await agent.get('/admin/audit').expect(403);
      expect(response.text).toContain('Chỉ quản trị viên và tổ trưởng được xem nhật ký.');
      await agent.get('/admin/audit.csv').expect(403);
      expect(response.text).not.toContain('data-audit-id');
    }
    // The nav shows the log only to admins and team leads.
    const volunteer = await context.loginAs('volunteer', 'tnv.khac');
    expect((await volunteer.agent.get('/').expect(200)).text).not.toContain('href="/admin/audit"');
  });

  it('when the log is filtered by user, entity, action and days, then only the matching rows show', async () => {
    const context = await seed();
    // A row on the next Vietnam day: 2026-11-22 18:00 UTC is 23 November, 01:00 in Vietnam.
    context.clock.set('2026-11-22T18:00:00.000Z');
    await record(context, {
      action: 'site.update',
      entity: 'site',
      entityId: context.pleiku.site,
      place: context.pleiku,
    });
    const { agent } = await context.loginAs('admin', 'qtv.loc');
    const idsOf = async (query: string) => auditIds((await agent.get(`/admin/audit?${query}`).expect(200)).text);
    const rows = actionsOf(context);
    const idOf = (action: string) => rows.find((row) => row.action === action)!.id;

    expect(await idsOf('user=TNV.NHATKY')).toEqual([idOf('login.success'), idOf('account.add'), idOf('stall.status')]);
    expect(await idsOf('entity=account')).toEqual([idOf('account.add')]);
    expect(await idsOf('action=stall.update')).toEqual([idOf('stall.update')]);
    // The admin's own creation and login are on the 23rd too: the app records them.
    expect(await idsOf('from=2026-11-23&entity=site')).toEqual([idOf('site.update')]);
    expect(await idsOf('to=2026-11-22')).not.toContain(idOf('site.update'));
    // The four seeded rows and the creation of their volunteer.
    expect(await idsOf('to=2026-11-22')).toHaveLength(5);
    expect(await idsOf('user=khong.co.ai')).toEqual([]);
    // A hand-edited link with nonsense is not an error: the filter is ignored.
    expect(await idsOf('from=hôm-qua&entity=<x>')).toEqual(
      (context.db.prepare('SELECT id FROM audit_log ORDER BY id DESC').pluck().all() as number[]).slice(0, 50),
    );
  });

  it('when the log has more rows than a page, then pages of 50 follow each other, newest first', async () => {
    const context = createTestContext();
    const place = insertPlace(context.db, PLEIKU, 1);
    await context.data.transaction(async () => {
      for (let i = 0; i < AUDIT_PER_PAGE + 5; i++) {
        await context.services.audit.record({
          actor: null,
          action: 'site.update',
          entity: 'site',
          entityId: place.site,
          place: { siteId: place.site, communeCode: PLEIKU },
        });
      }
    });
    const { agent } = await context.loginAs('admin', 'qtv.trang');
    const first = await agent.get('/admin/audit').expect(200);
    expect(auditIds(first.text)).toHaveLength(AUDIT_PER_PAGE);
    expect(first.text).toContain('Trang 1/2');
    expect(first.text).toContain('href="/admin/audit?page=2"');
    const second = await agent.get('/admin/audit?page=2').expect(200);
    // The admin's creation and login are rows too: the second page holds the oldest of all.
    const allIds = context.db.prepare('SELECT id FROM audit_log ORDER BY id DESC').pluck().all() as number[];
    expect(allIds).toHaveLength(AUDIT_PER_PAGE + 7);
    expect(auditIds(second.text)).toEqual(allIds.slice(AUDIT_PER_PAGE));
    // Past the last page: the last page.
    expect(auditIds((await agent.get('/admin/audit?page=9').expect(200)).text)).toEqual(allIds.slice(AUDIT_PER_PAGE));
  });

  it('when the log is downloaded as CSV, then it holds the filtered rows in words, no personal value', async () => {
    const context = await seed();
    const { agent } = await context.loginAs('admin', 'qtv.csv');
    const before = context.db.prepare('SELECT count(*) FROM audit_log').pluck().get();
    const response = await agent.get('/admin/audit.csv?entity=stall').expect(200);
    expect(response.headers['content-type']).toMatch(/text\/csv/);
    expect(response.headers['content-disposition']).toContain('nhat-ky.csv');
    const lines = response.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe('Thời điểm,Người thực hiện,Việc,Mã việc,Đối tượng,Mã đối tượng,Địa điểm,Thay đổi,Địa chỉ IP');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain('Sửa thông tin sạp,stall.update,Sạp');
    expect(lines[2]).toContain('Tình trạng: Đã khảo sát → Có tài khoản; Họ tên chủ sạp: đã thay đổi');
    expect(lines[2]).toContain('Chợ nhật ký 1');
    expect(response.text).not.toMatch(/Nguyễn Văn Chủ|0905111222|1012345678901/);
    // Downloading reads the log; it writes nothing to it.
    expect(context.db.prepare('SELECT count(*) FROM audit_log').pluck().get()).toBe(before);
  });
});

describe('stall change history', () => {
  it('when a volunteer in the reach opens a stall, then its rows, its account’s and its sticker’s show', async () => {
    const context = await seed();
    await record(context, {
      action: 'sticker.print',
      entity: 'sticker',
      entityId: context.pleiku.sticker,
      place: context.pleiku,
    });
    // Another stall's row with the same id as this stall's sticker must not show.
    await record(context, {
      action: 'site.update',
      entity: 'site',
      entityId: context.pleiku.stall,
      place: context.pleiku,
    });
    const { agent } = await context.loginAs('volunteer', 'tnv.lichsu', [{ kind: 'commune', code: PLEIKU }]);
    const response = await agent.get(`/stalls/${context.pleiku.stall}`).expect(200);
    expect(response.text).toContain('Lịch sử thay đổi');
    const rows = actionsOf(context);
    const expected = rows
      .filter((row) => ['stall.status', 'account.add', 'sticker.print'].includes(row.action))
      .map((row) => row.id)
      .reverse();
    expect(auditIds(response.text)).toEqual(expected);
    expect(response.text).toContain('Tình trạng: Đã khảo sát → Có tài khoản');
    expect(response.text).toContain('Số tài khoản: •••• 8901');
  });

  it('when a viewer or leader opens the stall, then there is no change history on it', async () => {
    const context = await seed();
    for (const role of ['viewer', 'leader'] as const) {
      const { agent } = await context.loginAs(role, `${role}.lichsu`);
      const response = await agent.get(`/stalls/${context.pleiku.stall}`).expect(200);
      expect(response.text).not.toContain('Lịch sử thay đổi');
      expect(auditIds(response.text)).toEqual([]);
    }
    await expect(
      context.services.audit.stallHistory(
        { id: 1, role: 'viewer', reach: { wholeCountry: true, provinces: [], communes: [], sites: [] } },
        context.pleiku.stall,
      ),
    ).rejects.toThrow('Chỉ người làm việc với sạp được xem lịch sử thay đổi.');
  });

  it('when a volunteer asks for a stall outside the reach, then it is the 404 and no history', async () => {
    const context = await seed();
    const { agent } = await context.loginAs('volunteer', 'tnv.ngoai', [{ kind: 'commune', code: PLEIKU }]);
    const response = await agent.get(`/stalls/${context.chuProng.stall}`).expect(404);
    expect(auditIds(response.text)).toEqual([]);
  });
});

describe('audit words', () => {
  it('when an action or field is not known, then it shows as recorded', () => {
    expect(auditActionLabel('stall.update')).toBe('Sửa thông tin sạp');
    expect(auditActionLabel('payee.request')).toBe('payee.request');
    expect(describeAuditChanges('{"is_primary":{"before":false,"after":true},"foo":{"after":null}}')).toEqual([
      'Tài khoản chính: Không → Có',
      'foo: —',
    ]);
    expect(describeAuditChanges('not json')).toEqual(['(không đọc được nội dung thay đổi)']);
  });
});
