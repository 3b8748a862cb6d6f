import { describe, expect, it } from 'vitest';
import { adoptionOn } from '../adoption/adoption-on.js';
import { createDemoTestContext, createTestContext } from '../helpers/app.js';
import { WHOLE_COUNTRY } from '../../src/vocabulary/reach.js';

const TODAY = '2026-11-22';

async function demo() {
  const context = await createDemoTestContext();
  const leader = await context.loginAs('leader', 'lanhdao');
  const siteId = (name: string) =>
    context.db.prepare('SELECT id FROM sites WHERE name = ?').pluck().get(name) as number;
  /** Puts one site in a new campaign, through the service a team lead uses. */
  const joinCampaign = async (site: number, targetPercent: number) => {
    const leadId = await context.createUser(`totruong${site}`, 'team_lead');
    await context.services.campaigns.create(
      { id: leadId, role: 'team_lead', reach: WHOLE_COUNTRY },
      {
        name: `Đợt thử ${targetPercent} %`,
        target_percent: String(targetPercent),
        starts_on: '2026-11-01',
        deadline: '2027-04-30',
        site_ids: String(site),
      },
    );
  };
  return { ...context, ...leader, siteId, joinCampaign };
}

/** "đạt / total" of the "Địa điểm đạt chỉ tiêu" card, the same markup on the home page and the dashboard. */
function sitesAchievedCard(html: string): string {
  const match = /Địa điểm đạt chỉ tiêu<\/div>\s*<div class="stat">(\d+\/\d+)<\/div>/.exec(html);
  if (!match) throw new Error('no "Địa điểm đạt chỉ tiêu" card in page');
  return match[1]!;
}

/** The home page's list item of one site. */
function homeRow(html: string, siteId: number): string {
  const row = html.split('<li>').find((item) => item.includes(`href="/sites/${siteId}"`));
  if (!row) throw new Error(`site ${siteId} is not listed`);
  return row.slice(0, row.indexOf('</li>'));
}

/** The đạt badge of a site's dashboard (its first card). */
function dashboardBadge(html: string): 'đạt' | 'chưa đạt' {
  if (html.includes('<span class="badge badge-ok">Đạt</span>')) return 'đạt';
  if (html.includes('<span class="badge badge-behind">Chưa đạt (')) return 'chưa đạt';
  throw new Error('no đạt badge on the dashboard');
}

describe('GET / (home page)', () => {
  it('shows the adoption figures of the whole programme, the same as /api/v1/adoption, as of today', async () => {
    const { agent } = await demo();
    const home = await agent.get('/').expect(200);
    const { body } = await agent.get('/api/v1/adoption?scope=all').expect(200);
    const f = body.figures;
    expect(home.text).toContain('Tính đến hết ngày 22/11/2026');
    expect(home.text).toContain(`<div class="stat">${f.coverage.label}</div>`);
    expect(sitesAchievedCard(home.text)).toBe(`${f.sites.achieved}/${f.sites.total}`);
    expect(home.text).toContain(
      `Tuyến phố ${f.sites.streets.achieved}/${f.sites.streets.total} · ` +
        `Chợ, TTTM ${f.sites.markets.achieved}/${f.sites.markets.total}`,
    );
    expect(home.text).toMatch(new RegExp(`Xã có địa điểm đạt</div>\\s*<div class="stat">${f.communes.label}</div>`));
    expect(home.text).toContain('<a href="/dashboard">Xem số liệu chi tiết</a>');
  });

  it('lists every site, furthest behind its target first, with its kind, commune and province', async () => {
    const { agent, db, siteId } = await demo();
    const home = await agent.get('/').expect(200);
    const listed = [...home.text.matchAll(/<a class="title" href="\/sites\/(\d+)">/g)].map((match) => match[1]);
    expect(listed).toHaveLength(db.prepare('SELECT count(*) FROM sites').pluck().get() as number);
    const engine = await adoptionOn(db).sites(WHOLE_COUNTRY, { kind: 'all' }, TODAY);
    expect(listed).toEqual(engine.map((row) => row.key));
    const hoaLu = homeRow(home.text, siteId('Chợ Hoa Lư'));
    expect(hoaLu).toContain('Chợ · Phường Pleiku, Gia Lai');
    expect(hoaLu).toContain('90/117 (76 %)');
    expect(hoaLu).toContain('Đạt (chỉ tiêu 70 %)');
  });

  it(
    "when a site's campaign sets a higher target than its own, " + 'then home and its dashboard both say chưa đạt',
    async () => {
      const { agent, siteId, joinCampaign } = await demo();
      const hoaLu = siteId('Chợ Hoa Lư'); // 90/117 = 76.9 %: đạt at its own 70 %, not at the campaign's 80 %
      const before = (await agent.get('/api/v1/adoption?scope=all').expect(200)).body.figures.sites;
      await joinCampaign(hoaLu, 80);

      const home = await agent.get('/').expect(200);
      expect(homeRow(home.text, hoaLu)).toContain('<span class="badge badge-behind">Chưa đạt (chỉ tiêu 80 %)</span>');
      expect(dashboardBadge((await agent.get(`/dashboard?scope=site:${hoaLu}`).expect(200)).text)).toBe('chưa đạt');
      const dashboard = await agent.get('/dashboard').expect(200);
      expect(sitesAchievedCard(home.text)).toBe(sitesAchievedCard(dashboard.text));
      expect(sitesAchievedCard(home.text)).toBe(`${before.achieved - 1}/${before.total}`);
    },
  );

  it("when a site's campaign sets a lower target than its own, then home and its dashboard both say đạt", async () => {
    const { agent, siteId, joinCampaign } = await demo();
    const thon3 = siteId('Chợ tạm thôn 3'); // 29/58 = 50 %: behind its own 70 %, đạt at the campaign's 50 %
    await joinCampaign(thon3, 50);

    const home = await agent.get('/').expect(200);
    expect(homeRow(home.text, thon3)).toContain('<span class="badge badge-ok">Đạt (chỉ tiêu 50 %)</span>');
    expect(dashboardBadge((await agent.get(`/dashboard?scope=site:${thon3}`).expect(200)).text)).toBe('đạt');
    const dashboard = await agent.get('/dashboard').expect(200);
    expect(sitesAchievedCard(home.text)).toBe(sitesAchievedCard(dashboard.text));
  });

  it('when there is no site yet, then it says so and shows empty figures, nothing NaN', async () => {
    const context = createTestContext();
    const { agent } = await context.loginAs('leader');
    const home = await agent.get('/').expect(200);
    expect(home.text).toContain('Chưa có địa điểm nào.');
    expect(home.text).toContain('<span class="badge badge-none">chưa có sạp</span>');
    expect(sitesAchievedCard(home.text)).toBe('0/0');
    expect(home.text).not.toContain('NaN');
  });
});
