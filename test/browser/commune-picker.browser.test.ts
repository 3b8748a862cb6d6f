import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logIn, noSidewaysScroll, screenshot, startBrowserHarness, type BrowserHarness } from './browser-harness.js';

let harness: BrowserHarness;

beforeAll(async () => {
  harness = await startBrowserHarness();
});

afterAll(async () => {
  await harness?.close();
});

describe('commune picker on a phone (390×844)', () => {
  it('when an admin types "tam quan", then Phường Tam Quan is first and old names are labelled', async () => {
    const { context, page } = await harness.newPhonePage();
    await logIn(page);
    await page.goto('/sites/new');
    const input = page.locator('#f-commune_query');
    await input.pressSequentially('tam quan');
    const options = page.locator('#commune-options').getByRole('option');
    await expect.poll(() => options.count()).toBeGreaterThan(1);
    const texts = await options.allInnerTexts();
    expect(texts.slice(0, 2)).toEqual(['Phường Tam Quan — Gia Lai (21637)', 'Xã Tam Quang — Nghệ An (16933)']);
    expect(texts).toContain('Phường Hoài Nhơn Bắc (trước đây: Phường Tam Quan Bắc) — Gia Lai (21655)');
    expect(texts.join('\n')).not.toContain('Tam Điệp');
    // Every current-name answer comes before the first old-name one.
    const firstFormer = texts.findIndex((text) => text.includes('(trước đây:'));
    expect(texts.slice(firstFormer).every((text) => text.includes('(trước đây:'))).toBe(true);
    await noSidewaysScroll(page);
    // The field at the top of the screen, so the screenshot shows the list under it.
    await input.evaluate((element) => element.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'commune-picker-390');

    // Choosing an old-name answer fills the current name and its code.
    await options.filter({ hasText: 'Phường Hoài Nhơn Bắc' }).click();
    await expect.poll(() => input.inputValue()).toBe('Phường Hoài Nhơn Bắc, Gia Lai');
    expect(await page.locator('input[name="commune_code"]').inputValue()).toBe('21655');
    await context.close();
  });
});
