/**
 * Targets in time (issue 12, migrations/0018_target_history.sql): a target, deadline or campaign change
 * takes effect from the Vietnam day it is made; figures as of a past date use what was in force then.
 */
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/actor.js';
import { NotFoundError } from '../../src/http/errors.js';
import type { SiteRow } from '../../src/sites/sites-service.js';
import { WHOLE_COUNTRY } from '../../src/vocabulary/reach.js';
import { createDemoTestContext } from '../helpers/app.js';

const TODAY = '2026-11-22';
const LAST_WEEK = '2026-11-15';
const SITE = 1;

/** The site's form as its edit page would post it, with some fields changed. */
function siteForm(site: SiteRow, changes: Record<string, string>) {
  return {
    kind: site.kind,
    name: site.name,
    commune_code: site.commune_code,
    address: site.address,
    target_percent: String(site.target_percent),
    launched_on: site.launched_on ?? '',
    target_deadline: site.target_deadline ?? '',
    note: site.note,
    ...changes,
  };
}

async function demo() {
  const context = await createDemoTestContext();
  const admin: Actor = { id: await context.createUser('quantri', 'admin'), role: 'admin', reach: WHOLE_COUNTRY };
  const { sites, adoption } = context.services;
  const retarget = async (changes: Record<string, string>) =>
    sites.updateSite(admin, SITE, siteForm(await sites.siteForEdit(admin, SITE), changes));
  const siteTarget = async (asOf: string) =>
    (await adoption.figures(WHOLE_COUNTRY, { kind: 'site', id: SITE }, asOf)).target;
  const historyRows = (table: string) => context.db.prepare(`SELECT * FROM ${table} ORDER BY id`).all();
  return { ...context, admin, retarget, siteTarget, historyRows };
}

describe('targets in time', () => {
  it('when a site target goes from 70 to 40 today, then last week is against 70 and today against 40', async () => {
    const { retarget, siteTarget, services, historyRows, db } = await demo();
    expect((await siteTarget(LAST_WEEK)).percent).toBe(70);
    const lastWeekBefore = await services.adoption.figures(WHOLE_COUNTRY, { kind: 'site', id: SITE }, LAST_WEEK);

    await retarget({ target_percent: '40' });

    expect((await siteTarget(TODAY)).percent).toBe(40);
    const lastWeek = await services.adoption.figures(WHOLE_COUNTRY, { kind: 'site', id: SITE }, LAST_WEEK);
    expect(lastWeek).toEqual(lastWeekBefore);
    expect(lastWeek.coverage.targetPercent).toBe(70);
    // The province's weighted target moves today only.
    const province = (asOf: string) => services.adoption.figures(WHOLE_COUNTRY, { kind: 'province', code: '52' }, asOf);
    expect((await province(LAST_WEEK)).target.percent).toBeGreaterThan((await province(TODAY)).target.percent!);
    // The trend's target line steps on the last point.
    const trend = await services.adoption.trend(WHOLE_COUNTRY, { kind: 'site', id: SITE }, TODAY, 2);
    expect(trend.points.map((point) => point.targetPercent)).toEqual([70, 70, 40]);

    // Saved: the site's starting values (the demo wrote none), then today's change; the current column too.
    const site = db.prepare('SELECT target_percent, launched_on FROM sites WHERE id = ?').get(SITE) as {
      target_percent: number;
      launched_on: string | null;
    };
    expect(site.target_percent).toBe(40);
    const rows = historyRows('site_target_history') as {
      site_id: number;
      effective_on: string;
      target_percent: number;
    }[];
    expect(rows.filter((row) => row.site_id === SITE).map((row) => [row.effective_on, row.target_percent])).toEqual([
      [expect.any(String), 70],
      [TODAY, 40],
    ]);
    expect(rows.find((row) => row.site_id === SITE)!.effective_on <= TODAY).toBe(true);
  });

  it('when a site a seed wrote today (no history, no launch) is retargeted, then earlier days keep it', async () => {
    const { services, admin, db, historyRows } = await demo();
    const id = db.prepare('SELECT id FROM sites WHERE launched_on IS NULL ORDER BY id LIMIT 1').pluck().get() as number;
    // As a seed or an import would: registered today, with stalls surveyed long before.
    db.prepare('UPDATE sites SET created_at = ? WHERE id = ?').run(`${TODAY}T01:00:00.000Z`, id);
    await services.adoption.invalidate();
    const site = await services.sites.siteForEdit(admin, id);
    const target = (asOf: string) => services.adoption.figures(WHOLE_COUNTRY, { kind: 'site', id }, asOf);
    const old = (await target(LAST_WEEK)).target.percent;
    await services.sites.updateSite(admin, id, siteForm(site, { target_percent: old === 45 ? '46' : '45' }));
    expect((await target(LAST_WEEK)).target.percent).toBe(old);
    expect((await target('2026-11-21')).target.percent).toBe(old);
    expect((await target(TODAY)).target.percent).not.toBe(old);
    const rows = (historyRows('site_target_history') as { site_id: number; effective_on: string }[]).filter(
      (row) => row.site_id === id,
    );
    expect(rows.map((row) => row.effective_on)).toEqual(['2026-11-21', TODAY]);
  });

  it('when the target changes twice on one day, then the last holds that day, the day before the old', async () => {
    const { retarget, siteTarget, clock, historyRows } = await demo();
    // 23:59 in Vietnam on the 22nd, then 00:00 on the 23rd: the day is Vietnam's, from the app's clock.
    clock.set('2026-11-22T16:59:00.000Z');
    await retarget({ target_percent: '40' });
    await retarget({ target_percent: '55', target_deadline: '2027-03-31' });
    clock.set('2026-11-22T17:00:00.000Z');
    await retarget({ target_percent: '60' });

    expect((await siteTarget('2026-11-21')).percent).toBe(70);
    const onThe22nd = await siteTarget('2026-11-22');
    expect([onThe22nd.percent, onThe22nd.deadline]).toEqual([55, '2027-03-31']);
    expect((await siteTarget('2026-11-23')).percent).toBe(60);
    const days = (historyRows('site_target_history') as { site_id: number; effective_on: string }[])
      .filter((row) => row.site_id === SITE)
      .map((row) => row.effective_on)
      .slice(1);
    expect(days).toEqual(['2026-11-22', '2026-11-22', '2026-11-23']);
  });

  it('when a site joins a campaign and leaves it later, then a day has the campaign only while it was in', async () => {
    const { services, admin, clock, siteTarget, historyRows } = await demo();
    const fields = { target_percent: '90', starts_on: '2026-11-01', deadline: '2027-04-30' };
    clock.set('2026-11-10T03:00:00.000Z');
    const campaign = await services.campaigns.create(admin, { ...fields, name: 'Chợ 4.0', site_ids: ['1', '2'] });
    clock.set('2026-11-20T03:00:00.000Z');
    await services.campaigns.update(admin, campaign, {
      ...fields,
      target_percent: '80',
      name: 'Chợ 4.0',
      site_ids: ['2'],
    });
    clock.set(`${TODAY}T03:00:00.000Z`);

    const before = await siteTarget('2026-11-09');
    expect([before.percent, before.source, before.campaign]).toEqual([70, 'site', null]);
    const during = await siteTarget('2026-11-15');
    expect([during.percent, during.source, during.deadline, during.campaign?.id]).toEqual([
      90,
      'campaign',
      '2027-04-30',
      campaign,
    ]);
    const after = await siteTarget(TODAY);
    expect([after.percent, after.source]).toEqual([70, 'site']);
    // Site 2 stays in: its target follows the campaign's change of the 20th.
    const site2 = (asOf: string) => services.adoption.figures(WHOLE_COUNTRY, { kind: 'site', id: 2 }, asOf);
    expect((await site2('2026-11-19')).target.percent).toBe(90);
    expect((await site2(TODAY)).target.percent).toBe(80);

    // The campaign as of a date holds the sites in it that day.
    const campaignSites = async (asOf: string) =>
      (await services.adoption.sites(WHOLE_COUNTRY, { kind: 'campaign', id: campaign }, asOf)).map((row) => row.key);
    expect(await campaignSites('2026-11-15')).toEqual(expect.arrayContaining(['1', '2']));
    expect(await campaignSites(TODAY)).toEqual(['2']);
    expect(await campaignSites('2026-11-09')).toEqual([]);
    const schedule = await services.adoption.trend(WHOLE_COUNTRY, { kind: 'campaign', id: campaign }, '2026-11-15', 1);
    expect(schedule.schedule?.targetPercent).toBe(90);

    const membership = historyRows('campaign_membership_history') as {
      site_id: number;
      campaign_id: number | null;
      effective_on: string;
    }[];
    expect(membership.filter((row) => row.site_id === SITE).map((row) => [row.campaign_id, row.effective_on])).toEqual([
      [null, expect.any(String)],
      [campaign, '2026-11-10'],
      [null, '2026-11-20'],
    ]);
    const targets = historyRows('campaign_target_history') as { target_percent: number; effective_on: string }[];
    expect(targets.map((row) => [row.target_percent, row.effective_on])).toEqual([
      [90, '2026-11-10'],
      [80, '2026-11-20'],
    ]);
  });

  it('when a campaign answered 404 to a lead and then takes in their site, then the next answer shows it', async () => {
    const { services, admin } = await demo();
    const fields = { target_percent: '90', starts_on: '2026-11-01', deadline: '2027-04-30', name: 'Chư Prông' };
    const campaign = await services.campaigns.create(admin, { ...fields, site_ids: ['3'] });
    const pleiku = { wholeCountry: false, provinces: [], communes: ['23575'], sites: [] };
    const scope = { kind: 'campaign' as const, id: campaign };
    // The 404 rolls back the read it was answered in (and what the snapshot set up in it).
    await expect(services.adoption.figures(pleiku, scope, TODAY)).rejects.toThrow(NotFoundError);
    await services.campaigns.update(admin, campaign, { ...fields, site_ids: ['1', '3'] });
    const figures = await services.adoption.figures(pleiku, scope, TODAY);
    expect([figures.scope.limited, figures.target.percent === null || figures.target.percent === 90]).toEqual([
      true,
      true,
    ]);
  });

  it('when a change is rolled back, then no history row is left; the histories refuse UPDATE and DELETE', async () => {
    const { services, admin, db, historyRows, retarget } = await demo();
    const tables = ['site_target_history', 'campaign_target_history', 'campaign_membership_history'];
    const before = tables.map(historyRows);
    // The audit row is written last in the same transaction: make it fail, and everything goes.
    db.exec(`CREATE TEMP TRIGGER fail_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'no audit'); END`);
    await expect(retarget({ target_percent: '40' })).rejects.toThrow('no audit');
    await expect(
      services.campaigns.create(admin, {
        target_percent: '90',
        starts_on: '2026-11-01',
        deadline: '2027-04-30',
        name: 'Sai',
        site_ids: ['1'],
      }),
    ).rejects.toThrow('no audit');
    db.exec('DROP TRIGGER temp.fail_audit');
    expect(tables.map(historyRows)).toEqual(before);
    expect(db.prepare('SELECT target_percent FROM sites WHERE id = ?').pluck().get(SITE)).toBe(70);

    await services.campaigns.create(admin, {
      target_percent: '90',
      starts_on: '2026-11-01',
      deadline: '2027-04-30',
      name: 'Đúng',
      site_ids: ['1'],
    });
    for (const table of ['site_target_history', 'campaign_target_history', 'campaign_membership_history']) {
      if (table === 'site_target_history') {
        db.prepare(
          `INSERT INTO site_target_history (site_id, effective_on, target_percent, changed_at) VALUES (1, ?, 50, ?)`,
        ).run(TODAY, `${TODAY}T03:00:00.000Z`);
      }
      expect(() => db.prepare(`UPDATE ${table} SET effective_on = '2020-01-01'`).run()).toThrow(
        `${table} is append-only`,
      );
      expect(() => db.prepare(`DELETE FROM ${table}`).run()).toThrow(`${table} is append-only`);
    }
  });

  it("when a site's dashboard is asked for a past date after a change, then the page shows the old one", async () => {
    const { retarget, loginAs } = await demo();
    await retarget({ target_percent: '40' });
    const { agent } = await loginAs('leader');
    const past = await agent.get(`/dashboard?scope=site:${SITE}&asOf=${LAST_WEEK}`).expect(200);
    expect(past.text).toContain('Chỉ tiêu 70 %');
    const today = await agent.get(`/dashboard?scope=site:${SITE}&asOf=${TODAY}`).expect(200);
    expect(today.text).toContain('Chỉ tiêu 40 %');
  });
});
