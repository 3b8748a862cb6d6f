import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { testConfig } from '../../src/config.js';
import { hashPassword } from '../../src/users/password.js';
import { encode } from '../../src/vietqr/encode.js';
import { qrMatrix } from '../../src/vietqr/qr-matrix.js';
import { onBackground, renderMatrix, rotate, toJpeg } from '../vietqr/helpers/images.js';
import { logIn, screenshot, startBrowserHarness, type BrowserHarness } from './browser-harness.js';

// A demo volunteer of Chợ Hoa Lư (commune 23575) and the admin, on one phone.
const VOLUNTEER = 'tnv.hoalu1';
const VOLUNTEER_PASSWORD = 'mat-khau-tinh-nguyen-vien';

let harness: BrowserHarness;
let siteId: number;

beforeAll(async () => {
  harness = await startBrowserHarness();
  siteId = harness.db.prepare("SELECT id FROM sites WHERE name = 'Chợ Hoa Lư'").pluck().get() as number;
  harness.db
    .prepare('UPDATE users SET password_hash = ?, must_change_password = 0 WHERE username = ?')
    .run(await hashPassword(VOLUNTEER_PASSWORD, testConfig().passwordHashCost), VOLUNTEER);
});

afterAll(async () => {
  await harness?.close();
});

const stallsLabelled = (label: string) =>
  harness.db.prepare('SELECT count(*) FROM stalls WHERE site_id = ? AND label = ?').pluck().get(siteId, label);

/** One online visit to the form: the service worker installs, takes the page, and keeps the empty form. */
async function installOffline(page: Page): Promise<void> {
  await page.goto(`/onboard/sites/${siteId}`);
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve));
    }
  });
  // The first visit came before the worker: this one goes through it and leaves the form in its cache.
  await page.reload();
  await page.waitForFunction(async () => (await caches.keys()).includes('phoqr-forms-v1'));
}

/** The volunteer's phone, logged in, its service worker installed and the site's form cached. */
async function volunteerPhoneReadyOffline() {
  const phone = await harness.newPhonePage({ serviceWorkers: 'allow' });
  await logIn(phone.page, VOLUNTEER, VOLUNTEER_PASSWORD);
  await installOffline(phone.page);
  return phone;
}

/** No signal: the page's network off, and the server unreachable for the service worker's fetches too. */
async function goOffline(context: BrowserContext): Promise<void> {
  await context.setOffline(true);
  harness.setServerReachable(false);
}

async function goOnline(context: BrowserContext): Promise<void> {
  harness.setServerReachable(true);
  await context.setOffline(false);
}

async function queueStall(page: Page, label: string): Promise<void> {
  await page.getByLabel('Số sạp / ki-ốt / số nhà').fill(label);
  await page.getByLabel('Nhóm hàng').selectOption('tap_hoa');
  await page.getByRole('button', { name: 'Lưu và tạo mã QR' }).click();
  await page.getByText(`đã giữ “${label}” trên máy`).waitFor();
}

const queueSummary = (page: Page) => page.locator('[data-queue] > summary');

describe('offline capture at the market (390×844)', () => {
  it(
    'when the form is opened offline and two stalls are submitted, then after a reload and the connection back ' +
      'both are saved once',
    async () => {
      const { context, page } = await volunteerPhoneReadyOffline();

      await goOffline(context);
      const servedBefore = harness.served.length;
      await page.goto(`/onboard/sites/${siteId}`);
      await page.getByRole('heading', { name: 'Thêm sạp · Chợ Hoa Lư' }).waitFor();
      const firstKey = await page.locator('input[name="idempotency_key"]').inputValue();
      await queueStall(page, 'Sạp Mất Sóng 1');
      const secondKey = await page.locator('input[name="idempotency_key"]').inputValue();
      expect(secondKey).not.toBe(firstKey);
      await queueStall(page, 'Sạp Mất Sóng 2');
      await expect.poll(() => queueSummary(page).textContent()).toBe('2 sạp chờ gửi');
      await screenshot(page, 'offline-two-queued-phone');

      await page.reload();
      await expect.poll(() => queueSummary(page).textContent()).toBe('2 sạp chờ gửi');
      // Nothing reached the server while offline: the form and the reload came from the phone.
      expect(harness.served.slice(servedBefore)).toEqual([]);
      expect([stallsLabelled('Sạp Mất Sóng 1'), stallsLabelled('Sạp Mất Sóng 2')]).toEqual([0, 0]);

      await goOnline(context);
      await expect.poll(() => queueSummary(page).textContent(), { timeout: 15_000 }).toBe('2 sạp đã gửi xong');
      await page.reload();
      await queueSummary(page).click();
      await page.getByRole('link', { name: 'Mở sạp' }).first().waitFor();
      expect([stallsLabelled('Sạp Mất Sóng 1'), stallsLabelled('Sạp Mất Sóng 2')]).toEqual([1, 1]);
      // Each was posted once: the reload after saving sent nothing again.
      const posts = harness.served.filter((line) => line === `POST /onboard/sites/${siteId}`);
      expect(posts).toHaveLength(2);
      await screenshot(page, 'offline-two-saved-phone');
      await context.close();
    },
  );

  it(
    'when the volunteer logs out with a queued stall, then they are warned, the stall waits unseen by the next ' +
      'user, and is sent after they log in again',
    async () => {
      const { context, page } = await volunteerPhoneReadyOffline();
      await goOffline(context);
      await page.goto(`/onboard/sites/${siteId}`);
      await queueStall(page, 'Sạp Chờ Đăng Nhập');
      // Back online, but the sends fail (a dead line that still looks alive): the stall stays queued.
      await context.route('**/onboard/sites/*', (route) =>
        route.request().method() === 'POST' ? route.abort('internetdisconnected') : route.continue(),
      );
      await goOnline(context);
      await page.goto('/');
      await expect.poll(() => queueSummary(page).textContent()).toBe('1 sạp chờ gửi');

      const dialogs: string[] = [];
      page.once('dialog', async (dialog) => {
        dialogs.push(dialog.message());
        await dialog.accept();
      });
      await page.getByRole('button', { name: 'Đăng xuất' }).click();
      await page.waitForURL(/\/login$/);
      expect(dialogs[0]).toContain('Bạn còn 1 sạp chờ gửi (Sạp Chờ Đăng Nhập)');
      expect(dialogs[0]).toContain('chỉ được gửi khi bạn đăng nhập lại');
      await context.unroute('**/onboard/sites/*');

      // Another user on the same phone: no badge, no trace of the stall, nothing sent for them.
      await logIn(page);
      await page.goto('/onboard');
      await page.waitForTimeout(500);
      expect(await page.locator('[data-queue]').isHidden()).toBe(true);
      expect(await page.locator('body').innerText()).not.toContain('Sạp Chờ Đăng Nhập');
      expect(stallsLabelled('Sạp Chờ Đăng Nhập')).toBe(0);
      page.once('dialog', (dialog) => dialog.accept());
      await page.getByRole('button', { name: 'Đăng xuất' }).click();
      await page.waitForURL(/\/login$/);

      await logIn(page, VOLUNTEER, VOLUNTEER_PASSWORD);
      await expect.poll(() => queueSummary(page).textContent(), { timeout: 15_000 }).toBe('1 sạp đã gửi xong');
      expect(stallsLabelled('Sạp Chờ Đăng Nhập')).toBe(1);
      const creator = harness.db
        .prepare('SELECT u.username FROM stalls s JOIN users u ON u.id = s.created_by WHERE s.label = ?')
        .pluck()
        .get('Sạp Chờ Đăng Nhập');
      expect(creator).toBe(VOLUNTEER);
      await context.close();
    },
  );

  it('when the session expired while offline, then the stall waits and is sent after logging in again', async () => {
    const { context, page } = await volunteerPhoneReadyOffline();
    await goOffline(context);
    await page.goto(`/onboard/sites/${siteId}`);
    await queueStall(page, 'Sạp Hết Phiên');
    harness.db.prepare('DELETE FROM sessions').run();
    await goOnline(context);
    await expect.poll(() => page.locator('[data-queue]').textContent()).toContain('Phiên đăng nhập đã hết hạn');
    expect(stallsLabelled('Sạp Hết Phiên')).toBe(0);

    await logIn(page, VOLUNTEER, VOLUNTEER_PASSWORD);
    await expect.poll(() => queueSummary(page).textContent(), { timeout: 15_000 }).toBe('1 sạp đã gửi xong');
    expect(stallsLabelled('Sạp Hết Phiên')).toBe(1);
    await context.close();
  });

  it(
    'when a queued stall turns out a duplicate, then it opens as its form to fix and is saved as a new ' + 'submit',
    async () => {
      const existing = harness.db
        .prepare('SELECT label FROM stalls WHERE site_id = ? ORDER BY id LIMIT 1')
        .pluck()
        .get(siteId) as string;
      const { context, page } = await volunteerPhoneReadyOffline();
      await goOffline(context);
      await page.goto(`/onboard/sites/${siteId}`);
      await queueStall(page, existing);
      await goOnline(context);
      await expect.poll(() => queueSummary(page).textContent(), { timeout: 15_000 }).toBe('1 sạp cần sửa');
      expect(stallsLabelled(existing)).toBe(1);
      await page.locator('[data-queue] > summary').click();
      await page.getByRole('link', { name: 'Mở phiếu để sửa' }).click();
      await page.getByText('Vẫn lưu: đây là một sạp khác trùng số').waitFor();
      expect(await page.getByLabel('Số sạp / ki-ốt / số nhà').inputValue()).toBe(existing);
      await screenshot(page, 'offline-duplicate-to-fix-phone');
      await page.getByText('Vẫn lưu: đây là một sạp khác trùng số').click();
      await page.getByRole('button', { name: 'Lưu và tạo mã QR' }).click();
      await page.waitForURL(/\/stalls\/\d+/);
      expect(stallsLabelled(existing)).toBe(2);
      expect(await page.locator('[data-queue]').isHidden()).toBe(true);
      await context.close();
    },
  );

  it(
    'when 20 stalls were queued and the slow line returns (400 kbps, 400 ms), then all 20 are saved once ' +
      '(measured)',
    async () => {
      const { context, page } = await volunteerPhoneReadyOffline();
      // The emulated slow line, through the DevTools protocol (playwright's setOffline would reset its throttling).
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.enable');
      const line = { latency: 400, downloadThroughput: 50_000, uploadThroughput: 50_000 };
      await cdp.send('Network.emulateNetworkConditions', { offline: true, ...line });
      harness.setServerReachable(false);
      await page.goto(`/onboard/sites/${siteId}`);
      const labels = Array.from({ length: 20 }, (_, i) => `Sạp Đường Chậm ${i + 1}`);
      for (const label of labels) await queueStall(page, label);
      await expect.poll(() => queueSummary(page).textContent()).toBe('20 sạp chờ gửi');

      const saved = () =>
        harness.db
          .prepare(`SELECT count(*) FROM stalls WHERE site_id = ? AND label LIKE 'Sạp Đường Chậm %'`)
          .pluck()
          .get(siteId) as number;
      harness.setServerReachable(true);
      const started = performance.now();
      await cdp.send('Network.emulateNetworkConditions', { offline: false, ...line });
      while (saved() < 20 && performance.now() - started < 50_000) await new Promise((r) => setTimeout(r, 50));
      const seconds = (performance.now() - started) / 1000;
      console.info(`offline-to-online sync of 20 queued stalls on 400 kbps / 400 ms: ${seconds.toFixed(1)} s`);
      expect(saved()).toBe(20);
      for (const label of labels) expect(stallsLabelled(label)).toBe(1);
      await expect.poll(() => queueSummary(page).textContent(), { timeout: 15_000 }).toBe('20 sạp đã gửi xong');
      await context.close();
    },
    120_000,
  );

  it(
    'when a QR photo is chosen and a code pasted offline, then the form keeps working and both are read once ' + 'sent',
    async () => {
      const { context, page } = await volunteerPhoneReadyOffline();
      await goOffline(context);
      await page.goto(`/onboard/sites/${siteId}`);
      const withAccount = async (label: string, give: () => Promise<void>) => {
        await page.getByLabel('Số sạp / ki-ốt / số nhà').fill(label);
        await page.getByLabel('Họ tên chủ sạp').fill('Lê Thị Mất Sóng');
        await page.getByLabel('Nhóm hàng').selectOption('tap_hoa');
        await give();
        await page.getByText('Chưa đọc được mã (mất kết nối?). Mã sẽ được đọc khi bạn lưu.').waitFor();
        await page.getByLabel('Tên chủ tài khoản (như ứng dụng ngân hàng hiển thị)').fill('Lê Thị Mất Sóng');
        await page.locator('input[name="consent"]').check();
        await page.getByRole('button', { name: 'Lưu và tạo mã QR' }).click();
        await page.getByText(`đã giữ “${label}” trên máy`).waitFor();
      };
      const photo = toJpeg(
        onBackground(
          rotate(renderMatrix(qrMatrix(encode({ bin: '970405', account: '5102205009988' })), 9), 8),
          1000,
          1300,
          200,
          300,
          5,
        ),
        55,
      );
      await withAccount('Sạp Ảnh Mất Sóng', () =>
        page.locator('input[name="qr_photo"]').setInputFiles({ name: 'qr.jpg', mimeType: 'image/jpeg', buffer: photo }),
      );
      await withAccount('Sạp Dán Mất Sóng', async () => {
        await page.locator('textarea[name="qr_text"]').fill(encode({ bin: '970418', account: '12010000998877' }));
        await page.locator('textarea[name="qr_text"]').dispatchEvent('change');
      });
      await expect.poll(() => queueSummary(page).textContent()).toBe('2 sạp chờ gửi');

      await goOnline(context);
      await expect.poll(() => queueSummary(page).textContent(), { timeout: 30_000 }).toBe('2 sạp đã gửi xong');
      const account = (label: string) =>
        harness.db
          .prepare(
            'SELECT a.bin, a.account_number, a.source FROM stall_accounts a JOIN stalls s ON s.id = a.stall_id ' +
              'WHERE s.label = ?',
          )
          .all(label);
      expect(account('Sạp Ảnh Mất Sóng')).toEqual([
        { bin: '970405', account_number: '5102205009988', source: 'photo' },
      ]);
      expect(account('Sạp Dán Mất Sóng')).toEqual([
        { bin: '970418', account_number: '12010000998877', source: 'pasted' },
      ]);
      await context.close();
    },
    90_000,
  );

  it('when the site picker was opened online, then the forms of recent sites open offline', async () => {
    const { context, page } = await harness.newPhonePage({ serviceWorkers: 'allow' });
    await logIn(page, VOLUNTEER, VOLUNTEER_PASSWORD);
    // A site this volunteer worked on, whose form this phone never opened.
    const recent = harness.db
      .prepare(
        'SELECT s.id, s.name FROM visits v JOIN stalls t ON t.id = v.stall_id JOIN sites s ON s.id = t.site_id ' +
          'JOIN users u ON u.id = v.user_id WHERE u.username = ? ORDER BY v.visited_at DESC LIMIT 1',
      )
      .get(VOLUNTEER) as { id: number; name: string };
    await page.goto('/onboard');
    await page.getByRole('link', { name: recent.name }).first().waitFor();
    await page.waitForFunction(async (path) => {
      const cache = await caches.open('phoqr-forms-v1');
      return (await cache.match(path)) !== undefined;
    }, `/onboard/sites/${recent.id}`);
    await goOffline(context);
    await page.goto(`/onboard/sites/${recent.id}`);
    await page.getByRole('heading', { name: `Thêm sạp · ${recent.name}` }).waitFor();
    await goOnline(context);
    await context.close();
  });
});
