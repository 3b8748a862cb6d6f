import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, logIn, screenshot, startBrowserHarness, type BrowserHarness } from './browser-harness.js';

let harness: BrowserHarness;

beforeAll(async () => {
  harness = await startBrowserHarness();
  // The demo team lead's password is random; give them the admin's, so the test can log in as them.
  harness.giveAdminPassword('totruong.hoalu');
});

afterAll(async () => {
  await harness?.close();
});

describe('a customer reports a sticker on a phone (390×844)', () => {
  it('when a customer reports a Chợ Hoa Lư sticker, then the lead of Hoa Lư lists it and closes it', async () => {
    // A sticker of a Chợ Hoa Lư stall, as printing issues one (the demo prints none).
    const stall = harness.db
      .prepare(
        `SELECT st.id AS stall, a.id AS account FROM stalls st JOIN sites si ON si.id = st.site_id
           JOIN stall_accounts a ON a.stall_id = st.id AND a.is_primary = 1
          WHERE si.name = 'Chợ Hoa Lư' ORDER BY st.id LIMIT 1`,
      )
      .get() as { stall: number; account: number };
    const sticker = { code: 'HOALU234', serial: '52-23575-900001' };
    harness.db
      .prepare(
        `INSERT INTO stickers (serial, commune_code, sequence, verification_code, stall_id, account_id, payload,
                               created_at)
         VALUES (?, '23575', 900001, ?, ?, ?, 'payload', ?)`,
      )
      .run(sticker.serial, sticker.code, stall.stall, stall.account, new Date().toISOString());

    // The customer, not logged in.
    const customer = await harness.newPhonePage();
    const page = customer.page;
    await page.goto(`/v/${sticker.code}`);
    await page.getByRole('link', { name: 'Báo mã đáng ngờ' }).click();
    await page.getByRole('button', { name: 'Gửi báo cáo' }).waitFor();
    await page.getByLabel('Tên người nhận khác tên trên mã').check();
    await page.getByLabel('Số điện thoại của bạn').fill('0905 12');
    await page.getByLabel('Mô tả thêm').fill('Quét ra tên TRAN VAN LA');
    await page.locator('#report').scrollIntoViewIfNeeded();
    await screenshot(page, 'sticker-report-form-phone');
    await page.getByRole('button', { name: 'Gửi báo cáo' }).click();
    await page.getByText('Số điện thoại không đúng').waitFor();
    // What was typed is still there.
    expect(await page.getByLabel('Mô tả thêm').inputValue()).toBe('Quét ra tên TRAN VAN LA');
    expect(await page.getByLabel('Tên người nhận khác tên trên mã').isChecked()).toBe(true);
    await page.locator('#f-phone').scrollIntoViewIfNeeded();
    await screenshot(page, 'sticker-report-error-phone');
    await page.getByLabel('Số điện thoại của bạn').fill('0905 123 456');
    await page.getByRole('button', { name: 'Gửi báo cáo' }).click();
    await page.getByText('Cảm ơn bạn đã báo').waitFor();
    await screenshot(page, 'sticker-report-thanks-phone');
    await customer.context.close();

    const lead = await harness.newPhonePage();
    await logIn(lead.page, 'totruong.hoalu', ADMIN_PASSWORD);
    await lead.page.goto('/work/sticker-reports');
    const item = lead.page.locator('li[data-report-id]', { hasText: sticker.serial });
    await item.waitFor();
    expect(await item.innerText()).toContain('Quét ra tên TRAN VAN LA');
    expect(await item.innerText()).toContain('0905123456');
    await item.locator('summary').click();
    await screenshot(lead.page, 'sticker-reports-list-phone', true);
    await item.getByLabel('Kết quả').selectOption('sticker_fixed');
    await item.getByRole('button', { name: 'Đóng báo cáo' }).click();
    await lead.page.getByText('Đã đóng báo cáo.').waitFor();
    expect(await lead.page.locator(`li[data-report-id]`, { hasText: sticker.serial }).count()).toBe(0);
    await lead.context.close();
  });
});
