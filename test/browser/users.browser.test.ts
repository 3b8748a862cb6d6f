import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, logIn, screenshot, startBrowserHarness, type BrowserHarness } from './browser-harness.js';

let harness: BrowserHarness;
let dir: string;

beforeAll(async () => {
  harness = await startBrowserHarness();
  dir = mkdtempSync(path.join(os.tmpdir(), 'phoqr-users-'));
  // The demo team lead's password is random; give them the admin's so the test can log in.
  harness.giveAdminPassword('totruong.hoalu');
});

afterAll(async () => {
  await harness?.close();
  rmSync(dir, { recursive: true, force: true });
});

const LIST =
  'Tên đăng nhập;Họ tên;Số điện thoại;Phạm vi\n' +
  'tnv.hoalu7;Nguyễn Thị Bảy;0905 777 111;commune:23575\n' +
  'tnv.hoalu8;Trần Văn Tám;;Phường Pleiku\n';

describe('users on a phone (390×844)', () => {
  it('when a team lead uploads a list, then one-time password slips print; each must be changed', async () => {
    const file = path.join(dir, 'tinh-nguyen-vien.csv');
    writeFileSync(file, LIST);
    const { context, page } = await harness.newPhonePage();
    await logIn(page, 'totruong.hoalu', ADMIN_PASSWORD);
    await page.getByRole('link', { name: 'Người dùng' }).click();
    await page.getByRole('link', { name: 'Thêm từ danh sách' }).click();
    await page.getByLabel('Tệp danh sách (CSV hoặc XLSX)').setInputFiles(file);
    await page.getByRole('button', { name: 'Xem trước' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Xem trước danh sách');
    await screenshot(page, 'users-import-preview-phone', true);
    // Nothing is saved before the confirmation.
    const count = () => harness.db.prepare("SELECT count(*) FROM users WHERE username LIKE 'tnv.hoalu_'").pluck().get();
    expect(harness.db.prepare("SELECT count(*) FROM users WHERE username = 'tnv.hoalu7'").pluck().get()).toBe(0);

    await page.getByRole('button', { name: 'Tạo 2 tài khoản' }).click();
    await expect.poll(() => page.locator('h1').first().textContent()).toBe('Đã tạo 2 tài khoản');
    const slips = page.locator('.slip');
    expect(await slips.count()).toBe(2);
    const password = (await slips.first().locator('.otp').textContent())!.trim();
    expect(await slips.first().textContent()).toContain('Nguyễn Thị Bảy');
    await screenshot(page, 'users-import-slips-phone', true);
    expect(count()).toBeGreaterThanOrEqual(2);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);

    // The sheet prints on A4 without the navigation.
    await page.emulateMedia({ media: 'print' });
    const pdf = await page.pdf({ format: 'A4' });
    writeFileSync(path.join('test-output', 'users-import-slips.pdf'), pdf);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await context.close();

    // The new volunteer logs in with the slip's password and must choose their own before anything else.
    const next = await harness.newPhonePage();
    await logIn(next.page, 'tnv.hoalu7', password);
    expect(new URL(next.page.url()).pathname).toBe('/account/password');
    await next.page.goto('/sites');
    expect(new URL(next.page.url()).pathname).toBe('/account/password');
    await next.page.getByLabel('Mật khẩu dùng một lần được cấp').fill(password);
    await next.page.getByLabel('Mật khẩu mới', { exact: true }).fill('cho hoa lu sang nay dong');
    await next.page.getByLabel('Nhập lại mật khẩu mới').fill('cho hoa lu sang nay dong');
    await next.page.getByRole('button', { name: 'Đổi mật khẩu' }).click();
    await next.page.goto('/sites');
    expect(new URL(next.page.url()).pathname).toBe('/sites');
    const sites = await next.page.locator('main').innerText();
    expect(sites).toContain('Chợ Hoa Lư');
    expect(sites).not.toContain('Chư Prông');
    await screenshot(next.page, 'users-new-volunteer-sites-phone');
    await next.context.close();
  });
});
