import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, logIn, screenshot, startBrowserHarness, type BrowserHarness } from './browser-harness.js';

let harness: BrowserHarness;

beforeAll(async () => {
  harness = await startBrowserHarness();
  // The demo users' passwords are random; give two of them the admin's, so the test can log in as them.
  harness.giveAdminPassword('tnv.hoalu1', 'xem.gialai');
});

afterAll(async () => {
  await harness?.close();
});

interface StallWithAccount {
  id: number;
  owner_name: string;
  phone: string | null;
  account_number: string;
}

/** A stall of the demo site with an owner name, a phone and an active primary account. */
function stallOf(siteName: string): StallWithAccount {
  return harness.db
    .prepare(
      `SELECT st.id, st.owner_name, st.phone, a.account_number
         FROM stalls st JOIN sites si ON si.id = st.site_id
         JOIN stall_accounts a ON a.stall_id = st.id AND a.is_primary = 1 AND a.retired_at IS NULL
        WHERE si.name = ? AND st.owner_name <> '' AND st.phone IS NOT NULL
        ORDER BY st.id LIMIT 1`,
    )
    .get(siteName) as StallWithAccount;
}

describe('reach and personal data on a phone (390×844)', () => {
  it('when a Pleiku volunteer opens a Chư Prông stall, then it is not found; their own shows in full', async () => {
    const { context, page } = await harness.newPhonePage();
    await logIn(page, 'tnv.hoalu1', ADMIN_PASSWORD);
    const elsewhere = stallOf('Trung tâm thương mại xã Chư Prông');
    const response = await page.goto(`/stalls/${elsewhere.id}`);
    expect(response?.status()).toBe(404);
    const text = await page.locator('body').innerText();
    expect(text).toContain('Không tìm thấy sạp này.');
    expect(text).not.toContain(elsewhere.owner_name);
    await screenshot(page, 'reach-other-commune-404-phone');

    const own = stallOf('Chợ Hoa Lư');
    expect((await page.goto(`/stalls/${own.id}`))?.status()).toBe(200);
    expect(await page.locator('body').innerText()).toContain(own.owner_name);
    await context.close();
  });

  it('when a viewer opens a stall, then the account is masked; no phone, owner or payment code shows', async () => {
    const { context, page } = await harness.newPhonePage();
    await logIn(page, 'xem.gialai', ADMIN_PASSWORD);
    const stall = stallOf('Chợ Hoa Lư');
    expect((await page.goto(`/stalls/${stall.id}`))?.status()).toBe(200);
    const text = await page.locator('body').innerText();
    expect(text).toContain(`•••• ${stall.account_number.slice(-4)}`);
    expect(text.replace(/\s/g, '')).not.toContain(stall.account_number);
    expect(text).not.toContain(stall.owner_name);
    expect(text.replace(/\s/g, '')).not.toContain(stall.phone!);
    // No form to change the stall, and no QR of the trader's account.
    expect(await page.locator('main form').count()).toBe(0);
    expect(await page.locator('img[src^="data:image"], svg[data-qr]').count()).toBe(0);
    await screenshot(page, 'reach-viewer-masked-phone', true);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await context.close();
  });

  it('when a volunteer logs out and presses Back, then no trader data shows', async () => {
    const { context, page } = await harness.newPhonePage();
    await logIn(page, 'tnv.hoalu1', ADMIN_PASSWORD);
    const stall = stallOf('Chợ Hoa Lư');
    await page.goto(`/stalls/${stall.id}`);
    expect(await page.locator('body').innerText()).toContain(stall.owner_name);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Đăng xuất' }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/login'));
    await page.goBack();
    await page.waitForLoadState('load');
    const text = await page.locator('body').innerText();
    expect(text).not.toContain(stall.owner_name);
    expect(new URL(page.url()).pathname).toBe('/login');
    await screenshot(page, 'reach-back-after-logout-phone');
    await context.close();
  });
});
