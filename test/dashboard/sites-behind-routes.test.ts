import { describe, expect, it } from 'vitest';
import { foldForSearch } from '../../src/text/fold.js';
import type { ReachUnit } from '../../src/vocabulary/reach.js';
import { createDemoTestContext, createTestContext } from '../helpers/app.js';

/**
 * Issue 17: "which sites are behind?" across a scope. The registry is written straight into the test
 * database before the app reads anything: 60 sites behind in Phường Pleiku (23575), 5 behind and 3 đạt in
 * Xã Chư Prông (23887), one site without a stall, and one behind in another province (26743).
 */
const PLEIKU = '23575';
const CHU_PRONG = '23887';
const ELSEWHERE = '26743';
const AT = '2026-10-01T03:00:00.000Z';

type Context = ReturnType<typeof createTestContext>;

interface SiteSpec {
  readonly id: number;
  readonly name: string;
  readonly commune: string;
  readonly installed: number;
  readonly census: number;
  readonly target?: number;
}

function sitesOfRegistry(): SiteSpec[] {
  const sites: SiteSpec[] = [];
  // Pleiku: site i has i % 7 of 10 stalls installed (0–60 %), target 70: all behind.
  for (let id = 1; id <= 60; id++)
    sites.push({ id, name: `Chợ Pleiku ${id}`, commune: PLEIKU, installed: id % 7, census: 10 });
  // Chư Prông: 5 behind against a target of 80 (7 of 10), 3 đạt (9 of 10).
  for (let id = 61; id <= 65; id++)
    sites.push({ id, name: `Chợ Chư Prông ${id}`, commune: CHU_PRONG, installed: 7, census: 10, target: 80 });
  for (let id = 66; id <= 68; id++)
    sites.push({ id, name: `Chợ Chư Prông ${id}`, commune: CHU_PRONG, installed: 9, census: 10 });
  sites.push({ id: 69, name: 'Chợ chưa khảo sát', commune: CHU_PRONG, installed: 0, census: 0 });
  sites.push({ id: 70, name: 'Chợ tỉnh khác', commune: ELSEWHERE, installed: 1, census: 10 });
  return sites;
}

function buildRegistry(context: Context): void {
  const { db } = context;
  const insertSite = db.prepare(
    `INSERT INTO sites (id, kind, name, name_folded, commune_code, target_percent, created_at, updated_at)
     VALUES (?, 'market', ?, ?, ?, ?, ?, ?)`,
  );
  const insertStall = db.prepare(
    `INSERT INTO stalls (site_id, label, business_name, goods_category, status, search_folded, created_at, updated_at)
     VALUES (?, ?, '', 'tap_hoa', ?, ?, ?, ?)`,
  );
  const insertHistory = db.prepare(
    'INSERT INTO stall_status_history (stall_id, from_status, to_status, changed_at) VALUES (?, NULL, ?, ?)',
  );
  db.transaction(() => {
    for (const site of sitesOfRegistry()) {
      insertSite.run(site.id, site.name, foldForSearch(site.name), site.commune, site.target ?? 70, AT, AT);
      for (let n = 1; n <= site.census; n++) {
        const status = n <= site.installed ? 'installed' : 'surveyed';
        const label = `Sạp ${n}`;
        const stall = insertStall.run(site.id, label, status, foldForSearch(label), AT, AT).lastInsertRowid;
        insertHistory.run(stall, status, AT);
      }
    }
  })();
}

async function registryAs(reach?: readonly ReachUnit[]) {
  const context = createTestContext();
  buildRegistry(context);
  return { ...context, ...(await context.loginAs('leader', 'lanhdao', reach)) };
}

/** The sites of the behind table on a page, in order, as "name|x/y (z %)|needed". */
function behindRows(html: string): string[] {
  const section = /<section id="behind"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
  return [...section.matchAll(/<tr class="gap-[a-z]+">([\s\S]*?)<\/tr>/g)].map((row) => {
    const name = />([^<]+)<\/a>/.exec(row[1]!)![1]!;
    const coverage = /<td title="[^"]*">([^<]+)</.exec(row[1]!)![1]!;
    const needed = /<strong>(\d+)<\/strong> sạp/.exec(row[1]!)![1]!;
    return `${name}|${coverage}|${needed}`;
  });
}

const PROVINCE_52: ReachUnit[] = [{ kind: 'province', code: '52' }];

describe('the sites behind target on the dashboard', () => {
  it('when a province leader opens it, then every site behind is listed, furthest first, 50 a page', async () => {
    const { agent } = await registryAs(PROVINCE_52);
    const first = await agent.get('/dashboard').expect(200);
    expect(first.text).toContain('Điểm chưa đạt chỉ tiêu');
    expect(first.text).toContain('65 điểm chưa đạt chỉ tiêu: xem danh sách');
    expect(first.text).toContain('<strong>65/69</strong> địa điểm chưa đạt');
    const rows = behindRows(first.text);
    expect(rows).toHaveLength(50);
    // 0 of 10 first (sites 7, 14, …, 56: -70 points, 7 stalls needed each, by name), then 1 of 10, …
    expect(rows.slice(0, 8)).toEqual([7, 14, 21, 28, 35, 42, 49, 56].map((id) => `Chợ Pleiku ${id}|0/10 (0 %)|7`));
    expect(rows[8]).toBe('Chợ Pleiku 1|1/10 (10 %)|6');
    expect(first.text).toContain('1 địa điểm chưa có sạp nào (chưa khảo sát)');
    expect(first.text).toContain('Hiển thị 1–50 trên 65 điểm chưa đạt');
    expect(first.text).toMatch(/href="\/dashboard\?[^"]*bpage=2#behind"/);
    const second = await agent.get('/dashboard?bpage=2').expect(200);
    const rest = behindRows(second.text);
    expect(rest).toHaveLength(15);
    // Last the ones 10 points behind, 1 stall each, by name: Chư Prông's 7 of 10 against 80, Pleiku's 6 of 10.
    expect(rest.slice(-13)).toEqual([
      ...[61, 62, 63, 64, 65].map((id) => `Chợ Chư Prông ${id}|7/10 (70 %)|1`),
      ...[6, 13, 20, 27, 34, 41, 48, 55].map((id) => `Chợ Pleiku ${id}|6/10 (60 %)|1`),
    ]);
    const all = [...rows, ...rest].map((row) => row.split('|')[0]);
    expect(new Set(all).size).toBe(65);
    expect(all).not.toContain('Chợ Chư Prông 66');
    expect(all).not.toContain('Chợ chưa khảo sát');
    expect(all).not.toContain('Chợ tỉnh khác');
    // One province: no province beside each commune.
    expect(/<section id="behind"[\s\S]*?<\/section>/.exec(first.text)![0]).not.toContain(', Gia Lai');
  });

  it('when a commune leader opens it, then only their sites are listed and another commune answers 404', async () => {
    const { agent, db } = await registryAs([{ kind: 'commune', code: CHU_PRONG }]);
    const page = await agent.get('/dashboard').expect(200);
    expect(behindRows(page.text)).toEqual([61, 62, 63, 64, 65].map((id) => `Chợ Chư Prông ${id}|7/10 (70 %)|1`));
    expect(page.text).not.toContain('Chợ Pleiku');
    for (const url of [
      `/dashboard?scope=commune:${PLEIKU}`,
      '/dashboard?scope=province:52',
      `/dashboard/behind.csv?scope=commune:${PLEIKU}`,
      '/dashboard/behind.xlsx?scope=province:52',
    ]) {
      const response = await agent.get(url).set('Accept', 'text/html');
      expect([url, response.status]).toEqual([url, 404]);
    }
    expect(db.prepare('SELECT COUNT(*) FROM export_log').pluck().get()).toBe(0);
  });

  it('when the scope spans provinces, then each row names its province too', async () => {
    const { agent } = await registryAs();
    const page = await agent.get('/dashboard').expect(200);
    const section = /<section id="behind"[\s\S]*?<\/section>/.exec(page.text)![0];
    expect(section).toContain('Phường Pleiku, Gia Lai');
    expect(behindRows(page.text)).toContain('Chợ tỉnh khác|1/10 (10 %)|6');
  });

  it('when a campaign spans provinces, then a leader sees its sites in their reach, at its target', async () => {
    const context = createTestContext();
    buildRegistry(context);
    const admin = await context.loginAs('admin', 'quantri');
    await admin.agent
      .post('/campaigns')
      .type('form')
      .send({
        name: 'Đợt chợ 4.0',
        target_percent: '80',
        starts_on: '2026-11-01',
        deadline: '2027-04-30',
        site_ids: ['1', '66', '70'],
        _csrf: admin.csrf,
      })
      .expect(303);
    const id = context.db.prepare("SELECT id FROM campaigns WHERE name = 'Đợt chợ 4.0'").pluck().get() as number;
    const province = await context.loginAs('leader', 'lanhdao', PROVINCE_52);
    const page = await province.agent.get(`/dashboard?scope=campaign:${id}`).expect(200);
    // Site 1 at the campaign's 80 %: 1 of 10 needs 7 more; site 66 (9 of 10) is đạt; site 70 is outside the reach.
    expect(behindRows(page.text)).toEqual(['Chợ Pleiku 1|1/10 (10 %)|7']);
    expect(page.text).toContain('chỉ tiêu 80 %, hạn 30/04/2027');
    expect(page.text).not.toContain('Chợ tỉnh khác');
    const commune = await context.loginAs('leader', 'lanhdao.chuprong', [{ kind: 'commune', code: CHU_PRONG }]);
    const theirs = await commune.agent.get(`/dashboard?scope=campaign:${id}`).expect(200);
    expect(behindRows(theirs.text)).toEqual([]);
    expect(theirs.text).toContain('Mọi địa điểm có sạp đều đã đạt chỉ tiêu.');
  });

  it('when the leader exports the list, then every row leaves in the same order and the export is logged', async () => {
    const { agent, db, userId } = await registryAs(PROVINCE_52);
    const csv = await agent.get('/dashboard/behind.csv?scope=province:52').expect(200);
    expect(csv.headers['content-disposition']).toContain('phoqr-province-52-sites-behind-2026-11-22.csv');
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines).toHaveLength(66);
    expect(lines[0]).toContain('Cần thêm (sạp)');
    expect(lines[1]).toContain('Chợ Pleiku 7,');
    expect(lines[65]).toContain('Chợ Pleiku 55,');
    const xlsx = await agent.get('/dashboard/behind.xlsx?scope=province:52').expect(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    expect(
      db.prepare('SELECT exported_by AS by, what, format, scope, row_count AS rows FROM export_log ORDER BY id').all(),
    ).toEqual([
      { by: userId, what: 'adoption-sites-behind', format: 'csv', scope: 'province:52', rows: 65 },
      { by: userId, what: 'adoption-sites-behind', format: 'xlsx', scope: 'province:52', rows: 65 },
    ]);
  });

  it('when the scope is one site, then there is no list and its export is refused', async () => {
    const { agent, db } = await registryAs(PROVINCE_52);
    const page = await agent.get('/dashboard?scope=site:1').expect(200);
    expect(page.text).not.toContain('id="behind"');
    expect(page.text).not.toContain('điểm chưa đạt chỉ tiêu: xem danh sách');
    await agent.get('/dashboard/behind.csv?scope=site:1').set('Accept', 'text/html').expect(400);
    expect(db.prepare('SELECT COUNT(*) FROM export_log').pluck().get()).toBe(0);
  });

  it('when a leader opens the home page, then it links to the list with its count', async () => {
    const { agent } = await registryAs(PROVINCE_52);
    const home = await agent.get('/').expect(200);
    expect(home.text).toMatch(
      /<a class="button" href="\/dashboard#behind">65 điểm chưa đạt chỉ tiêu: xem danh sách<\/a>/,
    );
  });
});

describe("the leader's cards and tables say what was set, in plain words", () => {
  it('when the sites have targets 70 and 80, then the card says "Chỉ tiêu 70–80 %", not their mean', async () => {
    const { agent } = await registryAs(PROVINCE_52);
    const page = await agent.get('/dashboard').expect(200);
    expect(page.text).toContain('Chỉ tiêu 70–80 %');
    const commune = await agent.get(`/dashboard?scope=commune:${PLEIKU}`).expect(200);
    expect(commune.text).toContain('Chỉ tiêu 70 %');
    // The province's communes: Chư Prông's sites were set 70 and 80.
    expect(page.text).toMatch(/Xã Chư Prông<\/a>[\s\S]*?<td>[^<]*<\/td>\s*<td>70–80 %<\/td>/);
  });

  it('when the whole country is shown, then provinces without a site fold into one line with names', async () => {
    const context = await createDemoTestContext();
    const { agent } = await context.loginAs('admin', 'quantri');
    const page = await agent.get('/dashboard').expect(200);
    const provinces = context.db.prepare('SELECT COUNT(*) FROM provinces').pluck().get() as number;
    const children = /<section id="children">[\s\S]*?<\/section>/.exec(page.text)![0];
    expect(children).toContain(`<summary>${provinces - 1} tỉnh, thành phố chưa có điểm nào</summary>`);
    expect(children).toMatch(/<details class="empty-areas">[\s\S]*Thành phố Hà Nội/);
    expect(children.match(/<tr class="gap-/g)).toHaveLength(1);
  });

  it('when a leader reads the dashboard, then no statistics jargon is left on it', async () => {
    const context = await createDemoTestContext();
    const { agent } = await context.loginAs('leader', 'lanhdao2', [{ kind: 'province', code: '52' }]);
    const page = await agent.get('/dashboard').expect(200);
    const visible = page.text.replace(/<[^>]+>/g, ' ');
    expect(visible).not.toMatch(/Phễu|Trung vị|n = |TNV/);
    expect(page.text).not.toMatch(/Phễu|Trung vị|n = |TNV/);
    expect(visible).toContain('Một nửa trong');
  });
});
