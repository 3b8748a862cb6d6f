import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldForSearch } from '../../src/text/fold.js';
import { logIn, noSidewaysScroll, screenshot, startBrowserHarness, type BrowserHarness } from './browser-harness.js';

let harness: BrowserHarness;

beforeAll(async () => {
  harness = await startBrowserHarness();
});

afterAll(async () => {
  await harness?.close();
});

describe('a long list on a phone (390×844)', () => {
  it('when a site has more stalls than a page, then the pager fits the phone and walks to the next page', async () => {
    // Chợ Hoa Lư grows to a few hundred stalls, so its list needs several pages.
    const site = harness.db.prepare("SELECT id FROM sites WHERE name = 'Chợ Hoa Lư'").pluck().get() as number;
    const insert = harness.db.prepare(
      `INSERT INTO stalls (site_id, label, goods_category, status, search_folded, created_at, updated_at)
       VALUES (?, ?, 'tap_hoa', 'surveyed', ?, '2026-10-01T03:00:00.000Z', '2026-10-01T03:00:00.000Z')`,
    );
    harness.db.transaction(() => {
      for (let n = 1; n <= 300; n++) insert.run(site, `Sạp phân trang ${n}`, foldForSearch(`Sạp phân trang ${n}`));
    })();
    const total = harness.db.prepare('SELECT count(*) FROM stalls WHERE site_id = ?').pluck().get(site) as number;
    const pages = Math.ceil(total / 50);

    const { context, page } = await harness.newPhonePage();
    await logIn(page);
    await page.goto(`/sites/${site}`);
    const pager = page.locator('nav[data-pager]').first();
    await expect.poll(() => pager.textContent()).toContain(`Trang 1/${pages}`);
    await expect
      .poll(() => page.locator('[data-pager-summary]').first().textContent())
      .toBe(`Hiển thị 1–50 trên ${total} sạp`);
    await pager.scrollIntoViewIfNeeded();
    await noSidewaysScroll(page);
    await screenshot(page, 'site-pager-phone');

    await pager.getByRole('link', { name: 'Trang sau →' }).click();
    await page.waitForURL((url) => url.searchParams.get('page') === '2');
    await expect.poll(() => page.locator('nav[data-pager]').first().textContent()).toContain(`Trang 2/${pages}`);
    await expect.poll(() => page.locator('.stall-list li').count()).toBe(50);
    await noSidewaysScroll(page);

    // The search keeps to its matches, and the pager's links keep the search.
    await page.getByLabel('Tìm sạp').fill('phan trang');
    await page.getByRole('button', { name: 'Lọc' }).click();
    await expect
      .poll(() => page.locator('[data-pager-summary]').first().textContent())
      .toBe('Hiển thị 1–50 trên 300 sạp');
    await page.locator('nav[data-pager]').first().getByRole('link', { name: 'Trang sau →' }).click();
    await page.waitForURL((url) => url.searchParams.get('page') === '2' && url.searchParams.get('q') === 'phan trang');
    await page.locator('nav[data-pager]').last().scrollIntoViewIfNeeded();
    await noSidewaysScroll(page);
    await screenshot(page, 'site-pager-search-phone');
    await context.close();
  });
});
