import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { testConfig } from '../../src/config.js';
import { hashPassword } from '../../src/users/password.js';
import { logIn, screenshot, startBrowserHarness, type BrowserHarness } from './browser-harness.js';

// User A is the admin, user B a demo volunteer of the same market (commune 23575), both on one phone.
const VOLUNTEER = 'tnv.hoalu1';
const VOLUNTEER_PASSWORD = 'mat-khau-tinh-nguyen-vien';

let harness: BrowserHarness;
let siteId: number;
let adminId: number;
let stall: { id: number; owner_name: string };

beforeAll(async () => {
  harness = await startBrowserHarness();
  const { db } = harness;
  siteId = (db.prepare("SELECT id FROM sites WHERE name = 'Chợ Hoa Lư'").get() as { id: number }).id;
  adminId = (db.prepare("SELECT id FROM users WHERE username = 'admin'").get() as { id: number }).id;
  stall = db
    .prepare("SELECT id, owner_name FROM stalls WHERE site_id = ? AND owner_name <> '' ORDER BY id LIMIT 1")
    .get(siteId) as { id: number; owner_name: string };
  // The demo's passwords are random: give the volunteer a known one.
  db.prepare('UPDATE users SET password_hash = ?, must_change_password = 0 WHERE username = ?').run(
    await hashPassword(VOLUNTEER_PASSWORD, testConfig().passwordHashCost),
    VOLUNTEER,
  );
});

afterAll(async () => {
  await harness?.close();
});

const draftKeyOf = (userId: number) => `phoqr-draft:user-${userId}:onboard-site-${siteId}`;

function draftKeys(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Object.keys(localStorage)
      .filter((key) => key.startsWith('phoqr-draft:'))
      .sort(),
  );
}

/** User A starts a stall at Chợ Hoa Lư and leaves it half done: the draft is on the phone. */
async function startDraft(page: Page, label: string) {
  await page.goto(`/onboard/sites/${siteId}`);
  await page.getByLabel('Số sạp / ki-ốt / số nhà').fill(label);
  await page.getByLabel('Họ tên chủ sạp').fill('Đặng Thị Nháp');
  await page.getByText(/Đã lưu nháp trên máy lúc/).waitFor();
}

/**
 * Logout as a browser that does not honour Clear-Site-Data (plain HTTP, Safari before 17) sees it: what is left
 * on the phone is then logout.js's doing. Chromium on 127.0.0.1 (a secure context) would otherwise clear all of
 * the origin's localStorage, every user's drafts included.
 */
async function ignoreClearSiteData(page: Page): Promise<{ logouts: number }> {
  const seen = { logouts: 0 };
  await page.route('**/logout', async (route) => {
    seen.logouts += 1;
    const response = await route.fetch({ maxRedirects: 0 });
    const headers = { ...response.headers() };
    delete headers['clear-site-data'];
    await route.fulfill({ response, headers });
  });
  return seen;
}

async function expectEmptyForm(page: Page) {
  await page.goto(`/onboard/sites/${siteId}`);
  await page.getByText(/Bản nháp được lưu trên máy này khi bạn nhập/).waitFor();
  expect(await page.getByLabel('Số sạp / ki-ốt / số nhà').inputValue()).toBe('');
  expect(await page.getByLabel('Họ tên chủ sạp').inputValue()).toBe('');
  expect(await page.locator('body').innerText()).not.toContain('Đã khôi phục bản nháp');
}

describe('logging out on a shared phone (390×844)', () => {
  it(
    'when A logs out with an unsaved draft, then A is asked first, the draft is gone for B, ' +
      'and Back after logout shows the login, not the trader',
    async () => {
      const { context, page } = await harness.newPhonePage();
      await logIn(page);
      await startDraft(page, 'Sạp N1');
      expect(await draftKeys(page)).toEqual([draftKeyOf(adminId)]);
      // The last page A saw holds a trader's personal data.
      await page.goto(`/stalls/${stall.id}`);
      expect(await page.locator('body').innerText()).toContain(stall.owner_name);

      const dialogs: string[] = [];
      page.once('dialog', async (dialog) => {
        dialogs.push(dialog.message());
        await dialog.accept();
      });
      await page.getByRole('button', { name: 'Đăng xuất' }).click();
      await page.waitForURL(/\/login$/);
      expect(dialogs).toHaveLength(1);
      expect(dialogs[0]).toMatch(
        /^Bạn còn một phiếu chưa lưu: Thêm sạp · Chợ Hoa Lư — Sạp N1 \(nháp lúc \d\d:\d\d\)\. Đăng xuất sẽ xóa phiếu này trên máy\. Vẫn đăng xuất\?$/,
      );
      expect(await draftKeys(page)).toEqual([]);

      // Back: the stall page is asked for again (no-store) and the server answers with the login.
      await page.goBack();
      const back = await page.locator('body').innerText();
      expect(back).not.toContain(stall.owner_name);
      expect(back).toContain('Đăng nhập');
      expect(new URL(page.url()).pathname).toBe('/login');
      await screenshot(page, 'logout-back-shows-login-phone');

      await logIn(page, VOLUNTEER, VOLUNTEER_PASSWORD);
      await expectEmptyForm(page);
      await screenshot(page, 'logout-next-user-empty-form-phone');
      await context.close();
    },
  );

  it(
    'when the browser ignores Clear-Site-Data, then logout.js itself removes A’s drafts and unkeyed ones, ' +
      'keeps other users’ drafts, and a cancelled logout keeps everything',
    async () => {
      const { context, page } = await harness.newPhonePage();
      await logIn(page);
      await startDraft(page, 'Sạp N2');
      const othersKey = 'phoqr-draft:user-999999:onboard-site-1';
      await page.evaluate((key) => {
        localStorage.setItem(key, JSON.stringify({ at: new Date().toISOString(), values: {}, filled: true }));
        localStorage.setItem(
          'phoqr-draft:onboard-site-1',
          JSON.stringify({ at: new Date().toISOString(), values: {} }),
        );
      }, othersKey);
      const seen = await ignoreClearSiteData(page);

      page.once('dialog', (dialog) => dialog.dismiss());
      await page.getByRole('button', { name: 'Đăng xuất' }).click();
      await page.getByLabel('Số sạp / ki-ốt / số nhà').waitFor();
      expect(new URL(page.url()).pathname).toBe(`/onboard/sites/${siteId}`);
      expect(await draftKeys(page)).toEqual([othersKey, 'phoqr-draft:onboard-site-1', draftKeyOf(adminId)].sort());

      page.once('dialog', (dialog) => dialog.accept());
      await page.getByRole('button', { name: 'Đăng xuất' }).click();
      await page.waitForURL(/\/login$/);
      expect(await draftKeys(page)).toEqual([othersKey]);
      // The cancelled logout sent nothing: one logout request in all.
      expect(seen.logouts).toBe(1);
      await context.close();
    },
  );

  it(
    'when A’s session ends without logout, then B on the same phone gets an empty form, ' +
      'and A gets the draft back at the next login',
    async () => {
      const { context, page } = await harness.newPhonePage();
      await logIn(page);
      await startDraft(page, 'Sạp N3');
      await context.clearCookies();

      await logIn(page, VOLUNTEER, VOLUNTEER_PASSWORD);
      await expectEmptyForm(page);
      expect(await draftKeys(page)).toEqual([draftKeyOf(adminId)]);
      // B has typed nothing: logout asks nothing and leaves A's draft alone.
      await ignoreClearSiteData(page);
      const dialogs: string[] = [];
      page.on('dialog', async (dialog) => {
        dialogs.push(dialog.message());
        await dialog.dismiss();
      });
      await page.getByRole('button', { name: 'Đăng xuất' }).click();
      await page.waitForURL(/\/login$/);
      expect(dialogs).toEqual([]);
      expect(await draftKeys(page)).toEqual([draftKeyOf(adminId)]);

      await logIn(page);
      await page.goto(`/onboard/sites/${siteId}`);
      await page.getByText(/Đã khôi phục bản nháp/).waitFor();
      expect(await page.getByLabel('Số sạp / ki-ốt / số nhà').inputValue()).toBe('Sạp N3');
      await context.close();
    },
  );
});
