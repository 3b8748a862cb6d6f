import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { ForbiddenError, NotFoundError, ValidationError } from '../../src/http/errors.js';
import { WHOLE_COUNTRY } from '../../src/vocabulary/reach.js';
import { loadRaw, naiveDataQuality } from '../adoption/naive-recount.js';
import { approveAsLead, pendingRequestId } from '../helpers/payee-changes.js';
import { COMMUNE_A, COMMUNE_B, communeReach, registryOfTwoCommunes } from '../helpers/registry.js';
import { printDelivered } from '../helpers/stickers.js';

const OTHER_ACCOUNT = { bank_bin: '970436', account_number: '0071000111222', holder_name: 'NGUYEN THI KIM DUNG' };
const REASON = 'Chủ sạp chuyển sang Vietcombank, gặp chị Dung tại sạp';

/**
 * Stall A (commune A) with its sticker printed and a second, name-checked account; a volunteer and a team lead
 * of commune A, a team lead of commune B. Account 1 is the primary, `second` the other one.
 */
async function printedStall() {
  const context = await registryOfTwoCommunes();
  const { services, admin, actor, ids, db } = context;
  await printDelivered(services.stickers, admin, ids.stallA, 'a6');
  const second = await services.accounts.addAccount(admin, ids.stallA, OTHER_ACCOUNT, undefined);
  await services.accounts.checkName(admin, ids.stallA, second, { name_seen: OTHER_ACCOUNT.holder_name });
  const volunteer = await actor('tnv.a', 'volunteer', communeReach(COMMUNE_A));
  const lead = await actor('totruong.a', 'team_lead', communeReach(COMMUNE_A));
  const leadB = await actor('totruong.b', 'team_lead', communeReach(COMMUNE_B));
  const sticker = db.prepare('SELECT id, verification_code FROM stickers WHERE account_id = 1').get() as {
    id: number;
    verification_code: string;
  };
  const state = () => ({
    primary: db.prepare('SELECT id FROM stall_accounts WHERE stall_id = ? AND is_primary = 1').pluck().get(ids.stallA),
    sticker: db.prepare('SELECT status FROM stickers WHERE id = ?').pluck().get(sticker.id),
    stall: db.prepare('SELECT status FROM stalls WHERE id = ?').pluck().get(ids.stallA),
  });
  const auditCount = (action: string) =>
    db.prepare('SELECT count(*) FROM audit_log WHERE action = ?').pluck().get(action) as number;
  return { ...context, second, volunteer, lead, leadB, sticker, state, auditCount };
}

describe('payee changes on a printed stall', () => {
  it('when a volunteer asks for another primary, then nothing changes until approved, sticker valid', async () => {
    const { services, ids, second, volunteer, state, sticker, app, db } = await printedStall();
    const before = state();
    expect(before).toEqual({ primary: 1, sticker: 'valid', stall: 'qr_verified' });
    await expect(services.accounts.setPrimary(volunteer, ids.stallA, second, {})).rejects.toThrow(ValidationError);
    expect(pendingRequestId(db, ids.stallA)).toBeUndefined();
    const done = await services.accounts.setPrimary(volunteer, ids.stallA, second, { change_reason: REASON });
    expect(done).toBe('requested');
    expect(state()).toEqual(before);
    expect((await request(app).get(`/v/${sticker.verification_code}`).expect(200)).text).toContain('Mã hợp lệ');
    expect(
      db.prepare('SELECT kind, account_id, from_account_id, reason, status, requested_by FROM payee_changes').get(),
    ).toEqual({
      kind: 'set_primary',
      account_id: second,
      from_account_id: 1,
      reason: REASON,
      status: 'pending',
      requested_by: volunteer.id,
    });
    // A second request on the same stall waits for the first.
    await expect(
      services.accounts.retireAccount(volunteer, ids.stallA, 1, {
        reason: 'new_account',
        confirm: 'yes',
        change_reason: REASON,
      }),
    ).rejects.toThrow(/đang có một yêu cầu/);
    expect(db.prepare('SELECT count(*) FROM payee_changes').pluck().get()).toBe(1);
  });

  it('when a team lead in reach approves, then the change is made and the old sticker is replaced', async () => {
    const { services, ids, second, volunteer, lead, state, sticker, app, db, auditCount } = await printedStall();
    await services.accounts.setPrimary(volunteer, ids.stallA, second, { change_reason: REASON });
    const id = pendingRequestId(db, ids.stallA)!;
    await services.accounts.approvePayeeChange(lead, id);
    expect(state()).toEqual({ primary: second, sticker: 'replaced', stall: 'qr_verified' });
    expect(db.prepare('SELECT status, decided_by FROM payee_changes WHERE id = ?').get(id)).toEqual({
      status: 'approved',
      decided_by: lead.id,
    });
    expect((await request(app).get(`/v/${sticker.verification_code}`).expect(200)).text).toContain(
      'Mã đã được thay bằng mã mới',
    );
    // The change is recorded as the approver's, as the direct path records it.
    const rows = db
      .prepare("SELECT action, user_id FROM audit_log WHERE action IN ('account.primary', 'payee_change.approve')")
      .all();
    expect(rows).toEqual([
      { action: 'account.primary', user_id: lead.id },
      { action: 'account.primary', user_id: lead.id },
      { action: 'payee_change.approve', user_id: lead.id },
    ]);
    expect(auditCount('payee_change.request')).toBe(1);
    // Deciding it again is refused.
    await expect(services.accounts.approvePayeeChange(lead, id)).rejects.toThrow(ValidationError);
  });

  it('when the requester is a team lead, then they cannot approve or refuse their own request', async () => {
    const { services, ids, second, lead, admin, state, db, auditCount } = await printedStall();
    await services.accounts.setPrimary(lead, ids.stallA, second, { change_reason: REASON });
    const id = pendingRequestId(db, ids.stallA)!;
    await expect(services.accounts.approvePayeeChange(lead, id)).rejects.toThrow(ForbiddenError);
    await expect(services.accounts.refusePayeeChange(lead, id, { note: 'Tự từ chối' })).rejects.toThrow(ForbiddenError);
    expect(state()).toEqual({ primary: 1, sticker: 'valid', stall: 'qr_verified' });
    expect(auditCount('payee_change.approve')).toBe(0);
    // The table refuses it too, whatever the code does.
    expect(() =>
      db
        .prepare("UPDATE payee_changes SET status = 'approved', decided_by = requested_by, decided_at = ? WHERE id = ?")
        .run('2026-11-20T00:00:00.000Z', id),
    ).toThrow(/CHECK/);
    // Another person may.
    await services.accounts.approvePayeeChange(admin, id);
    expect(state().primary).toBe(second);
  });

  it('when a team lead refuses with a note, then everything stays as it was', async () => {
    const { services, ids, volunteer, lead, state, db, auditCount } = await printedStall();
    const input = { reason: 'suspected_fraud', confirm: 'yes', change_reason: REASON };
    expect(await services.accounts.retireAccount(volunteer, ids.stallA, 1, input)).toBe('requested');
    const id = pendingRequestId(db, ids.stallA)!;
    expect(db.prepare('SELECT kind, retire_reason FROM payee_changes').get()).toEqual({
      kind: 'retire_primary',
      retire_reason: 'suspected_fraud',
    });
    await expect(services.accounts.refusePayeeChange(lead, id, { note: '' })).rejects.toThrow(ValidationError);
    expect(pendingRequestId(db, ids.stallA)).toBe(id);
    await services.accounts.refusePayeeChange(lead, id, { note: 'Đã gọi chủ sạp: không đổi tài khoản' });
    expect(state()).toEqual({ primary: 1, sticker: 'valid', stall: 'qr_verified' });
    expect(db.prepare('SELECT retired_at FROM stall_accounts WHERE id = 1').pluck().get()).toBeNull();
    expect(db.prepare('SELECT status, decision_note FROM payee_changes').get()).toEqual({
      status: 'refused',
      decision_note: 'Đã gọi chủ sạp: không đổi tài khoản',
    });
    const refused = db.prepare("SELECT changes FROM audit_log WHERE action = 'payee_change.refuse'").pluck().get();
    expect(JSON.parse(refused as string)).toEqual({
      request_status: { before: 'pending', after: 'refused' },
      decision_note: { changed: true },
    });
    expect(auditCount('account.retire')).toBe(0);
  });

  it('when a retirement leaves no primary, then an added account is a request, never printed', async () => {
    const { services, ids, volunteer, lead, admin, db } = await printedStall();
    await services.accounts.retireAccount(volunteer, ids.stallA, 1, {
      reason: 'account_closed',
      confirm: 'yes',
      change_reason: REASON,
    });
    await services.accounts.approvePayeeChange(lead, pendingRequestId(db, ids.stallA)!);
    expect(db.prepare('SELECT status FROM stickers WHERE account_id = 1').pluck().get()).toBe('revoked');
    expect(db.prepare('SELECT status FROM stalls WHERE id = ?').pluck().get(ids.stallA)).toBe('has_account');
    const third = { bank_bin: '970422', account_number: '9704220000777', holder_name: 'NGUYEN THI KIM DUNG' };
    await expect(services.accounts.addAccount(volunteer, ids.stallA, third, undefined)).rejects.toThrow(
      ValidationError,
    );
    const added = await services.accounts.addAccount(
      volunteer,
      ids.stallA,
      { ...third, change_reason: REASON },
      undefined,
    );
    await services.accounts.checkName(volunteer, ids.stallA, added, { name_seen: third.holder_name });
    expect(db.prepare('SELECT is_primary FROM stall_accounts WHERE id = ?').pluck().get(added)).toBe(0);
    expect(
      db.prepare('SELECT kind, account_id, from_account_id FROM payee_changes WHERE status = ?').get('pending'),
    ).toEqual({ kind: 'add_primary', account_id: added, from_account_id: null });
    // Only an approved primary is printed: the stall has none yet.
    await expect(services.stickers.forStall(admin, ids.stallA, 'a6')).rejects.toThrow(ValidationError);
    const site = db.prepare('SELECT site_id FROM stalls WHERE id = ?').pluck().get(ids.stallA) as number;
    await expect(services.stickers.forSite(admin, site, 'a6', 'verified')).rejects.toThrow(ValidationError);
    expect(db.prepare('SELECT count(*) FROM stickers WHERE account_id = ?').pluck().get(added)).toBe(0);
    // Refused: the account added only for the request is retired, so no unapproved account lingers.
    await services.accounts.refusePayeeChange(lead, pendingRequestId(db, ids.stallA)!, { note: 'Sai chủ tài khoản' });
    expect(db.prepare('SELECT retired_reason, is_primary FROM stall_accounts WHERE id = ?').get(added)).toEqual({
      retired_reason: 'other',
      is_primary: 0,
    });
  });

  it('when an add_primary is approved, then the account becomes primary and the stall counts again', async () => {
    const { services, ids, volunteer, lead, db } = await printedStall();
    await services.accounts.retireAccount(volunteer, ids.stallA, 1, {
      reason: 'account_closed',
      confirm: 'yes',
      change_reason: REASON,
    });
    await services.accounts.approvePayeeChange(lead, pendingRequestId(db, ids.stallA)!);
    const third = { bank_bin: '970422', account_number: '9704220000777', holder_name: 'NGUYEN THI KIM DUNG' };
    const added = await services.accounts.addAccount(
      volunteer,
      ids.stallA,
      { ...third, change_reason: REASON },
      undefined,
    );
    await services.accounts.checkName(volunteer, ids.stallA, added, { name_seen: third.holder_name });
    expect(db.prepare('SELECT status FROM stalls WHERE id = ?').pluck().get(ids.stallA)).toBe('has_account');
    await services.accounts.approvePayeeChange(lead, pendingRequestId(db, ids.stallA)!);
    expect(db.prepare('SELECT is_primary FROM stall_accounts WHERE id = ?').pluck().get(added)).toBe(1);
    expect(db.prepare('SELECT status FROM stalls WHERE id = ?').pluck().get(ids.stallA)).toBe('qr_verified');
  });

  it('when the decider is outside the reach, then it is a missing request (404); a volunteer gets 403', async () => {
    const { services, ids, second, volunteer, leadB, actor, state, db } = await printedStall();
    await services.accounts.setPrimary(volunteer, ids.stallA, second, { change_reason: REASON });
    const id = pendingRequestId(db, ids.stallA)!;
    const outside = await services.accounts.approvePayeeChange(leadB, id).catch((error: unknown) => error);
    const missing = await services.accounts.approvePayeeChange(leadB, 999).catch((error: unknown) => error);
    expect(outside).toBeInstanceOf(NotFoundError);
    expect((outside as Error).message).toBe((missing as Error).message);
    await expect(services.accounts.refusePayeeChange(leadB, id, { note: 'x' })).rejects.toThrow(NotFoundError);
    await expect(services.accounts.cancelPayeeChange(leadB, id)).rejects.toThrow(NotFoundError);
    const otherVolunteer = await actor('tnv.a2', 'volunteer', communeReach(COMMUNE_A));
    await expect(services.accounts.approvePayeeChange(otherVolunteer, id)).rejects.toThrow(ForbiddenError);
    await expect(services.accounts.cancelPayeeChange(otherVolunteer, id)).rejects.toThrow(ForbiddenError);
    expect(state()).toEqual({ primary: 1, sticker: 'valid', stall: 'qr_verified' });
    expect(pendingRequestId(db, ids.stallA)).toBe(id);
    // The requester may withdraw it: nothing changes.
    await services.accounts.cancelPayeeChange(volunteer, id);
    expect(db.prepare('SELECT status, decided_by FROM payee_changes').get()).toEqual({
      status: 'cancelled',
      decided_by: volunteer.id,
    });
    expect(state()).toEqual({ primary: 1, sticker: 'valid', stall: 'qr_verified' });
  });

  it('when an approval fails inside its transaction, then neither the change nor any audit row is kept', async () => {
    const { services, ids, second, volunteer, lead, state, db } = await printedStall();
    await services.accounts.setPrimary(volunteer, ids.stallA, second, { change_reason: REASON });
    const id = pendingRequestId(db, ids.stallA)!;
    const lastAudit = () => db.prepare('SELECT max(id) FROM audit_log').pluck().get();
    const mark = lastAudit();
    // The account was retired behind the app's back: the approval closes the request, then finds it and throws.
    db.prepare("UPDATE stall_accounts SET retired_at = '2026-11-20T00:00:00.000Z' WHERE id = ?").run(second);
    await expect(services.accounts.approvePayeeChange(lead, id)).rejects.toThrow(/đã ngừng dùng/);
    expect(pendingRequestId(db, ids.stallA)).toBe(id);
    expect(lastAudit()).toBe(mark);
    expect(state()).toEqual({ primary: 1, sticker: 'valid', stall: 'qr_verified' });
  });

  it('when no sticker was ever printed, then the volunteer changes the primary alone', async () => {
    const context = await registryOfTwoCommunes();
    const { services, admin, actor, ids, db } = context;
    const volunteer = await actor('tnv.a', 'volunteer', communeReach(COMMUNE_A));
    const second = await services.accounts.addAccount(admin, ids.stallA, OTHER_ACCOUNT, undefined);
    expect(await services.accounts.setPrimary(volunteer, ids.stallA, second)).toBe('done');
    expect(db.prepare('SELECT is_primary FROM stall_accounts WHERE id = ?').pluck().get(second)).toBe(1);
    expect(db.prepare('SELECT count(*) FROM payee_changes').pluck().get()).toBe(0);
  });

  it('when a stall is installed without a printed sticker, then its primary changes by request too', async () => {
    const context = await registryOfTwoCommunes();
    const { services, admin, actor, ids, db } = context;
    await services.stalls.markInstalled(admin, ids.stallA);
    const volunteer = await actor('tnv.a', 'volunteer', communeReach(COMMUNE_A));
    const second = await services.accounts.addAccount(admin, ids.stallA, OTHER_ACCOUNT, undefined);
    const done = await services.accounts.setPrimary(volunteer, ids.stallA, second, { change_reason: REASON });
    expect(done).toBe('requested');
    expect(db.prepare('SELECT status FROM stalls WHERE id = ?').pluck().get(ids.stallA)).toBe('installed');
  });
});

describe('the work list', () => {
  it('when a team lead opens /work, then the requests of their reach show with Duyệt and Từ chối', async () => {
    const context = await printedStall();
    const { services, ids, second, volunteer, db } = context;
    await services.accounts.setPrimary(volunteer, ids.stallA, second, { change_reason: REASON });
    const leadA = await context.loginAs('team_lead', 'totruong.web', communeReach(COMMUNE_A));
    const page = await leadA.agent.get('/work').expect(200);
    expect(page.text).toContain('Việc cần xử lý');
    expect(page.text).toContain('Tạp hóa Kim Dung');
    expect(page.text).toContain('•••• 3456');
    expect(page.text).toContain('•••• 1222');
    expect(page.text).toContain(REASON);
    expect(page.text).toContain('>Duyệt</button>');
    expect(page.text).not.toContain('12010000123456');
    expect(page.text).toMatch(/data-work-count>1</);
    const leadB = await context.loginAs('team_lead', 'totruong.web.b', communeReach(COMMUNE_B));
    const pageB = await leadB.agent.get('/work').expect(200);
    expect(pageB.text).not.toContain('Tạp hóa Kim Dung');
    expect(pageB.text).toContain('Không có yêu cầu nào đang chờ duyệt.');
    const web = await context.loginAs('volunteer', 'tnv.web', communeReach(COMMUNE_A));
    const refused = await web.agent.get('/work').expect(403);
    expect(refused.text).toContain('Chỉ tổ trưởng và quản trị viên có danh sách việc cần xử lý.');
    // Refusing without a note draws the work list again with the message beside the form.
    const id = pendingRequestId(db, ids.stallA)!;
    const noNote = await leadA.agent
      .post(`/work/payee-changes/${id}/refuse`)
      .type('form')
      .send({ _csrf: leadA.csrf, note: '' })
      .expect(400);
    expect(noNote.text).toContain('Ghi lý do từ chối để người gửi yêu cầu biết.');
    expect(noNote.text).toMatch(/<details class="refuse" open>/);
    // The stall's page shows the request to whoever opens it, with the decisions for a lead.
    const stallPage = await leadA.agent.get(`/stalls/${ids.stallA}`).expect(200);
    expect(stallPage.text).toContain('Đang chờ duyệt:');
    expect(stallPage.text).toContain('>Duyệt</button>');
    await approveAsLead(context, ids.stallA, 'totruong.web2', communeReach(COMMUNE_A));
    expect(db.prepare('SELECT status FROM payee_changes').pluck().get()).toBe('approved');
    const after = await leadA.agent.get('/work').expect(200);
    expect(after.text).not.toMatch(/data-work-count/);
    // The stall's history names the request and its approval, the reason only as changed.
    const history = await leadA.agent.get(`/stalls/${ids.stallA}`).expect(200);
    expect(history.text).toContain('Yêu cầu đổi tài khoản nhận tiền');
    expect(history.text).toContain('Duyệt đổi tài khoản nhận tiền');
    expect(history.text).toContain('Lý do: đã thay đổi');
    expect(history.text).not.toContain(REASON);
  });
});

describe('pending payee changes in data quality', () => {
  it('when a request waits, then data quality lists it in scope, today and on the past days it waited', async () => {
    const { services, ids, second, volunteer, lead, leadB, clock, db } = await printedStall();
    const province = { kind: 'province', code: '52' } as const;
    const quality = (actor: typeof lead, asOf: string, scope: Parameters<typeof services.adoption.dataQuality>[1]) =>
      services.adoption.dataQuality(actor.reach, scope, asOf);
    await services.accounts.setPrimary(volunteer, ids.stallA, second, { change_reason: REASON });
    // Asked on 22/11 (Vietnam time); decided two days later.
    const today = await quality(lead, '2026-11-22', { kind: 'all' });
    expect(today.pendingPayeeChanges).toEqual({
      count: 1,
      stalls: [
        expect.objectContaining({
          stallId: ids.stallA,
          label: 'Sạp 1',
          siteName: 'Chợ Hoa Lư',
          kind: 'set_primary',
          requestedAt: '2026-11-22T03:00:00.000Z',
        }),
      ],
    });
    // A team lead of the other commune neither counts nor sees it.
    expect((await quality(leadB, '2026-11-22', { kind: 'all' })).pendingPayeeChanges).toEqual({ count: 0, stalls: [] });
    expect((await quality(lead, '2026-11-21', { kind: 'all' })).pendingPayeeChanges.count).toBe(0);
    clock.advance(2 * 24 * 3600_000);
    await services.accounts.approvePayeeChange(lead, pendingRequestId(db, ids.stallA)!);
    expect((await quality(lead, '2026-11-24', { kind: 'all' })).pendingPayeeChanges.count).toBe(0);
    // On the days it waited, it still counts: past figures do not change.
    expect((await quality(lead, '2026-11-23', { kind: 'all' })).pendingPayeeChanges.count).toBe(1);
    const admin = { ...lead, reach: WHOLE_COUNTRY };
    for (const asOf of ['2026-11-21', '2026-11-22', '2026-11-23', '2026-11-24']) {
      expect(await quality(admin, asOf, province)).toEqual(
        naiveDataQuality(loadRaw(db), WHOLE_COUNTRY, province, asOf),
      );
    }
  });

  it('when the quality page is opened, then the check shows with its stall', async () => {
    const context = await printedStall();
    const { services, ids, second, volunteer } = context;
    await services.accounts.setPrimary(volunteer, ids.stallA, second, { change_reason: REASON });
    const leader = await context.loginAs('leader', 'lanhdao.web');
    const page = await leader.agent.get('/dashboard/quality?scope=province:52&asOf=2026-11-22').expect(200);
    expect(page.text).toContain('Yêu cầu đổi tài khoản nhận tiền đang chờ duyệt: 1');
    expect(page.text).toContain('Sạp 1');
    expect(page.text).toContain('đổi tài khoản chính, gửi');
    expect(page.text).not.toContain(REASON);
  });
});
