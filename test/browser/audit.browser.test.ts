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

describe('the audit trail on a phone (390×844)', () => {
  it('when a team lead edits a stall, then its history and the log say so, without the trader’s new name', async () => {
    const stall = harness.db
      .prepare(
        `SELECT st.id, st.owner_name FROM stalls st JOIN sites si ON si.id = st.site_id
          WHERE si.name = 'Chợ Hoa Lư' AND st.owner_name <> '' AND st.consent_at IS NOT NULL ORDER BY st.id LIMIT 1`,
      )
      .get() as { id: number; owner_name: string };
    const { context, page } = await harness.newPhonePage();
    await logIn(page, 'totruong.hoalu', ADMIN_PASSWORD);
    await page.goto(`/stalls/${stall.id}/edit`);
    await page.getByLabel('Họ tên chủ sạp').fill('Phan Thị Đổi Tên');
    await page.getByRole('button', { name: 'Lưu thay đổi' }).click();
    await page.waitForURL((url) => url.pathname === `/stalls/${stall.id}`);

    const history = page.locator('#change-log-heading + *');
    await expect.poll(() => history.innerText()).toContain('Sửa thông tin sạp');
    expect(await history.innerText()).toContain('Họ tên chủ sạp: đã thay đổi');
    expect(await history.innerText()).not.toContain('Phan Thị Đổi Tên');
    await page.locator('#change-log-heading').scrollIntoViewIfNeeded();
    await screenshot(page, 'audit-stall-history-phone');

    await page.getByRole('link', { name: 'Nhật ký' }).click();
    const log = await page.locator('main').innerText();
    expect(log).toContain('Sửa thông tin sạp');
    expect(log).toContain('Xem dữ liệu cá nhân');
    expect(log).not.toContain('Phan Thị Đổi Tên');
    expect(log).not.toContain(stall.owner_name);
    await screenshot(page, 'audit-log-phone', true);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    // Nothing of the names reached the table either.
    const rows = harness.db.prepare('SELECT changes FROM audit_log').pluck().all() as string[];
    expect(rows.join('\n')).not.toMatch(/Phan Thị Đổi Tên/);
    await context.close();
  });
});
