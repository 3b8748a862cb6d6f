import { describe, expect, it } from 'vitest';
import { createDemoTestContext } from '../helpers/app.js';
import { approveAsLead } from '../helpers/payee-changes.js';
import { registryOfTwoCommunes } from '../helpers/registry.js';
import { printDelivered } from '../helpers/stickers.js';

/**
 * A demo stall of Chợ Hoa Lư with a verified primary account, whose sticker the volunteer has just printed:
 * retiring that primary is a request a second person approves.
 */
async function stallWithSticker() {
  const context = await createDemoTestContext();
  const row = context.db
    .prepare(
      `SELECT a.stall_id, a.id AS account_id
         FROM stall_accounts a JOIN stalls st ON st.id = a.stall_id JOIN sites si ON si.id = st.site_id
        WHERE si.name = 'Chợ Hoa Lư' AND a.is_primary = 1 AND a.retired_at IS NULL AND a.verified_at IS NOT NULL
        ORDER BY a.id LIMIT 1`,
    )
    .get() as { stall_id: number; account_id: number };
  const volunteer = await context.loginAs('volunteer', 'tnv.ngungdung', [{ kind: 'commune', code: '23575' }]);
  await volunteer.agent
    .post(`/stalls/${row.stall_id}/sticker`)
    .type('form')
    .send({ _csrf: volunteer.csrf, format: 'a6' })
    .expect(200);
  await context.services.stickers.settled();
  const stickerId = context.db
    .prepare("SELECT id FROM stickers WHERE account_id = ? AND status = 'valid'")
    .pluck()
    .get(row.account_id) as number;
  const url = `/stalls/${row.stall_id}/accounts/${row.account_id}/retire`;
  return { ...context, ...volunteer, ...row, sticker_id: stickerId, url };
}

describe('retiring an account', () => {
  it('when no reason or no confirmation is given, then it is a 400 next to the fields; nothing changes', async () => {
    const { agent, csrf, db, url, account_id, sticker_id } = await stallWithSticker();
    const audited = () => db.prepare("SELECT count(*) FROM audit_log WHERE action = 'account.retire'").pluck().get();
    const response = await agent.post(url).type('form').send({ _csrf: csrf, confirm: 'yes' }).expect(400);
    expect(response.text).toContain('Chọn lý do ngừng dùng tài khoản.');
    const unconfirmed = await agent.post(url).type('form').send({ _csrf: csrf, reason: 'new_account' }).expect(400);
    expect(unconfirmed.text).toContain('Đánh dấu ô xác nhận: khi được duyệt, mã QR của tài khoản này bị thu hồi ngay.');
    expect(unconfirmed.text).toContain('ghi lý do đổi tài khoản nhận tiền');
    // The form is open again with the reason kept.
    expect(unconfirmed.text).toMatch(/<details class="retire" open>/);
    expect(unconfirmed.text).toContain('<option value="new_account" selected>');
    await agent.post(url).type('form').send({ _csrf: csrf, reason: 'bất kỳ', confirm: 'yes' }).expect(400);
    expect(db.prepare('SELECT retired_at, retired_reason FROM stall_accounts WHERE id = ?').get(account_id)).toEqual({
      retired_at: null,
      retired_reason: null,
    });
    expect(db.prepare('SELECT status FROM stickers WHERE id = ?').pluck().get(sticker_id)).toBe('valid');
    expect(audited()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM payee_changes').pluck().get()).toBe(0);
  });

  it('when a reason is chosen and confirmed, then the account is retired with it and its sticker revoked', async () => {
    const context = await stallWithSticker();
    const { agent, csrf, db, url, account_id, sticker_id, stall_id } = context;
    const change_reason = 'Mã tại quầy bị dán đè';
    await agent.post(url).type('form').send({ _csrf: csrf, reason: 'suspected_fraud', confirm: 'yes', change_reason });
    expect(db.prepare('SELECT status FROM stickers WHERE id = ?').pluck().get(sticker_id)).toBe('valid');
    await approveAsLead(context, stall_id, 'totruong.ngungdung', [{ kind: 'commune', code: '23575' }]);
    expect(db.prepare('SELECT retired_reason FROM stall_accounts WHERE id = ?').pluck().get(account_id)).toBe(
      'suspected_fraud',
    );
    expect(db.prepare('SELECT status, status_reason FROM stickers WHERE id = ?').get(sticker_id)).toEqual({
      status: 'revoked',
      status_reason: 'Tài khoản đã ngừng dùng: nghi ngờ bị thay mã, gian lận',
    });
    const row = db.prepare("SELECT changes FROM audit_log WHERE action = 'account.retire'").pluck().get() as string;
    expect(JSON.parse(row)).toMatchObject({ retired_reason: { before: null, after: 'suspected_fraud' } });
  });

  it('when no sticker of the stall was ever printed, then the primary is retired at once, unasked', async () => {
    const { services, admin, ids, db } = await registryOfTwoCommunes();
    const result = await services.accounts.retireAccount(admin, ids.stallA, 1, {
      reason: 'wrong_account',
      confirm: 'yes',
    });
    expect(result).toBe('done');
    expect(db.prepare('SELECT retired_reason, is_primary FROM stall_accounts WHERE id = 1').get()).toEqual({
      retired_reason: 'wrong_account',
      is_primary: 0,
    });
    expect(db.prepare('SELECT count(*) FROM payee_changes').pluck().get()).toBe(0);
  });

  it('when a non-primary account of a printed stall is retired, then it is retired at once', async () => {
    const { services, admin, ids, db } = await registryOfTwoCommunes();
    await printDelivered(services.stickers, admin, ids.stallA, 'a6');
    const input = { bank_bin: '970436', account_number: '0071000111222', holder_name: 'NGUYEN THI KIM DUNG' };
    const second = await services.accounts.addAccount(admin, ids.stallA, input, undefined);
    const result = await services.accounts.retireAccount(admin, ids.stallA, second, {
      reason: 'wrong_account',
      confirm: 'yes',
    });
    expect(result).toBe('done');
    expect(db.prepare('SELECT retired_at IS NOT NULL FROM stall_accounts WHERE id = ?').pluck().get(second)).toBe(1);
    expect(db.prepare('SELECT status FROM stickers WHERE account_id = 1').pluck().get()).toBe('valid');
    expect(db.prepare('SELECT count(*) FROM payee_changes').pluck().get()).toBe(0);
  });
});
