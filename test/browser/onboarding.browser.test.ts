import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { decodeImage } from '../../src/qr-image/decode-image.js';
import { encode } from '../../src/vietqr/encode.js';
import { qrMatrix } from '../../src/vietqr/qr-matrix.js';
import { onBackground, renderMatrix, rotate, toJpeg } from '../vietqr/helpers/images.js';
import { ADMIN_PASSWORD, logIn, screenshot, startBrowserHarness, type BrowserHarness } from './browser-harness.js';

let harness: BrowserHarness;
let siteId: number;

beforeAll(async () => {
  harness = await startBrowserHarness();
  siteId = (harness.db.prepare("SELECT id FROM sites WHERE name = 'Chợ Hoa Lư'").get() as { id: number }).id;
});

afterAll(async () => {
  await harness?.close();
});

function stallsWithLabel(label: string): number {
  return (harness.db.prepare('SELECT count(*) AS n FROM stalls WHERE label = ?').get(label) as { n: number }).n;
}

async function fillStall(page: Page, label: string, phone: string) {
  await page.getByLabel('Số sạp / ki-ốt / số nhà').fill(label);
  await page.getByLabel('Tên cơ sở kinh doanh').fill('Trái cây cô Hạnh');
  await page.getByLabel('Họ tên chủ sạp').fill('Phạm Thị Hồng Hạnh');
  await page.getByLabel('Số điện thoại (không bắt buộc)').fill(phone);
  await page.getByLabel('Nhóm hàng').selectOption('trai_cay');
}

/** From the name check to "installed": type the name the bank app showed, then mark the sticker as up. */
async function verifyAndInstall(page: Page, label: string) {
  await page.waitForURL(/\/name-check/);
  await page.locator('.qr-box svg').waitFor({ state: 'visible' });
  await page.getByLabel('Tên người nhận ứng dụng ngân hàng hiển thị').fill('pham thi hong hanh');
  expect(await page.getByLabel('Tên người nhận ứng dụng ngân hàng hiển thị').inputValue()).toBe('PHAM THI HONG HANH');
  await page.getByRole('button', { name: 'Xác nhận tên' }).click();
  await page.getByText('Tên người nhận khớp').waitFor();
  await page.getByRole('button', { name: 'Đã dán mã tại quầy' }).click();
  await page.getByText('Đã ghi nhận: mã QR đã dán tại quầy.').waitFor();
  const status = harness.db.prepare('SELECT status FROM stalls WHERE label = ?').get(label);
  expect(status).toEqual({ status: 'installed' });
}

describe('onboarding a stall on a phone (390×844)', () => {
  it(
    'from site to installed by typing the bank: ' + 'search the list without accents, holder name folded while typing',
    async () => {
      const { context, page } = await harness.newPhonePage();
      await logIn(page);
      await page.getByRole('link', { name: 'Thêm sạp' }).click();
      await page.getByLabel('Tìm địa điểm').fill('hoa lu');
      await page.getByRole('button', { name: 'Tìm' }).click();
      await page.getByRole('link', { name: 'Chợ Hoa Lư' }).click();
      await fillStall(page, 'Sạp T1', '0977000101');
      await page.getByLabel('Tìm ngân hàng').fill('ngoai thuong');
      expect(await page.locator('#f-bank_bin').inputValue()).toBe('970436');
      await page.getByLabel('Số tài khoản hoặc số thẻ').fill('1023456789');
      await page
        .getByLabel('Tên chủ tài khoản (như ứng dụng ngân hàng hiển thị)')
        .pressSequentially('Phạm Thị Hồng Hạnh');
      expect(await page.getByLabel('Tên chủ tài khoản (như ứng dụng ngân hàng hiển thị)').inputValue()).toBe(
        'PHAM THI HONG HANH',
      );
      await page.locator('input[name="consent"]').check();
      await screenshot(page, 'onboarding-form-phone');
      await page.getByRole('button', { name: 'Lưu và tạo mã QR' }).click();
      await page.waitForURL(/\/name-check/);
      await screenshot(page, 'onboarding-name-check-phone');
      await verifyAndInstall(page, 'Sạp T1');
      await context.close();
    },
  );

  it('the same by pasting the trader’s existing code: bank and account are read at once', async () => {
    const { context, page } = await harness.newPhonePage();
    await logIn(page);
    await page.goto(`/onboard/sites/${siteId}`);
    await fillStall(page, 'Sạp T2', '0977000102');
    await page
      .getByLabel('2. Dán nội dung mã QR ngân hàng của tiểu thương')
      .fill(encode({ bin: '970418', account: '62110000778899' }));
    await page.getByLabel('2. Dán nội dung mã QR ngân hàng của tiểu thương').blur();
    await page.getByText(/Đọc được: BIDV/).waitFor();
    expect(await page.getByLabel('Số tài khoản hoặc số thẻ').inputValue()).toBe('62110000778899');
    await page.getByLabel('Tên chủ tài khoản (như ứng dụng ngân hàng hiển thị)').fill('PHAM THI HONG HANH');
    await page.locator('input[name="consent"]').check();
    await page.getByRole('button', { name: 'Lưu và tạo mã QR' }).click();
    await verifyAndInstall(page, 'Sạp T2');
    expect(
      harness.db.prepare("SELECT source FROM stall_accounts WHERE account_number = '62110000778899'").get(),
    ).toEqual({ source: 'pasted' });
    await context.close();
  });

  it('the same by uploading a photo of a QR, decoded on the server', async () => {
    const { context, page } = await harness.newPhonePage();
    await logIn(page);
    await page.goto(`/onboard/sites/${siteId}`);
    await fillStall(page, 'Sạp T3', '0977000103');
    const photo = toJpeg(
      onBackground(
        rotate(renderMatrix(qrMatrix(encode({ bin: '970405', account: '5102205001122' })), 9), 8),
        1000,
        1300,
        200,
        300,
        5,
      ),
      55,
    );
    await page
      .locator('input[name="qr_photo"]')
      .setInputFiles({ name: 'qr.jpg', mimeType: 'image/jpeg', buffer: photo });
    await page.getByText(/Đọc được: Agribank/).waitFor();
    await page.getByLabel('Tên chủ tài khoản (như ứng dụng ngân hàng hiển thị)').fill('Phạm Thị Hồng Hạnh');
    await page.locator('input[name="consent"]').check();
    await page.getByRole('button', { name: 'Lưu và tạo mã QR' }).click();
    await verifyAndInstall(page, 'Sạp T3');
    expect(
      harness.db.prepare("SELECT source FROM stall_accounts WHERE account_number = '5102205001122'").get(),
    ).toEqual({ source: 'photo' });
    await context.close();
  });

  it('a double submit creates one stall', async () => {
    const { context, page } = await harness.newPhonePage();
    await logIn(page);
    await page.goto(`/onboard/sites/${siteId}`);
    await fillStall(page, 'Sạp T4', '0977000104');
    await page.locator('input[name="consent"]').check();
    // Two submits of the same form, as a double tap on a slow connection sends them.
    await page.evaluate(async () => {
      const form = document.querySelector('form[data-onboarding]') as HTMLFormElement;
      const send = () => fetch(form.action, { method: 'POST', body: new FormData(form), redirect: 'manual' });
      await Promise.all([send(), send()]);
    });
    await page.locator('form[data-onboarding]').evaluate((form: HTMLFormElement) => form.requestSubmit());
    await page.waitForURL(/\/stalls\/\d+\?new=1/);
    expect(stallsWithLabel('Sạp T4')).toBe(1);
    await context.close();
  });

  it(
    'when the line has signal but drops the submit, then the stall is kept on the phone and sent again ' +
      'once, whether or not the lost submit had reached the server',
    async () => {
      const { context, page } = await harness.newPhonePage();
      await logIn(page);
      await page.goto(`/onboard/sites/${siteId}`);
      // The first submit reaches the server and is saved, but its answer never comes back.
      await page.route(`**/onboard/sites/${siteId}`, async (route) => {
        await route.fetch({ maxRedirects: 0 });
        await route.abort('internetdisconnected');
      });
      await fillStall(page, 'Sạp K1', '0977000191');
      await page.locator('input[name="consent"]').check();
      await page.getByRole('button', { name: 'Lưu và tạo mã QR' }).click();
      await page.getByText('Mạng không gửi được: đã giữ “Sạp K1” trên máy').waitFor();
      expect(stallsWithLabel('Sạp K1')).toBe(1);
      // The second never reaches it.
      await page.unroute(`**/onboard/sites/${siteId}`);
      await page.route(`**/onboard/sites/${siteId}`, (route) =>
        route.request().method() === 'POST' ? route.abort('internetdisconnected') : route.continue(),
      );
      await fillStall(page, 'Sạp K1B', '0977000193');
      await page.locator('input[name="consent"]').check();
      await page.getByRole('button', { name: 'Lưu và tạo mã QR' }).click();
      await page.getByText('Mạng không gửi được: đã giữ “Sạp K1B” trên máy').waitFor();
      await page.getByText('2 sạp chờ gửi').waitFor();
      await screenshot(page, 'onboarding-lie-fi-kept-phone');
      expect(stallsWithLabel('Sạp K1B')).toBe(0);
      await page.unroute(`**/onboard/sites/${siteId}`);
      await page.reload();
      await page.getByText('2 sạp đã gửi xong').waitFor();
      expect([stallsWithLabel('Sạp K1'), stallsWithLabel('Sạp K1B')]).toEqual([1, 1]);
      await context.close();
    },
  );

  it(
    'when a second tab sends the same form with an edit after the first tab saved it, then it says the ' +
      'first was saved, keeps the edit under a fresh key, and links to the saved stall',
    async () => {
      const { context, page } = await harness.newPhonePage();
      await logIn(page);
      await page.goto(`/onboard/sites/${siteId}`);
      await fillStall(page, 'Sạp K3', '0977000194');
      await page.locator('input[name="consent"]').check();
      const firstKey = await page.locator('input[name="idempotency_key"]').inputValue();
      // The same form in another tab: the draft brings its values and its key.
      const other = await context.newPage();
      await other.goto(`/onboard/sites/${siteId}`);
      expect(await other.locator('input[name="idempotency_key"]').inputValue()).toBe(firstKey);
      await page.getByRole('button', { name: 'Lưu và tạo mã QR' }).click();
      await page.waitForURL(/\/stalls\/\d+\?new=1/);
      await other.getByLabel('Số sạp / ki-ốt / số nhà').fill('Sạp K3A');
      await other.getByRole('button', { name: 'Lưu và tạo mã QR' }).click();
      await other.getByText('Biểu mẫu này đã được gửi và lưu thành một sạp').waitFor();
      await screenshot(other, 'onboarding-key-conflict-phone');
      expect(await other.getByLabel('Số sạp / ki-ốt / số nhà').inputValue()).toBe('Sạp K3A');
      expect(await other.locator('input[name="idempotency_key"]').inputValue()).not.toBe(firstKey);
      expect(stallsWithLabel('Sạp K3A')).toBe(0);
      // It was a typo in the stall just saved: the volunteer opens that one to fix it there.
      await other.getByRole('link', { name: 'Mở sạp đã lưu' }).click();
      await other.getByRole('heading', { name: /Sạp K3/ }).waitFor();
      expect([stallsWithLabel('Sạp K3'), stallsWithLabel('Sạp K3A')]).toEqual([1, 0]);
      await context.close();
    },
  );

  it(
    'when the bank filter matches nothing, then it says so and no bank stays selected; on the name check ' +
      'the account number is copied and the saved QR image decodes to the stall’s code',
    async () => {
      const { context, page } = await harness.newPhonePage();
      await context.grantPermissions(['clipboard-read', 'clipboard-write']);
      await logIn(page);
      await page.goto(`/onboard/sites/${siteId}`);
      await fillStall(page, 'Sạp K2', '0977000192');
      await page.getByLabel('Tìm ngân hàng').fill('bidv');
      expect(await page.locator('#f-bank_bin').inputValue()).toBe('970418');
      await page.getByLabel('Tìm ngân hàng').fill('viettel money');
      await page.getByText('Không tìm thấy ngân hàng “viettel money”').waitFor();
      expect(await page.locator('#f-bank_bin').inputValue()).toBe('');
      await page.getByLabel('Tìm ngân hàng').evaluate((el) => el.scrollIntoView({ block: 'center' }));
      await screenshot(page, 'onboarding-bank-not-found-phone');
      await page.getByText('Tiểu thương từ chối tham gia?').click();
      await page.getByLabel('Lý do từ chối').evaluate((el) => el.scrollIntoView({ block: 'center' }));
      await screenshot(page, 'onboarding-refusal-section-phone');
      await page.getByText('Tiểu thương từ chối tham gia?').click();
      await page.getByLabel('Tìm ngân hàng').fill('bidv');
      expect(await page.getByText('Không tìm thấy ngân hàng').isVisible()).toBe(false);
      await page.getByLabel('Số tài khoản hoặc số thẻ').fill('21510001234567');
      await page.getByLabel('Tên chủ tài khoản (như ứng dụng ngân hàng hiển thị)').fill('PHAM THI HONG HANH');
      await page.locator('input[name="consent"]').check();
      await page.getByRole('button', { name: 'Lưu và tạo mã QR' }).click();
      await page.waitForURL(/\/name-check/);

      await page.getByRole('button', { name: 'Sao chép số tài khoản' }).click();
      await page.getByText('Đã sao chép số tài khoản 21510001234567').waitFor();
      expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('21510001234567');
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Lưu ảnh mã QR' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe('vietqr-bidv-4567.png');
      const image = decodeImage(readFileSync((await download.path())!));
      expect(image.ok && image.payload).toBe(encode({ bin: '970418', account: '21510001234567' }));
      await screenshot(page, 'name-check-one-phone');
      await context.close();
    },
  );

  it('a reload mid-flow keeps the draft, and the draft is gone once the stall is saved', async () => {
    const { context, page } = await harness.newPhonePage();
    await logIn(page);
    await page.goto(`/onboard/sites/${siteId}`);
    const key = await page.locator('input[name="idempotency_key"]').inputValue();
    await fillStall(page, 'Sạp T5', '0977000105');
    await page.getByLabel('Số tài khoản hoặc số thẻ').fill('8800112233');
    await page.getByText(/Đã lưu nháp trên máy lúc/).waitFor();
    await page.reload();
    await page.getByText(/Đã khôi phục bản nháp/).waitFor();
    expect(await page.getByLabel('Số sạp / ki-ốt / số nhà').inputValue()).toBe('Sạp T5');
    expect(await page.getByLabel('Họ tên chủ sạp').inputValue()).toBe('Phạm Thị Hồng Hạnh');
    expect(await page.getByLabel('Số tài khoản hoặc số thẻ').inputValue()).toBe('8800112233');
    expect(await page.locator('input[name="idempotency_key"]').inputValue()).toBe(key);
    await screenshot(page, 'onboarding-draft-restored-phone');
    await page.getByLabel('Số tài khoản hoặc số thẻ').fill('');
    await page.locator('input[name="consent"]').check();
    await page.getByRole('button', { name: 'Lưu và tạo mã QR' }).click();
    await page.waitForURL(/\/stalls\/\d+\?new=1/);
    expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('phoqr-draft:')))).toEqual(
      [],
    );
    expect(stallsWithLabel('Sạp T5')).toBe(1);
    await context.close();
  });

  it('when the session expires mid-form, then the submit asks to log in and comes back to the draft', async () => {
    const { context, page } = await harness.newPhonePage();
    await logIn(page);
    await page.goto(`/onboard/sites/${siteId}`);
    await fillStall(page, 'Sạp T7', '0977000107');
    await page.getByText(/Đã lưu nháp trên máy lúc/).waitFor();
    // The session ends while the volunteer is still at the counter (it expired, or was ended elsewhere).
    harness.db.prepare('DELETE FROM sessions').run();
    await page.locator('input[name="consent"]').check();
    await page.getByRole('button', { name: 'Lưu và tạo mã QR' }).click();
    await page.getByText('Phiên đăng nhập đã hết hạn nên chưa lưu được.').waitFor();
    await screenshot(page, 'onboarding-session-expired-phone');
    expect(stallsWithLabel('Sạp T7')).toBe(0);
    await page.getByRole('link', { name: 'Đăng nhập lại' }).click();
    await page.getByLabel('Tên đăng nhập').fill('admin');
    await page.getByLabel('Mật khẩu').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.waitForURL((url) => url.pathname === `/onboard/sites/${siteId}`);
    await page.getByText(/Đã khôi phục bản nháp/).waitFor();
    expect(await page.getByLabel('Số sạp / ki-ốt / số nhà').inputValue()).toBe('Sạp T7');
    expect(await page.getByLabel('Số điện thoại (không bắt buộc)').inputValue()).toBe('0977000107');
    await context.close();
  });

  it('the flow’s pages weigh under 100 KB (HTML, CSS, JS) and make no external request', async () => {
    const { context, page } = await harness.newPhonePage();
    await logIn(page);
    const external: string[] = [];
    // Each body is read as its response arrives, and every read is awaited before the next navigation: a body
    // still being read when the page navigates away is gone (an unhandled rejection, not a count).
    const reads: Promise<number>[] = [];
    page.on('response', (response) => {
      if (!response.url().startsWith(harness.baseUrl)) external.push(response.url());
      const type = response.headers()['content-type'] ?? '';
      // A file the browser holds (hashed assets are cached for a year) costs nothing: only what crossed the wire.
      if (/html|css|javascript/.test(type)) {
        reads.push(
          response
            .request()
            .sizes()
            .then(async (sizes) => (sizes.responseBodySize > 0 ? (await response.body()).length : 0)),
        );
      }
    });
    page.on('request', (request) => {
      if (!request.url().startsWith(harness.baseUrl) && !request.url().startsWith('data:'))
        external.push(request.url());
    });
    let bytes = 0;
    for (const url of ['/onboard', `/onboard/sites/${siteId}`]) {
      await page.goto(url);
      await page.waitForLoadState('networkidle');
      for (const length of await Promise.all(reads.splice(0))) bytes += length;
    }
    // The service worker (blocked in this context, see newPhonePage) is fetched once per version by the phone:
    // counted too, as if every visit paid for it.
    const worker = await page.request.get('/sw.js');
    expect(worker.ok()).toBe(true);
    bytes += (await worker.body()).length;
    expect(external).toEqual([]);
    expect(bytes).toBeGreaterThan(5 * 1024); // the bodies were counted
    expect(bytes).toBeLessThan(100 * 1024);
    console.info(`onboarding flow pages with the service worker: ${(bytes / 1024).toFixed(1)} KB`);
    await context.close();
  });
});
