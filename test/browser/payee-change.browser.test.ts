import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  logIn,
  screenshot,
  startBrowserHarness,
  type BrowserHarness,
  noSidewaysScroll,
} from './browser-harness.js';

let harness: BrowserHarness;

beforeAll(async () => {
  harness = await startBrowserHarness();
  // The demo volunteer and team lead of Chợ Hoa Lư have random passwords; give them the admin's to log in.
  harness.giveAdminPassword('tnv.hoalu1', 'totruong.hoalu');
});

afterAll(async () => {
  await harness?.close();
});

describe('a payee change with two people on a phone (390×844)', () => {
  it('when a volunteer asks for a new primary and the lead approves, then the old sticker says replaced', async () => {
    // A Hoa Lư stall with one name-checked primary account and no sticker yet.
    const stall = harness.db
      .prepare(
        `SELECT st.id, a.id AS account_id FROM stalls st
           JOIN sites si ON si.id = st.site_id
           JOIN stall_accounts a ON a.stall_id = st.id AND a.is_primary = 1 AND a.verified_at IS NOT NULL
          WHERE si.name = 'Chợ Hoa Lư' AND st.status = 'qr_verified'
            AND (SELECT count(*) FROM stall_accounts b WHERE b.stall_id = st.id AND b.retired_at IS NULL) = 1
          ORDER BY st.id LIMIT 1`,
      )
      .get() as { id: number; account_id: number };

    const { context, page } = await harness.newPhonePage();
    await logIn(page, 'tnv.hoalu1', ADMIN_PASSWORD);
    await page.goto(`/stalls/${stall.id}`);
    // The volunteer prints the sticker: from now on the payee changes only with a second person.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'In mã QR' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.pdf$/);
    // The print counts once the download is whole (its response's 'finish'): wait for the file and the record.
    await download.path();
    await harness.printsSettled();
    const code = harness.db
      .prepare("SELECT verification_code FROM stickers WHERE account_id = ? AND status = 'valid'")
      .pluck()
      .get(stall.account_id) as string;

    // The trader shows a second bank: the volunteer adds it (not primary) and asks to make it the primary.
    await page.goto(`/stalls/${stall.id}`);
    await page.locator('#accounts summary', { hasText: 'Thêm tài khoản' }).click();
    await page.locator('#f-bank_bin').selectOption('970436');
    await page.getByLabel('Số tài khoản hoặc số thẻ').fill('0071000999111');
    await page.getByLabel('Tên chủ tài khoản').fill('NGUYEN THI HOA');
    await page.getByRole('button', { name: 'Lưu tài khoản' }).click();
    await page.waitForURL(/name-check/);
    await page.goto(`/stalls/${stall.id}#accounts`);
    const ask = page.locator('details.request-primary');
    await ask.locator('summary').click();
    await ask.getByRole('button', { name: 'Gửi yêu cầu đổi tài khoản chính' }).click();
    // Without a reason nothing is sent: the form opens again with the message beside the field.
    await ask.getByText('ghi lý do đổi tài khoản nhận tiền').waitFor();
    await screenshot(page, 'payee-change-needs-reason-phone');
    await ask.getByLabel('Lý do đổi tài khoản nhận tiền').fill('Chủ sạp muốn nhận tiền vào Vietcombank');
    await ask.getByRole('button', { name: 'Gửi yêu cầu đổi tài khoản chính' }).click();
    await page.waitForURL(/payee=requested/);
    const pending = page.locator('.pending-change');
    await expect.poll(() => pending.innerText()).toContain('Đang chờ duyệt');
    expect(await pending.innerText()).toContain('•••• 9111');
    await pending.scrollIntoViewIfNeeded();
    await screenshot(page, 'payee-change-requested-phone');
    await noSidewaysScroll(page);

    // Until approved, the sticker on the counter stays valid.
    const verify = await context.newPage();
    await verify.goto(`/v/${code}`);
    await verify.getByText('Mã hợp lệ').waitFor();

    // The team lead finds it on the work list and approves it.
    const { context: leadContext, page: lead } = await harness.newPhonePage();
    await logIn(lead, 'totruong.hoalu', ADMIN_PASSWORD);
    await lead.getByRole('link', { name: /Việc cần xử lý/ }).click();
    await lead.waitForURL(/\/work$/);
    const item = lead.locator(`li:has(a[href="/stalls/${stall.id}#accounts"])`);
    expect(await item.innerText()).toContain('Chủ sạp muốn nhận tiền vào Vietcombank');
    await screenshot(lead, 'payee-change-work-list-phone', true);
    await noSidewaysScroll(lead);
    await item.getByRole('button', { name: 'Duyệt' }).click();
    await lead.waitForURL(/payee=approved/);
    await lead.getByText('Đã duyệt').first().waitFor();
    await screenshot(lead, 'payee-change-approved-phone');
    await leadContext.close();

    await verify.reload();
    await verify.getByText('Mã đã được thay bằng mã mới').waitFor();
    expect((await verify.locator('main').textContent())?.toLowerCase()).toContain('đã được thay');
    await screenshot(verify, 'payee-change-old-sticker-replaced-phone');
    expect(harness.db.prepare('SELECT status, decided_by IS NOT NULL AS decided FROM payee_changes').get()).toEqual({
      status: 'approved',
      decided: 1,
    });
    await context.close();
  });
});
