import { CHEAP_DEMO_HASHES } from '../helpers/db.js';
import request from 'supertest';
import { beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/demo/demo-seed.js';
import { COLORS, GAP_COLORS } from '../../src/reports/adoption-report-layout.js';
import { createTestContext } from '../helpers/app.js';
import { binaryBody, pdfInfo, pdfText, renderPage, type PageImage } from '../helpers/pdf-tools.js';

type Demo = ReturnType<typeof createTestContext> & Awaited<ReturnType<ReturnType<typeof createTestContext>['loginAs']>>;
let shared: Demo;

/** The demo registry, seeded once: these tests only read it (and append to the export log). */
beforeAll(async () => {
  const context = createTestContext();
  await seedDemo(context.data, context.clock, CHEAP_DEMO_HASHES);
  shared = { ...context, ...(await context.loginAs('leader', 'lanhdao')) };
});

function demo(): Demo {
  return shared;
}

/** Pixels within `tolerance` of a colour ('#rrggbb'). */
function countColour(image: PageImage, hex: string, tolerance = 40): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
  let count = 0;
  for (let i = 0; i < image.data.length; i += 4) {
    if (Math.abs(image.data[i]! - r) + Math.abs(image.data[i + 1]! - g) + Math.abs(image.data[i + 2]! - b) <= tolerance)
      count++;
  }
  return count;
}

describe('GET /dashboard/report.pdf', () => {
  it('prints a province on one A4 page with its cards, chart and communes, and logs the export', async () => {
    const { agent, db } = demo();
    const res = await binaryBody(agent.get('/dashboard/report.pdf?scope=province:52&asOf=2026-11-22')).expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe('inline; filename="phoqr-bao-cao-province-52-2026-11-22.pdf"');
    const pdf = res.body as Buffer;
    const info = pdfInfo(pdf);
    expect(info.Pages).toBe('1');
    expect(info.Title).toBe('Báo cáo tiến độ · Gia Lai');
    expect(info['Page size']).toMatch(/^595\.\d+ x 841\.\d+ pts \(A4\)/);
    const text = pdfText(pdf).normalize('NFC');
    const api = (await agent.get('/api/v1/adoption?scope=province:52&asOf=2026-11-22').expect(200)).body;
    expect(text).toContain('Gia Lai');
    expect(text).toContain(api.figures.coverage.label);
    expect(text).toContain(`${api.figures.sites.achieved}/${api.figures.sites.total}`);
    expect(text).toContain('Số liệu tính đến hết ngày 22/11/2026');
    expect(text).toContain('Phường Pleiku (23575)');
    expect(text).toContain('ước tính');
    const log = db
      .prepare("SELECT what, format, scope, row_count FROM export_log WHERE format = 'pdf' ORDER BY id DESC LIMIT 1")
      .get();
    expect(log).toEqual({
      what: 'adoption-report-communes',
      format: 'pdf',
      scope: 'province:52',
      row_count: api.children.rows.length,
    });
  });

  it('draws the trend line and colours each row by its gap to target', async () => {
    const { agent } = demo();
    const res = await binaryBody(agent.get('/dashboard/report.pdf?scope=province:52&asOf=2026-11-22')).expect(200);
    const page = renderPage(res.body as Buffer, 1, 72);
    expect(countColour(page, COLORS.actual)).toBeGreaterThan(300);
    expect(countColour(page, GAP_COLORS.behind)).toBeGreaterThan(20);
    expect(countColour(page, GAP_COLORS.achieved)).toBeGreaterThan(20);
  });

  it('a past date is recomputed from history', async () => {
    const { agent } = demo();
    const now = pdfText(
      (await binaryBody(agent.get('/dashboard/report.pdf?scope=commune:23575')).expect(200)).body as Buffer,
    );
    const past = pdfText(
      (await binaryBody(agent.get('/dashboard/report.pdf?scope=commune:23575&asOf=2026-09-15')).expect(200))
        .body as Buffer,
    );
    expect(now).toContain('90/117 (76 %)');
    expect(past).not.toContain('90/117 (76 %)');
    expect(past).toContain('Số liệu tính đến hết ngày 15/09/2026');
  });

  it('refuses a single site, a bad scope and a future date with a Vietnamese message', async () => {
    const { agent, db } = demo();
    const siteId = (db.prepare("SELECT id FROM sites WHERE name = 'Chợ Hoa Lư'").get() as { id: number }).id;
    const site = await agent.get(`/dashboard/report.pdf?scope=site:${siteId}`).set('Accept', 'text/html').expect(400);
    expect(site.text).toContain('Báo cáo PDF dành cho xã, tỉnh hoặc chiến dịch');
    await agent.get('/dashboard/report.pdf?scope=tinh:52').set('Accept', 'text/html').expect(400);
    await agent.get('/dashboard/report.pdf?scope=province:52&asOf=2031-01-01').set('Accept', 'text/html').expect(400);
    await agent.get('/dashboard/report.pdf?scope=province:99').set('Accept', 'text/html').expect(404);
  });

  it('the dashboard links to the report for a province, not for a site', async () => {
    const { agent, db } = demo();
    const province = await agent.get('/dashboard?scope=province:52&asOf=2026-11-22').expect(200);
    expect(province.text).toMatch(/href="\/dashboard\/report\.pdf\?scope=province:52&(amp;)?asOf=2026-11-22"/);
    const siteId = (db.prepare("SELECT id FROM sites WHERE name = 'Chợ Hoa Lư'").get() as { id: number }).id;
    const site = await agent.get(`/dashboard?scope=site:${siteId}`).expect(200);
    expect(site.text).not.toContain('/dashboard/report.pdf');
  });

  it('needs a login', async () => {
    const context = createTestContext();
    const res = await request(context.app).get('/dashboard/report.pdf?scope=province:52');
    expect([302, 303, 401]).toContain(res.status);
  });
});
