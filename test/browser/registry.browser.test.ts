import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logIn, screenshot, startBrowserHarness, type BrowserHarness } from './browser-harness.js';

let harness: BrowserHarness;

beforeAll(async () => {
  harness = await startBrowserHarness();
});

afterAll(async () => {
  await harness?.close();
});

function countOf(status: string) {
  return `li[data-status="${status}"] [data-count]`;
}

describe('the registry on a phone (390×844)', () => {
  it('logs in, opens Chợ Hoa Lư, adds a stall and sees the counts change', async () => {
    const { context, page } = await harness.newPhonePage();
    await logIn(page);
    await expect.poll(() => page.locator('h1').textContent()).toBe('Chương trình thanh toán không dùng tiền mặt');
    await screenshot(page, 'home-phone');

    await page.getByRole('link', { name: 'Địa điểm' }).click();
    await page.getByLabel('Tìm theo tên').fill('hoa lu');
    await page.getByRole('button', { name: 'Lọc' }).click();
    await page.getByRole('link', { name: 'Chợ Hoa Lư' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Chợ Hoa Lư');

    const surveyedBefore = Number(await page.locator(countOf('surveyed')).textContent());
    const stallsHeading = await page.locator('#stalls').textContent();
    await page.locator('#add-stall > summary').click();
    await page.getByLabel('Số sạp / ki-ốt / số nhà').fill('Ki-ốt Z99');
    await page.getByLabel('Tên cơ sở kinh doanh').fill('Tạp hóa Trình Duyệt');
    await page.getByLabel('Họ tên chủ sạp').fill('Lê Thị Thử');
    await page.getByLabel('Nhóm hàng').selectOption('tap_hoa');
    await page.locator('#add-stall input[name="consent"]').check();
    await page.getByRole('button', { name: 'Thêm sạp' }).click();

    await expect.poll(() => page.locator('#stalls').textContent()).not.toBe(stallsHeading);
    expect(Number(await page.locator(countOf('surveyed')).textContent())).toBe(surveyedBefore + 1);
    await page.getByRole('link', { name: 'Ki-ốt Z99 · Tạp hóa Trình Duyệt' }).waitFor({ state: 'visible' });
    await page.goto(page.url().replace(/#.*/, ''));
    await screenshot(page, 'site-after-add-phone');

    // The page fits the phone: nothing wider than the viewport.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await context.close();
  });

  it('submits an invalid stall and sees the message next to the field, with the typed values kept', async () => {
    const { context, page } = await harness.newPhonePage();
    await logIn(page);
    const siteId = (harness.db.prepare("SELECT id FROM sites WHERE name = 'Chợ Hoa Lư'").get() as { id: number }).id;
    const before = harness.db.prepare('SELECT count(*) AS n FROM stalls').get();
    await page.goto(`/sites/${siteId}`);
    await page.locator('#add-stall > summary').click();
    await page.getByLabel('Tên cơ sở kinh doanh').fill('Rau sạch cô Lan');
    await page.getByLabel('Số điện thoại (không bắt buộc)').fill('09abc');
    await page.getByRole('button', { name: 'Thêm sạp' }).click();

    const labelError = page.locator('#f-label-error');
    await expect.poll(() => labelError.textContent()).toMatch(/Nhập số hoặc tên sạp/);
    await expect.poll(() => page.locator('#f-phone-error').textContent()).toMatch(/Số điện thoại gồm 10 chữ số/);
    expect(await page.getByLabel('Tên cơ sở kinh doanh').inputValue()).toBe('Rau sạch cô Lan');
    // "Next to the field": the message sits right under its input.
    const inputBox = await page.locator('#f-label').boundingBox();
    const errorBox = await labelError.boundingBox();
    expect(errorBox!.y - (inputBox!.y + inputBox!.height)).toBeLessThan(40);
    expect(harness.db.prepare('SELECT count(*) AS n FROM stalls').get()).toEqual(before);
    await page.locator('#add-stall').scrollIntoViewIfNeeded();
    await screenshot(page, 'stall-invalid-phone');
    await context.close();
  });

  it('creates a site with the commune picker, typing the commune without accents', async () => {
    const { context, page } = await harness.newPhonePage();
    await logIn(page);
    await page.goto('/sites/new');
    await page.getByLabel('Loại địa điểm').selectOption('street');
    await page.getByLabel('Tên địa điểm').fill('Tuyến phố Trần Hưng Đạo');
    await page.getByLabel('Xã / phường / đặc khu').pressSequentially('hoai nhon bac', { delay: 20 });
    await page.getByRole('option', { name: /Phường Hoài Nhơn Bắc — Gia Lai/ }).click();
    expect(await page.getByLabel('Xã / phường / đặc khu').inputValue()).toBe('Phường Hoài Nhơn Bắc, Gia Lai');
    await screenshot(page, 'site-form-phone');
    await page.getByRole('button', { name: 'Thêm địa điểm' }).click();
    await expect.poll(() => page.locator('h1').textContent()).toBe('Tuyến phố Trần Hưng Đạo');
    await page.getByText('Phường Hoài Nhơn Bắc (21655), Gia Lai').waitFor({ state: 'visible' });
    await context.close();
  });
});
