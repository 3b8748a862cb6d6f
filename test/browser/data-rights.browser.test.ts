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

describe('the trader’s rights on a phone (390×844)', () => {
  it('when a team lead shows the data held and the consent record, then erases, then the pages say so', async () => {
    const stall = harness.db
      .prepare(
        `SELECT st.id, st.owner_name, st.phone FROM stalls st JOIN sites si ON si.id = st.site_id
          WHERE si.name = 'Chợ Hoa Lư' AND st.owner_name <> '' AND st.phone IS NOT NULL AND st.consent_at IS NOT NULL
            AND EXISTS (SELECT 1 FROM stall_accounts a WHERE a.stall_id = st.id AND a.verified_at IS NOT NULL)
          ORDER BY st.id LIMIT 1`,
      )
      .get() as { id: number; owner_name: string; phone: string };
    const { context, page } = await harness.newPhonePage();
    await logIn(page, 'totruong.hoalu', ADMIN_PASSWORD);
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

    await page.goto(`/stalls/${stall.id}`);
    await page.locator('#rights-heading').scrollIntoViewIfNeeded();
    await page.getByRole('link', { name: 'Dữ liệu đang lưu' }).click();
    await page.waitForURL((url) => url.pathname === `/stalls/${stall.id}/data`);
    const held = await page.locator('main').innerText();
    expect(held).toContain(stall.owner_name);
    expect(held).toContain(stall.phone);
    expect(held).toContain('Nhật ký xử lý dữ liệu');
    await expect.poll(() => page.getByRole('button', { name: 'In' }).isVisible()).toBe(true);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await screenshot(page, 'data-rights-data-phone', true);

    await page.goto(`/stalls/${stall.id}/consent-record`);
    const record = await page.locator('main').innerText();
    expect(record).toContain('Tôi đồng ý cho Đoàn Thanh niên lưu họ tên');
    expect(record).toContain('(đang có hiệu lực)');
    expect(await overflow()).toBeLessThanOrEqual(0);
    await screenshot(page, 'data-rights-consent-record-phone', true);

    await page.goto(`/stalls/${stall.id}`);
    await page.getByText('Xóa dữ liệu cá nhân', { exact: true }).first().click();
    await page.locator('#erase-reason').selectOption('trader_request');
    await page.locator('form[action$="/erase"] input[name="confirm"]').check();
    await page.locator('#rights-heading').scrollIntoViewIfNeeded();
    await screenshot(page, 'data-rights-erase-form-phone');
    await page.getByRole('button', { name: 'Xóa dữ liệu cá nhân' }).click();
    await page.waitForURL((url) => url.searchParams.get('erased') === '1');
    const after = await page.locator('main').innerText();
    expect(after).toContain('Đã xóa dữ liệu cá nhân của sạp');
    expect(after).not.toContain(stall.owner_name);
    expect(after).not.toContain(stall.phone);

    await page.goto(`/stalls/${stall.id}/data`);
    const erased = await page.locator('main').innerText();
    expect(erased).toContain('Dữ liệu cá nhân của sạp đã được xóa lúc');
    expect(erased).not.toContain(stall.owner_name);
    expect(erased).toContain('(số tài khoản đã xóa)');
    expect(await overflow()).toBeLessThanOrEqual(0);
    await screenshot(page, 'data-rights-data-erased-phone', true);
    await context.close();
  });
});
