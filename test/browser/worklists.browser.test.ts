import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  logIn,
  screenshot,
  startBrowserHarness,
  type BrowserHarness,
  noSidewaysScroll,
} from './browser-harness.js';

let harness: BrowserHarness;

beforeAll(async () => {
  harness = await startBrowserHarness();
  // The demo volunteer and team lead of Chợ Hoa Lư have random passwords; give them the admin's to log in.
  harness.giveAdminPassword('tnv.hoalu1', 'totruong.hoalu');
});

afterAll(async () => {
  await harness?.close();
});

describe('work lists on a phone (390×844)', () => {
  it('when the team lead assigns a volunteer to Chợ Hoa Lư, then their home is that site and its to-do', async () => {
    const site = harness.db.prepare("SELECT id FROM sites WHERE name = 'Chợ Hoa Lư'").pluck().get() as number;
    const volunteer = harness.db.prepare("SELECT id, display_name FROM users WHERE username = 'tnv.hoalu1'").get() as {
      id: number;
      display_name: string;
    };

    // Before any assignment: the volunteer is told so, and still sees the sites of their reach.
    const first = await harness.newPhonePage();
    await logIn(first.page, 'tnv.hoalu1', ADMIN_PASSWORD);
    await expect.poll(() => first.page.locator('#no-assignment').count()).toBe(1);
    await first.context.close();

    const lead = await harness.newPhonePage();
    await logIn(lead.page, 'totruong.hoalu', ADMIN_PASSWORD);
    await lead.page.goto(`/sites/${site}`);
    const section = lead.page.locator('#assignments');
    await section.getByLabel('Thêm người phụ trách').selectOption(String(volunteer.id));
    await section.getByRole('button', { name: 'Phân công' }).click();
    await lead.page.waitForURL(/assigned=1/);
    await expect.poll(() => section.locator(`[data-user-id="${volunteer.id}"]`).count()).toBe(1);
    await expect.poll(() => section.getByText('Đã phân công người phụ trách.').count()).toBe(1);
    await section.scrollIntoViewIfNeeded();
    await noSidewaysScroll(lead.page);
    await screenshot(lead.page, 'worklists-site-assignments');
    const audit = harness.db
      .prepare("SELECT count(*) FROM audit_log WHERE action = 'site.assign' AND entity_id = ?")
      .pluck()
      .get(site);
    expect(audit).toBe(1);

    await lead.page.goto('/work/assignments');
    await expect
      .poll(() => lead.page.locator(`[data-site-id="${site}"]`).textContent())
      .toContain(volunteer.display_name);
    await noSidewaysScroll(lead.page);
    await screenshot(lead.page, 'worklists-assignments-page', true);
    await lead.page.goto('/work');
    await noSidewaysScroll(lead.page);
    await screenshot(lead.page, 'worklists-team-lead-work', true);
    await lead.context.close();

    const { context, page } = await harness.newPhonePage();
    await logIn(page, 'tnv.hoalu1', ADMIN_PASSWORD);
    await expect.poll(() => page.locator('#my-work').count()).toBe(1);
    expect(await page.locator('#no-assignment').count()).toBe(0);
    expect(await page.getByRole('heading', { name: /Địa điểm bạn phụ trách/ }).count()).toBe(1);
    const sites = await page.locator('.site-list a.title').allTextContents();
    expect(sites).toEqual(['Chợ Hoa Lư']);
    expect(await page.locator(`a[href="/onboard/sites/${site}"]`).count()).toBe(1);
    await noSidewaysScroll(page);
    await screenshot(page, 'worklists-volunteer-home');
    await screenshot(page, 'worklists-volunteer-home-full', true);
    // Each item opens its stall.
    const firstItem = page.locator('.todo-list a').first();
    if ((await firstItem.count()) > 0) {
      await firstItem.click();
      await page.waitForURL(/\/stalls\/\d+/);
    }
    await context.close();
  });
});
