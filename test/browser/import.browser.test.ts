import { mkdirSync, writeFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logIn, screenshot, startBrowserHarness, type BrowserHarness } from './browser-harness.js';

let harness: BrowserHarness;

beforeAll(async () => {
  harness = await startBrowserHarness();
});

afterAll(async () => {
  await harness?.close();
});

/** Taps as a person makes them: a tap per button or field focused, two to open a select and choose. */
function tapCounter(page: Page) {
  let taps = 0;
  return {
    click: async (selector: Parameters<Page['click']>[0]) => {
      taps++;
      await page.click(selector);
    },
    fill: async (selector: string, text: string) => {
      taps++;
      await page.fill(selector, text);
    },
    select: async (selector: string, value: string) => {
      taps += 2;
      await page.selectOption(selector, value);
    },
    /** The file field, then the file in the phone's picker. */
    pickFile: async (selector: string, file: { name: string; mimeType: string; buffer: Buffer }) => {
      taps += 2;
      await page.setInputFiles(selector, file);
    },
    get taps() {
      return taps;
    },
  };
}

function siteIdOf(name: string): number {
  return (harness.db.prepare('SELECT id FROM sites WHERE name = ?').get(name) as { id: number }).id;
}

const stallCount = (siteId: number, prefix: string) =>
  harness.db
    .prepare('SELECT count(*) FROM stalls WHERE site_id = ? AND label LIKE ?')
    .pluck()
    .get(siteId, `${prefix}%`);

describe('adding 10 stalls on a phone (390×844): by hand and from a file', () => {
  it('when 10 stalls are added by import and by hand, both save 10, taps and seconds noted', async () => {
    const siteId = siteIdOf('Chợ Hoa Lư');
    const { context, page } = await harness.newPhonePage();
    await logIn(page);

    // By hand: label and goods category only (what a board's list has), "Thêm sạp" staying open after each add.
    await page.goto(`/sites/${siteId}`);
    const byHand = tapCounter(page);
    const handStart = performance.now();
    await byHand.click('#add-stall > summary');
    for (let n = 1; n <= 10; n++) {
      await byHand.fill('#f-label', `Tay ${n}`);
      await byHand.select('#f-goods_category', 'rau_cu');
      await byHand.click('#add-stall button[type="submit"]');
      await page
        .locator('#add-stall[open] .notice')
        .filter({ hasText: `Đã thêm Tay ${n}` })
        .waitFor();
      // The panel stayed open with the cursor in the label for the next one.
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-label');
    }
    const handSeconds = (performance.now() - handStart) / 1000;
    expect(stallCount(siteId, 'Tay ')).toBe(10);
    await screenshot(page, 'add-stall-open-after-add-phone');

    // From a file: the board's list of 10 stalls.
    const csv = ['Số sạp,Nhóm hàng', ...Array.from({ length: 10 }, (_, i) => `Tệp ${i + 1},Rau củ`)].join('\n');
    await page.goto(`/sites/${siteId}`);
    const byFile = tapCounter(page);
    const fileStart = performance.now();
    await byFile.click('text=Nhập từ tệp');
    await page.waitForURL(`**/sites/${siteId}/import`);
    await screenshot(page, 'import-upload-phone', true);
    await byFile.pickFile('#f-stall_file', { name: 'ds-sap.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await byFile.click('button:has-text("Xem trước")');
    await page.locator('li[data-outcome="new"] [data-count]').filter({ hasText: '10' }).waitFor();
    const previewOverflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    await screenshot(page, 'import-preview-phone', true);
    expect(stallCount(siteId, 'Tệp ')).toBe(0);
    await byFile.click('button:has-text("Ghi 10 dòng")');
    await page.locator('.notice').filter({ hasText: 'Đã ghi 10 dòng' }).waitFor();
    const fileSeconds = (performance.now() - fileStart) / 1000;
    await screenshot(page, 'import-done-phone', true);
    expect(stallCount(siteId, 'Tệp ')).toBe(10);
    expect(previewOverflow).toBeLessThanOrEqual(0);

    const measured = {
      byHand: { taps: byHand.taps, seconds: Number(handSeconds.toFixed(1)) },
      byImport: { taps: byFile.taps, seconds: Number(fileSeconds.toFixed(1)) },
      note:
        'Playwright on the phone context, same app and demo DB; typing is instant (a person types each label), ' +
        'so seconds are the app and browser time only. Taps: one per button or field, two per select, two for ' +
        'the file picker. The file is assumed to exist (the board keeps it).',
    };
    mkdirSync('test-output', { recursive: true });
    writeFileSync('test-output/import-measure.json', JSON.stringify(measured, null, 2));
    console.log(JSON.stringify(measured));
    expect(byFile.taps).toBeLessThan(byHand.taps);
    await context.close();
  });

  it('when a file has an unrecognised column and an error row, then the phone preview shows both', async () => {
    const siteId = siteIdOf('Chợ Hoa Lư');
    const { context, page } = await harness.newPhonePage();
    await logIn(page);
    await page.goto(`/sites/${siteId}/import`);
    const csv = ['Số sạp;SĐT;Nhóm hàng;Vị trí', 'Lỗi 1;;Xe máy;dãy A', 'Lỗi 2;;Rau củ;dãy B'].join('\n');
    await page.setInputFiles('#f-stall_file', { name: 'cot-la.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.click('button:has-text("Xem trước")');
    await page.locator('li[data-line="2"][data-outcome="error"]').waitFor();
    expect(await page.locator('#map-3').inputValue()).toBe('skip');
    expect(await page.locator('#mapping').getAttribute('open')).not.toBeNull();
    await screenshot(page, 'import-preview-mapping-phone', true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await context.close();
  });
});
