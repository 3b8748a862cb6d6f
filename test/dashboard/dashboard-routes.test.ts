import { describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/demo/demo-seed.js';
import { createTestContext } from '../helpers/app.js';

async function demo() {
  const context = createTestContext();
  await seedDemo(context.db, context.clock);
  const leader = await context.loginAs('leader', 'lanhdao');
  return { ...context, ...leader };
}

describe('GET /dashboard', () => {
  it('shows the province with cards, "tính đến", the trend chart, the funnel and communes sorted by gap', async () => {
    const { agent } = await demo();
    const page = await agent.get('/dashboard?scope=province:52').expect(200);
    expect(page.text).toContain('<h1>Gia Lai</h1>');
    expect(page.text).toContain('Tính đến hết ngày 22/11/2026');
    expect(page.text).toContain('<svg class="trend"');
    expect(page.text).toContain('<svg class="funnel"');
    expect(page.text).toContain('Các xã, phường');
    expect(page.text).toMatch(/href="\/dashboard\?scope=commune:23575&(amp;)?asOf=2026-11-22"/);
    expect(page.text).toContain('ước tính');
  });

  it('a site scope lists its stalls, and a past date is recomputed from history', async () => {
    const { agent, db } = await demo();
    const siteId = (db.prepare("SELECT id FROM sites WHERE name = 'Chợ Hoa Lư'").get() as { id: number }).id;
    const today = await agent.get(`/dashboard?scope=site:${siteId}`).expect(200);
    expect(today.text).toContain('90/117 (76 %)');
    expect(today.text).toContain('Các sạp');
    const past = await agent.get(`/dashboard?scope=site:${siteId}&asOf=2026-09-15`).expect(200);
    expect(past.text).not.toContain('90/117 (76 %)');
  });

  it('bad scope, future date and unknown province are refused clearly', async () => {
    const { agent } = await demo();
    await agent.get('/dashboard?scope=xyz').set('Accept', 'text/html').expect(400);
    await agent.get('/dashboard?asOf=2030-01-01').set('Accept', 'text/html').expect(400);
    await agent.get('/dashboard?scope=province:99').set('Accept', 'text/html').expect(404);
  });
});

describe('GET /api/v1/adoption', () => {
  it('returns the same figures as JSON', async () => {
    const { agent } = await demo();
    const response = await agent.get('/api/v1/adoption?scope=province:52&asOf=2026-11-22').expect(200);
    expect(response.body.asOf).toBe('2026-11-22');
    expect(response.body.figures.coverage.label).toMatch(/^\d+\/\d+ \(\d+ %\)$/);
    expect(response.body.children.level).toBe('communes');
    const bad = await agent.get('/api/v1/adoption?scope=nope').expect(400);
    expect(bad.body.error).toBeTruthy();
  });
});

describe('GET /dashboard/table.csv|xlsx', () => {
  it('exports the child table with a BOM and Vietnamese headers, and logs the export', async () => {
    const { agent, db } = await demo();
    const csv = await agent.get('/dashboard/table.csv?scope=province:52').expect(200);
    expect(csv.text.startsWith('\uFEFFMã,Xã,Loại,Sạp nhận QR')).toBe(true);
    expect(csv.text).toContain('23575,Phường Pleiku');
    const xlsx = await agent.get('/dashboard/table.xlsx?scope=province:52').buffer(true).expect(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    expect(db.prepare('SELECT what, format, scope FROM export_log ORDER BY id').all()).toEqual([
      { what: 'adoption-communes', format: 'csv', scope: 'province:52' },
      { what: 'adoption-communes', format: 'xlsx', scope: 'province:52' },
    ]);
  });
});
