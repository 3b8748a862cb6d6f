import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, vietnamDate } from '../../src/calendar/calendar.js';
import { logIn, screenshot, startBrowserHarness, type BrowserHarness } from './browser-harness.js';

let harness: BrowserHarness;

beforeAll(async () => {
  harness = await startBrowserHarness();
});

afterAll(async () => {
  await harness?.close();
});

describe('targets in time on a phone (390×844)', () => {
  it('when a site target is lowered today, then its dashboard a week ago still shows the old target', async () => {
    const { context, page } = await harness.newPhonePage();
    await logIn(page);
    const today = vietnamDate(new Date());
    const lastWeek = addDays(today, -7);
    const before = harness.db.prepare('SELECT target_percent FROM sites WHERE id = 1').pluck().get() as number;

    await page.goto('/sites/1/edit');
    await page.locator('input[name="target_percent"]').fill('40');
    await page.getByRole('button', { name: 'Lưu thay đổi' }).click();
    await page.waitForURL((url) => !url.pathname.endsWith('/edit'));
    expect(harness.db.prepare('SELECT target_percent FROM sites WHERE id = 1').pluck().get()).toBe(40);

    await page.goto(`/dashboard?scope=site:1&asOf=${lastWeek}`);
    await page.locator('svg.trend').waitFor({ state: 'visible' });
    expect(await page.locator('body').textContent()).toContain(`Chỉ tiêu ${before} %`);
    await screenshot(page, 'targets-in-time-last-week-phone');

    await page.goto(`/dashboard?scope=site:1&asOf=${today}`);
    await page.locator('svg.trend').waitFor({ state: 'visible' });
    expect(await page.locator('body').textContent()).toContain('Chỉ tiêu 40 %');
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await screenshot(page, 'targets-in-time-today-phone');
    // The trend's target line steps down on the last point.
    await page.locator('svg.trend').screenshot({ path: 'test-output/targets-in-time-trend-phone.png' });
    await context.close();
  });
});
