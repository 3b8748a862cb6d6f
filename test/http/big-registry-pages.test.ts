import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type TestAgent from 'supertest/lib/agent.js';
import { foldForSearch } from '../../src/text/fold.js';
import type { Role } from '../../src/vocabulary/roles.js';
import { createTestContext } from '../helpers/app.js';

/**
 * Issue 16, "small pages": every list page stays under 150 KB of HTML whatever the registry's size. The big
 * registry is written straight into the test database in one transaction (10,000 sites, one of them with 6,700
 * stalls, 3,000 audit rows, 2,000 users), before the app reads anything, so it costs a second, not an hour.
 */
const PAGE_BUDGET = 150 * 1024;
const SITES = 10_000;
const BIG_SITE_STALLS = 6_700;
const AUDIT_ROWS = 3_000;
const USERS = 2_000;
const PLEIKU = '23575';
/** The sites of Phường Pleiku: a commune whose dashboard lists 3,000 sites. */
const PLEIKU_SITES = 3_000;
const AT = '2026-10-01T03:00:00.000Z';

type Context = ReturnType<typeof createTestContext>;

function buildBigRegistry(context: Context): { bigSite: number } {
  const { db } = context;
  const communes = db
    .prepare("SELECT code FROM communes WHERE province_code = '52' AND code <> ? ORDER BY code")
    .pluck()
    .all(PLEIKU) as string[];
  const insertSite = db.prepare(
    `INSERT INTO sites (id, kind, name, name_folded, commune_code, created_at, updated_at)
     VALUES (?, 'market', ?, ?, ?, ?, ?)`,
  );
  const insertStall = db.prepare(
    `INSERT INTO stalls
       (id, site_id, label, business_name, goods_category, status, search_folded, created_at, updated_at)
     VALUES (?, 1, ?, ?, 'tap_hoa', ?, ?, ?, ?)`,
  );
  const insertHistory = db.prepare(
    'INSERT INTO stall_status_history (stall_id, from_status, to_status, changed_at) VALUES (?, NULL, ?, ?)',
  );
  const insertUser = db.prepare(
    `INSERT INTO users (username, display_name, role, password_hash, created_at, search_folded)
     VALUES (?, ?, 'volunteer', 'x', ?, ?)`,
  );
  const insertReach = db.prepare('INSERT INTO user_reach (user_id, commune_code) VALUES (?, ?)');
  const insertAudit = db.prepare(
    `INSERT INTO audit_log (at, user_id, action, entity, entity_id, site_id, commune_code, changes)
     VALUES (?, ?, 'site.update', 'site', 1, 1, ?, '{}')`,
  );
  db.transaction(() => {
    for (let id = 1; id <= SITES; id++) {
      // Site 1 is the big market; 7777 the one a search finds; the first 3,000 lie in Pleiku.
      const name = id === 1 ? 'Chợ Lớn Pleiku' : id === 7777 ? 'Chợ Đêm Hàm Rồng' : `Chợ Số ${id}`;
      const commune = id <= PLEIKU_SITES ? PLEIKU : communes[id % communes.length]!;
      insertSite.run(id, name, foldForSearch(name), commune, AT, AT);
    }
    for (let id = 1; id <= BIG_SITE_STALLS; id++) {
      const label = `Sạp ${id}`;
      const business = id === 4321 ? 'Bánh Xèo Đặc Biệt' : '';
      const status = id % 3 === 0 ? 'installed' : 'surveyed';
      insertStall.run(id, label, business, status, foldForSearch(`${label} ${business}`), AT, AT);
      insertHistory.run(id, status, AT);
    }
    for (let n = 1; n <= USERS; n++) {
      const username = `tnv.bulk${String(n).padStart(4, '0')}`;
      const name = n === 1234 ? 'Nguyễn Thị Hằng Nga' : `Tình nguyện viên ${n}`;
      const id = Number(insertUser.run(username, name, AT, foldForSearch(`${username} ${name}`)).lastInsertRowid);
      insertReach.run(id, PLEIKU);
    }
    // 120 volunteers with a visit each in the last four weeks: the dashboard's activity table pages them.
    const insertVisit = db.prepare(
      `INSERT INTO visits (stall_id, user_id, visited_at, action)
       VALUES (?, ?, '2026-11-20T03:00:00.000Z', 'onboarded')`,
    );
    const volunteers = db.prepare("SELECT id FROM users WHERE username LIKE 'tnv.bulk%' ORDER BY id LIMIT 120");
    for (const id of volunteers.pluck().all() as number[]) insertVisit.run(id, id);
    const firstUser = db.prepare("SELECT id FROM users WHERE username = 'tnv.bulk0001'").pluck().get() as number;
    for (let n = 0; n < AUDIT_ROWS; n++) {
      // Every tenth row by tnv.bulk0001, the rest by the system: a filter by that user narrows the log.
      insertAudit.run(new Date(Date.parse(AT) + n * 60_000).toISOString(), n % 10 === 0 ? firstUser : null, PLEIKU);
    }
  })();
  return { bigSite: 1 };
}

/** The ids of the sites a page links to (its list; the menu links to /sites only). */
function siteIds(html: string): number[] {
  return [...html.matchAll(/href="\/sites\/(\d+)"/g)].map((match) => Number(match[1]));
}

function stallIds(html: string): number[] {
  return [...new Set([...html.matchAll(/href="\/stalls\/(\d+)"/g)].map((match) => Number(match[1])))];
}

function expectSmall(html: string): void {
  expect(Buffer.byteLength(html)).toBeLessThan(PAGE_BUDGET);
}

const largest = new Map<string, number>();
async function getPage(agent: TestAgent, list: string, url: string): Promise<string> {
  const { text } = await agent.get(url).expect(200);
  largest.set(list, Math.max(largest.get(list) ?? 0, Buffer.byteLength(text)));
  expectSmall(text);
  return text;
}

describe('a national-size registry', () => {
  let context: Context;
  const agents = {} as Record<Role, TestAgent>;
  const csrf = {} as Record<Role, string>;

  beforeAll(async () => {
    context = createTestContext();
    buildBigRegistry(context);
    for (const role of ['admin', 'leader', 'team_lead', 'volunteer', 'viewer'] as const) {
      const login = await context.loginAs(role);
      agents[role] = login.agent;
      csrf[role] = login.csrf;
    }
  }, 120_000);

  // The largest page of each list, printed for the report (the budget above is the check).
  afterAll(() => {
    const lines = [...largest].map(([list, bytes]) => `${list}: ${(bytes / 1024).toFixed(1)} KB`);
    console.log(`largest page per list: ${lines.join(' · ')}`);
  });

  it('when any role opens the home page, then it is under 150 KB and shows 50 of the 10,000 sites', async () => {
    for (const role of ['admin', 'leader', 'team_lead', 'volunteer', 'viewer'] as const) {
      const html = await getPage(agents[role], 'home', '/');
      expect(html).toContain('Hiển thị 1–50 trên 10.000 địa điểm');
      expect(html).toContain('Trang 1/200');
      expect(siteIds(html)).toHaveLength(50);
    }
  });

  it('when the home page is asked for page 2 or searched, then it shows the next sites or the match', async () => {
    const first = siteIds(await getPage(agents.leader, 'home', '/'));
    const second = await getPage(agents.leader, 'home', '/?page=2');
    expect(second).toContain('Hiển thị 51–100 trên 10.000 địa điểm');
    expect(siteIds(second)).toHaveLength(50);
    expect(siteIds(second).filter((id) => first.includes(id))).toEqual([]);
    const found = await getPage(agents.leader, 'home', '/?q=dem%20ham%20rong');
    expect(siteIds(found)).toEqual([7777]);
    expect(found).toContain('1 địa điểm');
  });

  it('when /sites is paged and searched, then each page holds the next 50 in order, a search narrows', async () => {
    const ordered = context.db
      .prepare(
        `SELECT s.id FROM sites s JOIN communes c ON c.code = s.commune_code
         JOIN provinces p ON p.code = c.province_code
         ORDER BY p.name_folded, c.name_folded, s.name_folded, s.id`,
      )
      .pluck()
      .all() as number[];
    const first = await getPage(agents.admin, 'sites', '/sites');
    expect(first).toContain('Hiển thị 1–50 trên 10.000 địa điểm');
    expect(siteIds(first)).toEqual(ordered.slice(0, 50));
    const second = await getPage(agents.admin, 'sites', '/sites?page=2');
    expect(siteIds(second)).toEqual(ordered.slice(50, 100));
    expect(second).toContain('href="/sites?page=3"');
    const last = await getPage(agents.admin, 'sites', '/sites?page=999999999999');
    expect(last).toContain('Trang 200/200');
    expect(siteIds(last)).toEqual(ordered.slice(9_950));
    const searched = await getPage(agents.admin, 'sites', '/sites?q=cho%20so%2099');
    // Every "Chợ Số N" whose number holds "99" (a word matches inside a name): 3 pages, the links keep the search.
    const matching = Array.from({ length: SITES }, (_, i) => i + 1).filter(
      (id) => id !== 1 && id !== 7777 && String(id).includes('99'),
    );
    expect(matching.length).toBeGreaterThan(100);
    expect(searched).toContain(`Hiển thị 1–50 trên ${matching.length} địa điểm`);
    expect(searched).toContain('href="/sites?q=cho+so+99&amp;page=2"');
    const inCommune = await getPage(agents.admin, 'sites', `/sites?commune=${PLEIKU}&page=2`);
    expect(inCommune).toContain('Hiển thị 51–100 trên 3.000 địa điểm');
  });

  it('when the 6,700-stall site is opened, then its page shows 50 stalls, pages on, a search narrows', async () => {
    for (const role of ['admin', 'team_lead', 'volunteer', 'viewer'] as const) {
      const html = await getPage(agents[role], 'site page', '/sites/1');
      expect(html).toContain('Hiển thị 1–50 trên 6.700 sạp');
      expect(stallIds(html)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    }
    const second = await getPage(agents.admin, 'site page', '/sites/1?page=2');
    expect(stallIds(second)).toEqual(Array.from({ length: 50 }, (_, i) => i + 51));
    expect(second).toContain('Trang 2/134');
    expect(second).toContain('href="/sites/1?page=3#stalls"');
    const installed = await getPage(agents.admin, 'site page', '/sites/1?status=installed&page=2');
    expect(installed).toContain('Hiển thị 51–100 trên 2.233 sạp');
    expect(installed).toContain('href="/sites/1?status=installed&amp;page=3#stalls"');
    const found = await getPage(agents.viewer, 'site page', '/sites/1?q=banh%20xeo');
    expect(stallIds(found)).toEqual([4321]);
    // Right after "Thêm sạp", the page that holds the new stall, whatever page was asked.
    const added = await getPage(agents.admin, 'site page', '/sites/1?added=6000');
    expect(added).toContain('Trang 120/134');
    expect(added).toContain('Đã thêm <a href="/stalls/6000">Sạp 6000</a>');
  });

  it('when the dashboard of a commune or of the big site is opened, then its table is one page of 50', async () => {
    const commune = await getPage(agents.leader, 'dashboard', `/dashboard?scope=commune:${PLEIKU}`);
    expect(commune).toContain('Hiển thị 1–50 trên 3.000 địa điểm');
    const page2 = await getPage(agents.leader, 'dashboard', `/dashboard?scope=commune:${PLEIKU}&page=2`);
    expect(page2).toContain('Hiển thị 51–100 trên 3.000 địa điểm');
    // The children table's rows only: the sites-behind table above it links to sites too (issue 17).
    const shownOn = (html: string) =>
      [...(/<section id="children">[\s\S]*?<\/section>/.exec(html)?.[0] ?? '').matchAll(/scope=site:(\d+)&/g)].map(
        (match) => Number(match[1]),
      );
    expect(shownOn(page2)).toHaveLength(50);
    expect(shownOn(page2).filter((id) => shownOn(commune).includes(id))).toEqual([]);
    const searched = await getPage(agents.leader, 'dashboard', `/dashboard?scope=commune:${PLEIKU}&q=cho%20lon`);
    expect(shownOn(searched)).toEqual([1]);
    const stalls = await getPage(agents.leader, 'dashboard', '/dashboard?scope=site:1&page=3');
    expect(stalls).toContain('Hiển thị 101–150 trên 6.700 sạp');
    expect(stalls).toContain('href="/dashboard?scope=site%3A1&amp;asOf=2026-11-22&amp;page=4#children"');
    for (const role of ['admin', 'viewer'] as const) await getPage(agents[role], 'dashboard', '/dashboard');
    const active = await getPage(agents.leader, 'dashboard', '/dashboard?scope=site:1&page=3&vpage=2');
    expect(active).toContain('Hiển thị 51–100 trên 120 tình nguyện viên');
    expect(active).toContain('href="/dashboard?scope=site%3A1&amp;asOf=2026-11-22&amp;page=3&amp;vpage=3#volunteers"');
    expect(active).toContain('href="/dashboard?scope=site%3A1&amp;asOf=2026-11-22&amp;vpage=2&amp;page=4#children"');
  });

  it('when the data-quality page of the whole registry is opened, then it stays under 150 KB', async () => {
    await getPage(agents.admin, 'quality', '/dashboard/quality');
    await getPage(agents.leader, 'quality', '/dashboard/quality?scope=site:1');
  });

  it('when the audit log of 3,000 rows is opened, then it shows 50, pages on, the user filter narrows', async () => {
    const first = await getPage(agents.admin, 'audit', '/admin/audit');
    expect(first).toMatch(/Hiển thị 1–50 trên 3\.\d{3} dòng/);
    const second = await getPage(agents.admin, 'audit', '/admin/audit?page=2');
    expect(second).toMatch(/Hiển thị 51–100 trên 3\.\d{3} dòng/);
    const byUser = await getPage(agents.admin, 'audit', '/admin/audit?user=tnv.bulk0001&page=2');
    expect(byUser).toContain('Hiển thị 51–100 trên 300 dòng');
    expect(byUser).toContain('href="/admin/audit?user=tnv.bulk0001&amp;page=3"');
  });

  it('when the users list of 2,000 is opened, then it shows 50, pages on and the search narrows it', async () => {
    const first = await getPage(agents.admin, 'users', '/admin/users');
    expect(first).toMatch(/Hiển thị 1–50 trên 2\.00\d người dùng/);
    const second = await getPage(agents.admin, 'users', '/admin/users?page=2');
    expect(second).toMatch(/Hiển thị 51–100 trên 2\.00\d người dùng/);
    const found = await getPage(agents.admin, 'users', '/admin/users?q=hang%20nga');
    expect(found).toContain('1 người dùng');
    expect(found).toContain('Nguyễn Thị Hằng Nga');
    // A team lead's list is filtered in memory (their reach decides who they manage): paged all the same.
    const lead = await getPage(agents.team_lead, 'users', '/admin/users?page=3');
    expect(lead).toMatch(/Hiển thị 101–150 trên 2\.\d{3} người dùng/);
  });

  it('when a volunteer searches the onboarding picker for "chợ", then one page of the matches shows', async () => {
    const html = await getPage(agents.volunteer, 'onboarding picker', '/onboard?q=ch%E1%BB%A3&page=2');
    expect(html).toContain('Hiển thị 51–100 trên 10.000 địa điểm');
    expect([...html.matchAll(/href="\/onboard\/sites\/(\d+)"/g)]).toHaveLength(50);
    expect(html).toContain('href="/onboard?q=ch%E1%BB%A3&amp;page=3"');
  });

  it('when a campaign is made, then its picker offers 50 sites and finds the others without saving', async () => {
    const form = await getPage(agents.admin, 'campaign form', '/campaigns/new');
    expect(form).toContain('Hiển thị 50 trên 10.000 địa điểm; gõ tên để tìm những địa điểm còn lại.');
    expect([...form.matchAll(/name="site_ids" value="(\d+)"/g)]).toHaveLength(50);
    const { text } = await agents.admin
      .post('/campaigns')
      .type('form')
      .send({
        _csrf: csrf.admin,
        name: 'Đợt đêm',
        target_percent: '80',
        site_ids: ['5'],
        sites_q: 'ham rong',
        find: '1',
      })
      .expect(200);
    largest.set('campaign form', Math.max(largest.get('campaign form') ?? 0, Buffer.byteLength(text)));
    expectSmall(text);
    expect(text).toContain('name="site_ids" value="5" checked');
    expect(text).toContain('name="site_ids" value="7777">');
    expect(text).toContain('value="Đợt đêm"');
    expect(text).toContain('1 địa điểm khác.');
    expect(context.db.prepare('SELECT count(*) FROM campaigns').pluck().get()).toBe(0);
  });

  it('when the work lists of 10,000 sites are opened, then each is one page', async () => {
    const assignments = await getPage(agents.team_lead, 'work', '/work/assignments?page=2');
    expect(assignments).toContain('Trang 2/200');
    await getPage(agents.team_lead, 'work', '/work');
    await getPage(agents.team_lead, 'work', '/work/todo/follow_up');
  });
});
