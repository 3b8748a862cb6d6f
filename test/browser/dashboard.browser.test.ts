import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logIn, screenshot, startBrowserHarness, type BrowserHarness } from './browser-harness.js';

let harness: BrowserHarness;

beforeAll(async () => {
  harness = await startBrowserHarness();
});

afterAll(async () => {
  await harness?.close();
});

describe('dashboards on a phone (390×844)', () => {
  it(
    'goes province → commune → site by the table links, ' + 'with the chart drawn and nothing wider than the screen',
    async () => {
      const { context, page } = await harness.newPhonePage();
      await logIn(page);
      // exact: the home page also links "Xem số liệu chi tiết" to the dashboard.
      await page.getByRole('link', { name: 'Số liệu', exact: true }).click();
      await page.getByRole('link', { name: 'Gia Lai' }).click();
      expect(await page.locator('h1').textContent()).toBe('Gia Lai');
      await page.locator('svg.trend').waitFor({ state: 'visible' });
      await screenshot(page, 'dashboard-province-phone', true);
      // The meeting report: a link a thumb can reach, answering a one-page A4 PDF of the province.
      const report = page.getByRole('link', { name: /Báo cáo PDF/ });
      const box = await report.boundingBox();
      expect(box!.height).toBeGreaterThanOrEqual(40);
      const pdf = await page.request.get((await report.getAttribute('href'))!);
      expect(pdf.headers()['content-type']).toBe('application/pdf');
      expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
      // Data quality is one tap away, readable at phone width.
      await page.getByRole('link', { name: 'xem danh sách cần xử lý' }).click();
      expect(await page.locator('h1').textContent()).toBe('Chất lượng dữ liệu · Gia Lai');
      expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(
        0,
      );
      await screenshot(page, 'dashboard-quality-phone', true);
      await page.goBack();
      await page.getByRole('link', { name: 'Phường Pleiku' }).click();
      await page.getByRole('link', { name: 'Chợ Hoa Lư' }).click();
      expect(await page.locator('h1').textContent()).toBe('Chợ Hoa Lư');
      await page.getByText('Các sạp').waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await screenshot(page, 'dashboard-site-phone');
      await context.close();
    },
  );
});
