import { describe, expect, it } from 'vitest';
import { WHOLE_COUNTRY, type ReachUnit } from '../../src/vocabulary/reach.js';
import type { Role } from '../../src/vocabulary/roles.js';
import { createDemoTestContext } from '../helpers/app.js';
import { adoptionOn } from '../adoption/adoption-on.js';

const TODAY = '2026-11-22';
const PLEIKU: ReachUnit[] = [{ kind: 'commune', code: '23575' }];
const CHU_PRONG: ReachUnit[] = [{ kind: 'commune', code: '23887' }];

/** The demo programme and an agent of that role and reach (like the demo's users of that reach). */
async function demoAs(role: Role, reach: readonly ReachUnit[], username = 'nguoidung') {
  const context = await createDemoTestContext();
  return { ...context, ...(await context.loginAs(role, username, reach)) };
}

const exportLog = (db: { prepare(sql: string): { all(): unknown[] } }) =>
  db.prepare('SELECT what, format, scope, row_count AS rows FROM export_log ORDER BY id').all();

describe('the dashboard of a commune volunteer', () => {
  it('when they open /dashboard, then they land on their commune, with no way up to the province', async () => {
    const { agent } = await demoAs('volunteer', PLEIKU);
    const page = await agent.get('/dashboard').expect(200);
    expect(page.text).toContain('<h1>Phường Pleiku</h1>');
    expect(page.text).toContain('90/117 (76 %)');
    expect(page.text).toContain('Các địa điểm');
    expect(page.text).not.toContain('scope=province:');
    expect(page.text).not.toContain('Chư Prông');
    const site = await agent.get('/dashboard?scope=site:1').expect(200);
    expect(site.text).toMatch(/href="\/dashboard\?scope=commune:23575&(amp;)?asOf=2026-11-22">Phường Pleiku<\/a>/);
    expect(site.text).not.toContain('scope=province:52');
  });

  it('when they ask for their province, another commune or a site elsewhere, then every page answers 404', async () => {
    const { agent, db } = await demoAs('volunteer', PLEIKU);
    for (const url of [
      '/dashboard?scope=province:52',
      '/dashboard?scope=commune:23887',
      '/dashboard?scope=site:2',
      '/dashboard/quality?scope=province:52',
      '/dashboard/report.pdf?scope=commune:23887',
      '/dashboard/table.csv?scope=province:52',
      '/dashboard/volunteers.xlsx?scope=commune:23887',
      '/dashboard/quality.csv?scope=site:2',
    ]) {
      const response = await agent.get(url).set('Accept', 'text/html');
      expect([url, response.status]).toEqual([url, 404]);
    }
    const api = await agent.get('/api/v1/adoption?scope=province:52').expect(404);
    expect(api.body.error).toBe('Không tìm thấy tỉnh, thành phố có mã 52.');
    const unknown = await agent.get('/api/v1/adoption?scope=province:99').expect(404);
    expect(unknown.body.error).toBe('Không tìm thấy tỉnh, thành phố có mã 99.');
    expect(exportLog(db)).toEqual([]);
  });

  it('when they call the API, then it answers for their commune only, as the engine does in their reach', async () => {
    const { agent, db } = await demoAs('volunteer', PLEIKU);
    const { body } = await agent.get(`/api/v1/adoption?asOf=${TODAY}`).expect(200);
    const commune = await adoptionOn(db).figures(WHOLE_COUNTRY, { kind: 'commune', code: '23575' }, TODAY);
    expect(body.scope).toMatchObject({ kind: 'all', name: 'Phường Pleiku', limited: true });
    expect({ ...body.figures, scope: null }).toEqual(JSON.parse(JSON.stringify({ ...commune, scope: null })));
    expect(body.children.rows.map((row: { name: string }) => row.name)).toEqual(['Chợ Hoa Lư']);
    const siteIds = new Set(
      [...body.quality.unverifiedAccounts.stalls, ...body.quality.staleFollowUps.stalls].map(
        (stall: { siteId: number }) => stall.siteId,
      ),
    );
    expect([...siteIds].every((id) => id === 1)).toBe(true);
  });

  it('when they export the tables, then only their commune leaves, and the log records their reach', async () => {
    const { agent, db, userId } = await demoAs('volunteer', PLEIKU);
    const table = await agent.get('/dashboard/table.csv').expect(200);
    expect(table.text).toContain('Chợ Hoa Lư');
    expect(table.text).not.toContain('Chư Prông');
    expect(table.text.trim().split('\r\n')).toHaveLength(2);
    const volunteers = await agent.get(`/dashboard/volunteers.csv?asOf=${TODAY}`).expect(200);
    const activity = await adoptionOn(db).volunteerActivity(
      WHOLE_COUNTRY,
      { kind: 'commune', code: '23575' },
      TODAY,
      4,
    );
    for (const volunteer of activity.volunteers) expect(volunteers.text).toContain(volunteer.displayName);
    const elsewhere = await adoptionOn(db).volunteerActivity(WHOLE_COUNTRY, { kind: 'site', id: 2 }, TODAY, 4);
    const onlyElsewhere = elsewhere.volunteers.filter(
      (v) => !activity.volunteers.some((mine) => mine.userId === v.userId),
    );
    expect(onlyElsewhere.length).toBeGreaterThan(0);
    for (const volunteer of onlyElsewhere) expect(volunteers.text).not.toContain(volunteer.displayName);
    await agent.get('/dashboard/quality.xlsx').buffer(true).expect(200);
    await agent.get('/dashboard/report.pdf').buffer(true).expect(200);
    expect(db.prepare('SELECT exported_by AS by, what, format, scope FROM export_log ORDER BY id').all()).toEqual([
      { by: userId, what: 'adoption-sites', format: 'csv', scope: 'all[commune:23575]' },
      { by: userId, what: 'adoption-volunteers', format: 'csv', scope: 'all[commune:23575]' },
      { by: userId, what: 'adoption-quality', format: 'xlsx', scope: 'all[commune:23575]' },
      { by: userId, what: 'adoption-report-sites', format: 'pdf', scope: 'all[commune:23575]' },
    ]);
  });
});

describe('data quality across the edge of the reach', () => {
  it('when an account is shared with a stall of another commune, then that stall is counted, not named', async () => {
    const { agent, db } = await demoAs('team_lead', CHU_PRONG);
    const other = db.prepare('SELECT label FROM stalls WHERE id = 426').pluck().get() as string;
    const page = await agent.get('/dashboard/quality').expect(200);
    expect(page.text).toContain('href="/stalls/262"');
    expect(page.text).not.toContain('href="/stalls/426"');
    expect(page.text).toContain('và 1 sạp ngoài phạm vi làm việc của bạn');
    const csv = await agent.get('/dashboard/quality.csv').expect(200);
    expect(csv.text).toContain('1 sạp ngoài phạm vi làm việc của bạn');
    expect(csv.text).not.toContain('Đào Duy Từ');
    expect(csv.text).not.toMatch(new RegExp(`,${other},`));
  });
});

describe('a user without a reach', () => {
  it('when they open the dashboard, then it says they have no reach and shows nothing, not an error', async () => {
    const { agent, db, userId } = await demoAs('volunteer', PLEIKU);
    // What the migration leaves for existing users until someone gives them a reach.
    db.prepare('DELETE FROM user_reach WHERE user_id = ?').run(userId);
    const page = await agent.get('/dashboard').expect(200);
    expect(page.text).toContain('Bạn chưa được giao phạm vi làm việc');
    expect(page.text).not.toContain('Chợ Hoa Lư');
    const { body } = await agent.get('/api/v1/adoption').expect(200);
    expect(body.figures.coverage.census).toBe(0);
    expect(body.children.rows).toEqual([]);
    expect(body.activity.volunteers).toEqual([]);
    const table = await agent.get('/dashboard/table.csv').expect(200);
    expect(table.text.trim().split('\r\n')).toHaveLength(1);
    await agent.get('/dashboard?scope=site:1').set('Accept', 'text/html').expect(404);
  });
});
