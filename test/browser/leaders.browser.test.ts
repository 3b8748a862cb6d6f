import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  logIn,
  noSidewaysScroll,
  screenshot,
  startBrowserHarness,
  type BrowserHarness,
} from './browser-harness.js';

let harness: BrowserHarness;

beforeAll(async () => {
  harness = await startBrowserHarness();
  harness.giveAdminPassword('lanhdao.gialai');
});

afterAll(async () => {
  await harness?.close();
});

describe("leaders' pages on a phone (390×844)", () => {
  it('when the Gia Lai leader logs in, then one tap on the home page shows the sites behind target', async () => {
    const { context, page } = await harness.newPhonePage();
    await logIn(page, 'lanhdao.gialai', ADMIN_PASSWORD);
    // Tap 1 (the only one): the link with the count, at the top of the home page, no scrolling needed.
    const link = page.getByRole('link', { name: /3 điểm chưa đạt chỉ tiêu/ });
    const box = await link.boundingBox();
    expect(box!.y + box!.height).toBeLessThanOrEqual(844);
    expect(box!.height).toBeGreaterThanOrEqual(40);
    await link.click();
    await page.waitForURL(/\/dashboard#behind$/);
    const list = page.locator('#behind');
    await expect.poll(() => list.isVisible()).toBe(true);
    const heading = list.getByRole('heading', { name: 'Điểm chưa đạt chỉ tiêu' });
    const headingBox = await heading.boundingBox();
    // The anchor scrolled the list into view.
    expect(headingBox!.y).toBeGreaterThanOrEqual(0);
    expect(headingBox!.y).toBeLessThan(844);
    const rows = await list.locator('tbody tr').allInnerTexts();
    expect(rows).toHaveLength(3);
    expect(rows[0]).toContain('Tuyến đường Đào Duy Từ (Bồng Sơn)');
    expect(rows[0]).toContain('Phường Bồng Sơn');
    expect(rows[0]).toContain('15/33 (45 %)');
    expect(rows[0]).toContain('9 sạp');
    expect(rows[1]).toContain('Chợ tạm thôn 3');
    expect(rows[2]).toContain('Tuyến phố Quang Trung (Bồng Sơn)');
    await noSidewaysScroll(page);
    await screenshot(page, 'dashboard-390-behind');
    await page.evaluate(() => window.scrollTo(0, 0));
    await screenshot(page, 'dashboard-390', true);
    // No statistics jargon on the leader's page.
    const text = await page.locator('main').innerText();
    expect(text).not.toMatch(/Phễu|Trung vị|n = |TNV/);
    expect(text).toContain('Chỉ tiêu 70–80 %');
    await context.close();
  });

  it('when the dashboard is drawn at 390 px, then chart texts are 11 px or more, inside the SVG', async () => {
    const { context, page } = await harness.newPhonePage();
    await logIn(page, 'lanhdao.gialai', ADMIN_PASSWORD);
    await page.goto('/dashboard');
    const measured = await page.evaluate(() =>
      Array.from(document.querySelectorAll<SVGSVGElement>('svg.trend, svg.funnel')).flatMap((svg) => {
        const frame = svg.getBoundingClientRect();
        const scale = frame.width / svg.viewBox.baseVal.width;
        return Array.from(svg.querySelectorAll('text')).map((text) => {
          const box = text.getBoundingClientRect();
          return {
            chart: svg.getAttribute('class'),
            text: text.textContent,
            px: parseFloat(getComputedStyle(text).fontSize) * scale,
            box: [box.left - frame.left, box.right - frame.right, box.top - frame.top, box.bottom - frame.bottom],
            inside:
              box.left >= frame.left - 0.5 &&
              box.right <= frame.right + 0.5 &&
              box.top >= frame.top - 0.5 &&
              box.bottom <= frame.bottom + 0.5,
          };
        });
      }),
    );
    expect(measured.filter((m) => m.chart === 'trend').length).toBeGreaterThan(5);
    expect(measured.filter((m) => m.chart === 'funnel')).toHaveLength(10);
    for (const m of measured) {
      expect(m.px, `${m.chart} "${m.text}"`).toBeGreaterThanOrEqual(11);
      expect(m.inside, `${m.chart} "${m.text}" inside its SVG ${JSON.stringify(m)}`).toBe(true);
    }
    // Every funnel number is printed: the census bar's too.
    const funnel = measured.filter((m) => m.chart === 'funnel').map((m) => m.text);
    expect(funnel).toContain('421 (100 %)');
    await context.close();
  });

  it('when the leader opens the meeting report, then it is a PDF kept with its first page as a PNG', async () => {
    const { context, page } = await harness.newPhonePage();
    await logIn(page, 'lanhdao.gialai', ADMIN_PASSWORD);
    const pdf = await page.request.get('/dashboard/report.pdf?scope=province:52');
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    const file = path.join('test-output', 'report.pdf');
    writeFileSync(file, await pdf.body());
    if (existsSync('/usr/bin/pdftoppm')) {
      execFileSync('/usr/bin/pdftoppm', [
        '-png',
        '-r',
        '110',
        '-f',
        '1',
        '-l',
        '1',
        '-singlefile',
        file,
        'test-output/report-page1',
      ]);
      expect(existsSync('test-output/report-page1.png')).toBe(true);
    }
    await context.close();
  });
});
