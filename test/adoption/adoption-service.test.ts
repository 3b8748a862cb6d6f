import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { createAdoption } from '../../src/adoption/create-adoption.js';
import { createAdoptionRepo } from '../../src/adoption/adoption-repo.js';
import { createAdoptionService } from '../../src/adoption/adoption-service.js';
import { createAdoptionSnapshot } from '../../src/adoption/adoption-snapshot.js';
import { createDataQualityRepo } from '../../src/adoption/data-quality-repo.js';
import { SharedAccountNumbers } from '../../src/adoption/shared-accounts.js';
import { sqliteDataAccess } from '../../src/db/data-access.js';
import { adoptionOn } from './adoption-on.js';
import type { AdoptionScope, AreaRow, SiteAreaRow } from '../../src/adoption/adoption-types.js';
import { fixedClock } from '../../src/clock.js';
import { openDatabase, type Db } from '../../src/db/database.js';
import { loadMigrations, migrate } from '../../src/db/migrate.js';
import { migrationsDir } from '../../src/paths.js';
import { seedDemo } from '../../src/demo/demo-seed.js';
import { NotFoundError, ValidationError } from '../../src/http/errors.js';
import { vietnamDate } from '../../src/calendar/calendar.js';
import { REFUSAL_REASONS, STALL_STATUSES } from '../../src/vocabulary/stall-status.js';
import { CHEAP_DEMO_HASHES, createTestDb } from '../helpers/db.js';
import { loadRaw, naiveActivity, naiveChildren, naiveDataQuality, naiveFigures, naiveTrend } from './naive-recount.js';
import { NO_REACH, WHOLE_COUNTRY } from '../../src/vocabulary/reach.js';

const NOW = '2026-11-22T03:00:00Z';
const TODAY = vietnamDate(new Date(NOW));

/** Every number in a nested answer, to check none is NaN or infinite. */
function numbers(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(numbers);
  return [];
}

describe('adoption figures on the demo programme', () => {
  let db: Db;
  beforeAll(async () => {
    db = createTestDb();
    await seedDemo(sqliteDataAccess(db), fixedClock(NOW), CHEAP_DEMO_HASHES);
  });

  it(
    'when asked for today, ' + "then the figures recomputed from the history equal the stalls' current status",
    async () => {
      const service = adoptionOn(db);
      const current = db.prepare('SELECT status, count(*) AS n FROM stalls GROUP BY status').all() as {
        status: string;
        n: number;
      }[];
      const figures = await service.figures(WHOLE_COUNTRY, { kind: 'province', code: '52' }, TODAY);
      for (const status of STALL_STATUSES) {
        expect(figures.counts[status], status).toBe(current.find((row) => row.status === status)?.n ?? 0);
      }
      const reasons = db
        .prepare('SELECT refusal_reason AS reason, count(*) AS n FROM stalls WHERE status = ? GROUP BY 1')
        .all('refused') as {
        reason: string;
        n: number;
      }[];
      for (const reason of REFUSAL_REASONS) {
        expect(figures.funnel.refusals[reason], reason).toBe(reasons.find((row) => row.reason === reason)?.n ?? 0);
      }
      // Stall by stall, as each site's children.
      const stalls = db.prepare('SELECT id, site_id, status, refusal_reason FROM stalls').all() as {
        id: number;
        site_id: number;
        status: string;
        refusal_reason: string | null;
      }[];
      const siteIds = [...new Set(stalls.map((stall) => stall.site_id))];
      for (const siteId of siteIds) {
        const children = await service.children(WHOLE_COUNTRY, { kind: 'site', id: siteId }, TODAY);
        expect(children.level).toBe('stalls');
        const byId = new Map(
          children.rows.map((row) => [
            (row as { id: number }).id,
            row as { status: string; refusalReason: string | null },
          ]),
        );
        for (const stall of stalls.filter((s) => s.site_id === siteId)) {
          expect(byId.get(stall.id)).toMatchObject({ status: stall.status, refusalReason: stall.refusal_reason });
        }
      }
    },
  );

  it('shows the demo facts: Chợ Hoa Lư 90/117 (76 %) đạt, Chợ tạm thôn 3 behind its target', async () => {
    const service = adoptionOn(db);
    const sites = await service.children(WHOLE_COUNTRY, { kind: 'province', code: '52' }, TODAY);
    expect(sites.level).toBe('communes');
    const id = (name: string) => db.prepare('SELECT id FROM sites WHERE name = ?').pluck().get(name) as number;
    const hoaLu = await service.figures(WHOLE_COUNTRY, { kind: 'site', id: id('Chợ Hoa Lư') }, TODAY);
    expect(hoaLu.coverage.label).toBe('90/117 (76 %)');
    expect(hoaLu.target).toMatchObject({ percent: 70, achieved: true, gapClass: 'achieved', source: 'site' });
    const thon3 = await service.figures(WHOLE_COUNTRY, { kind: 'site', id: id('Chợ tạm thôn 3') }, TODAY);
    expect(thon3.coverage.label).toBe('29/58 (50 %)');
    expect(thon3.target).toMatchObject({ achieved: false, gapPp: -20, gapClass: 'behind' });
    expect(hoaLu.transferShare).toMatchObject({ estimate: true, label: 'ước tính' });
    expect(hoaLu.transferShare.n).toBeGreaterThan(0);
  });

  it('finds the planted duplicate account and no stall accepting QR without a name check', async () => {
    const quality = await adoptionOn(db).dataQuality(WHOLE_COUNTRY, { kind: 'province', code: '52' }, TODAY);
    expect(quality.duplicateAccounts.count).toBe(1);
    expect(quality.duplicateAccounts.groups[0]!.stalls).toHaveLength(2);
    expect(quality.duplicateAccounts.groups[0]!.maskedAccount).toMatch(/^•••• \d{4}$/);
    expect(quality.unverifiedAccounts.count).toBe(0);
  });

  it('agrees with the naive recount on every figure, today and in the past', async () => {
    const service = adoptionOn(db);
    const raw = loadRaw(db);
    const scope: AdoptionScope = { kind: 'province', code: '52' };
    for (const asOf of [TODAY, '2026-10-01', '2026-09-01']) {
      expect(await service.figures(WHOLE_COUNTRY, scope, asOf)).toEqual(naiveFigures(raw, WHOLE_COUNTRY, scope, asOf));
      expect(await service.children(WHOLE_COUNTRY, scope, asOf)).toEqual(
        naiveChildren(raw, WHOLE_COUNTRY, scope, asOf),
      );
      expect(await service.trend(WHOLE_COUNTRY, scope, asOf, 12)).toEqual(
        naiveTrend(raw, WHOLE_COUNTRY, scope, asOf, 12),
      );
      expect(await service.volunteerActivity(WHOLE_COUNTRY, scope, asOf, 12)).toEqual(
        naiveActivity(raw, WHOLE_COUNTRY, scope, asOf, 12),
      );
      expect(await service.dataQuality(WHOLE_COUNTRY, scope, asOf)).toEqual(
        naiveDataQuality(raw, WHOLE_COUNTRY, scope, asOf),
      );
    }
  });

  it('gives a dashboard: this week, last week and the change between them', async () => {
    const dashboard = await adoptionOn(db).dashboard(WHOLE_COUNTRY, { kind: 'province', code: '52' }, TODAY);
    expect(dashboard.lastWeek.asOf).toBe('2026-11-15');
    expect(dashboard.change.installed).toBe(
      dashboard.figures.coverage.installed - dashboard.lastWeek.coverage.installed,
    );
    expect(dashboard.trend.points.at(-1)!.label).toBe(dashboard.figures.coverage.label);
    expect(dashboard.trend.points.at(-2)!.label).toBe(dashboard.lastWeek.coverage.label);
    expect(dashboard.trend.points).toHaveLength(13);
    const activity = await adoptionOn(db).volunteerActivity(WHOLE_COUNTRY, { kind: 'province', code: '52' }, TODAY);
    expect(activity.weeks.at(-1)!.activeVolunteers).toBeGreaterThan(0);
  });

  it(
    "lists a scope's sites as the children of its communes list them, " + 'merged in gap order, with unit names',
    async () => {
      const service = adoptionOn(db);
      const collator = new Intl.Collator('vi', { sensitivity: 'base' });
      // The children's order: gap ascending, empty (null) last, then name, then key.
      const byGap = (a: AreaRow, b: AreaRow) =>
        (a.target.gapPp === null || b.target.gapPp === null
          ? Number(a.target.gapPp === null) - Number(b.target.gapPp === null)
          : a.target.gapPp - b.target.gapPp) ||
        collator.compare(a.name, b.name) ||
        a.key.localeCompare(b.key);
      const withoutNames = ({ commune: _commune, province: _province, ...row }: SiteAreaRow): AreaRow => row;
      for (const asOf of [TODAY, '2026-09-01']) {
        const all: AreaRow[] = [];
        for (const province of (await service.children(WHOLE_COUNTRY, { kind: 'all' }, asOf)).rows as AreaRow[]) {
          for (const commune of (await service.children(WHOLE_COUNTRY, { kind: 'province', code: province.key }, asOf))
            .rows as AreaRow[]) {
            const scope: AdoptionScope = { kind: 'commune', code: commune.key };
            const children = (await service.children(WHOLE_COUNTRY, scope, asOf)).rows as AreaRow[];
            const sites = await service.sites(WHOLE_COUNTRY, scope, asOf);
            expect(sites.map(withoutNames)).toEqual(children);
            const info = await service.scope(WHOLE_COUNTRY, scope);
            for (const site of sites) expect([site.commune, site.province]).toEqual([info.commune, info.province]);
            all.push(...children);
          }
        }
        expect(all.length).toBeGreaterThan(0);
        expect((await service.sites(WHOLE_COUNTRY, { kind: 'all' }, asOf)).map(withoutNames)).toEqual(all.sort(byGap));
      }
      const hoaLu = (await service.sites(WHOLE_COUNTRY, { kind: 'all' }, TODAY)).find(
        (row) => row.name === 'Chợ Hoa Lư',
      )!;
      expect(await service.sites(WHOLE_COUNTRY, { kind: 'site', id: Number(hoaLu.key) }, TODAY)).toEqual([hoaLu]);
    },
  );
});

describe('empty scopes', () => {
  it('when a commune has no site, then the census is 0, coverage shows "chưa có sạp" and nothing is NaN', async () => {
    const service = adoptionOn(createTestDb());
    const figures = await service.figures(WHOLE_COUNTRY, { kind: 'commune', code: '23575' }, '2026-11-22');
    expect(figures.coverage).toMatchObject({
      census: 0,
      installed: 0,
      percent: null,
      ratio: null,
      label: 'chưa có sạp',
      achieved: false,
    });
    expect(figures.target).toMatchObject({ percent: null, gapPp: null, gapClass: 'empty', achieved: false });
    expect(figures.communes).toEqual({ withAchievedSite: 0, inScope: 1, percent: 0, label: '0/1' });
    expect(figures.transferShare).toMatchObject({ n: 0, median: null, summary: 'ước tính: chưa có số liệu' });
    expect(figures.sites).toMatchObject({ total: 0, achieved: 0 });
    const trend = await service.trend(WHOLE_COUNTRY, { kind: 'commune', code: '23575' }, '2026-11-22', 4);
    expect(trend.points.map((point) => point.label)).toEqual(Array(5).fill('chưa có sạp'));
    const everything = [
      figures,
      trend,
      await service.children(WHOLE_COUNTRY, { kind: 'province', code: '52' }, '2026-11-22'),
      await service.dataQuality(WHOLE_COUNTRY, { kind: 'all' }, '2026-11-22'),
    ];
    for (const answer of everything) expect(numbers(answer).filter((n) => !Number.isFinite(n))).toEqual([]);
  });

  it('when the user reaches nothing, then "all" has no commune: "0/0", percent null', async () => {
    const figures = await adoptionOn(createTestDb()).figures(NO_REACH, { kind: 'all' }, '2026-11-22');
    expect(figures.communes).toEqual({ withAchievedSite: 0, inScope: 0, percent: null, label: '0/0' });
    expect(figures.coverage.label).toBe('chưa có sạp');
  });

  it('lists every province under "all", empty ones last', async () => {
    const children = await adoptionOn(createTestDb()).children(WHOLE_COUNTRY, { kind: 'all' }, '2026-11-22');
    expect(children.level).toBe('provinces');
    expect(children.rows).toHaveLength(34);
    expect(children.rows.every((row) => 'target' in row && row.target.gapClass === 'empty')).toBe(true);
  });
});

describe('errors', () => {
  const service = adoptionOn(createTestDb());
  it.each<AdoptionScope>([
    { kind: 'province', code: '99' },
    { kind: 'commune', code: '99999' },
    { kind: 'site', id: 12345 },
    { kind: 'campaign', id: 7 },
  ])('an unknown %o is a NotFoundError', async (scope) => {
    await expect(service.figures(WHOLE_COUNTRY, scope, '2026-11-22')).rejects.toThrow(NotFoundError);
  });

  it('when a reach names a unit that does not exist, then it is left out, not an error', async () => {
    const reach = { wholeCountry: false, provinces: ['52', '99'], communes: ['99999'], sites: [12345] };
    expect((await service.scope(reach, { kind: 'all' })).name).toBe('Gia Lai');
  });

  it.each(['2026-02-30', '22/11/2026', '', '1900-01-01'])('"%s" is not a date to ask about', async (asOf) => {
    await expect(service.figures(WHOLE_COUNTRY, { kind: 'all' }, asOf)).rejects.toThrow(ValidationError);
  });

  it.each([0, 105, 2.5])('%s weeks is refused', async (weeks) => {
    await expect(service.trend(WHOLE_COUNTRY, { kind: 'all' }, '2026-11-22', weeks)).rejects.toThrow(ValidationError);
  });
});

describe('a site followed by hand', () => {
  // Chợ X in Phường Pleiku, launched 1/1/2026 with a deadline of 11/4/2026 (100 days) for 70 %.
  function build() {
    const db = createTestDb();
    const at = '2025-12-01T00:00:00.000Z';
    const siteId = Number(
      db
        .prepare(
          `INSERT INTO sites (kind, name, name_folded, commune_code, target_percent, target_deadline, ` +
            `launched_on, created_at, updated_at)
           VALUES ('market', 'Chợ X', 'cho x', '23575', 70, '2026-04-11', '2026-01-01', ?, ?)`,
        )
        .run(at, at).lastInsertRowid,
    );
    const stall = db.prepare(
      `INSERT INTO stalls (site_id, label, goods_category, status, search_folded, created_at, updated_at) ` +
        `VALUES (?, ?, 'rau_cu', 'surveyed', '', ?, ?)`,
    );
    const move = db.prepare(
      'INSERT INTO stall_status_history (stall_id, to_status, changed_at, reason) VALUES (?, ?, ?, ?)',
    );
    const ids = ['Sạp 1', 'Sạp 2', 'Sạp 3', 'Sạp 4'].map((label) =>
      Number(stall.run(siteId, label, at, at).lastInsertRowid),
    );
    for (const id of ids) move.run(id, 'surveyed', '2025-12-20T02:00:00.000Z', null);
    // Sạp 1 installs at 23:59:59.999 on 31/1 local time (16:59:59.999Z): counted on 31/1, not on 30/1.
    move.run(ids[0], 'installed', '2026-01-31T16:59:59.999Z', null);
    // Sạp 2 installs on 1/2 local (17:00Z on 31/1), then the sticker goes missing, then back.
    move.run(ids[1], 'installed', '2026-01-31T17:00:00.000Z', null);
    move.run(ids[1], 'qr_verified', '2026-02-10T03:00:00.000Z', null);
    move.run(ids[1], 'installed', '2026-02-12T03:00:00.000Z', null);
    // Sạp 3 refuses, for a reason that is not one of ours: counted as "other".
    move.run(ids[2], 'refused', '2026-01-15T03:00:00.000Z', 'bận');
    // Sạp 4 closes: out of the census.
    move.run(ids[3], 'closed', '2026-02-01T03:00:00.000Z', 'Nghỉ bán');
    return { db, siteId };
  }

  it.each([
    ['2026-01-14', '0/4 (0 %)', 0],
    ['2026-01-30', '0/4 (0 %)', 1],
    ['2026-01-31', '1/4 (25 %)', 1],
    ['2026-02-01', '2/3 (66 %)', 1], // Sạp 4 closed: 2 of 3
    ['2026-02-11', '1/3 (33 %)', 1],
    ['2026-02-12', '2/3 (66 %)', 1],
  ])('as of %s: %s, %i refused', async (asOf, label, refused) => {
    const { db, siteId } = build();
    const figures = await adoptionOn(db).figures(WHOLE_COUNTRY, { kind: 'site', id: siteId }, asOf);
    expect(figures.coverage.label).toBe(label);
    expect(figures.funnel.refused).toBe(refused);
    expect(figures.funnel.refusals.other).toBe(refused);
  });

  it('expects coverage on a straight line from 0 % on 1/1 to 70 % on 11/4', async () => {
    const { db, siteId } = build();
    const trend = await adoptionOn(db).trend(WHOLE_COUNTRY, { kind: 'site', id: siteId }, '2026-02-20', 2);
    expect(trend.schedule).toEqual({
      source: 'site',
      startsOn: '2026-01-01',
      deadline: '2026-04-11',
      targetPercent: 70,
      startPercent: 0,
    });
    // 50 of 100 days: 35 %.
    expect(trend.expectedByToday).toBe(35);
    expect(trend.points.map((point) => [point.asOf, point.label, point.expectedPercent])).toEqual([
      ['2026-02-06', '2/3 (66 %)', 25.2],
      ['2026-02-13', '2/3 (66 %)', 30.1],
      ['2026-02-20', '2/3 (66 %)', 35],
    ]);
  });

  it('when the site joins a campaign, then the campaign target, start and deadline apply', async () => {
    const { db, siteId } = build();
    const campaignId = Number(
      db
        .prepare(
          `INSERT INTO campaigns (name, target_percent, starts_on, deadline, created_at) ` +
            `VALUES ('Chợ 4.0', 80, '2026-02-01', '2026-03-03', ?)`,
        )
        .run('2026-01-01T00:00:00.000Z').lastInsertRowid,
    );
    db.prepare('INSERT INTO campaign_sites (campaign_id, site_id) VALUES (?, ?)').run(campaignId, siteId);
    const service = adoptionOn(db);
    const figures = await service.figures(WHOLE_COUNTRY, { kind: 'site', id: siteId }, '2026-02-12');
    expect(figures.target).toMatchObject({
      percent: 80,
      source: 'campaign',
      deadline: '2026-03-03',
      campaign: { id: campaignId, name: 'Chợ 4.0' },
    });
    expect(figures.target.gapPp).toBe(-13.4);
    const trend = await service.trend(WHOLE_COUNTRY, { kind: 'site', id: siteId }, '2026-02-16', 1);
    // On 31/1 (the day before the start) the site stood at 1/4 = 25 %; 15 of 30 days later: 52.5 %.
    expect(trend.schedule).toMatchObject({ source: 'campaign', startsOn: '2026-02-01', startPercent: 25 });
    expect(trend.expectedByToday).toBe(52.5);
    const campaign = await service.figures(WHOLE_COUNTRY, { kind: 'campaign', id: campaignId }, '2026-02-12');
    expect(campaign.target).toMatchObject({ percent: 80, source: 'campaign', deadline: '2026-03-03' });
    expect(campaign.communes.label).toBe('0/1');
  });

  it('when asked again after a status change, then the same service sees it', async () => {
    const { db, siteId } = build();
    const service = adoptionOn(db);
    expect((await service.figures(WHOLE_COUNTRY, { kind: 'site', id: siteId }, '2026-03-01')).coverage.label).toBe(
      '2/3 (66 %)',
    );
    const sap3 = db.prepare("SELECT id FROM stalls WHERE label = 'Sạp 3'").pluck().get() as number;
    db.prepare('INSERT INTO stall_status_history (stall_id, to_status, changed_at) VALUES (?, ?, ?)').run(
      sap3,
      'installed',
      '2026-02-28T03:00:00.000Z',
    );
    expect((await service.figures(WHOLE_COUNTRY, { kind: 'site', id: siteId }, '2026-03-01')).coverage.label).toBe(
      '3/3 (100 %)',
    );
    expect((await service.figures(WHOLE_COUNTRY, { kind: 'site', id: siteId }, '2026-02-27')).coverage.label).toBe(
      '2/3 (66 %)',
    );
  });
});

describe('keeping up with the database', () => {
  function site(db: Db, target = 70): number {
    const at = '2026-01-01T00:00:00.000Z';
    const siteId = Number(
      db
        .prepare(
          `INSERT INTO sites (kind, name, name_folded, commune_code, target_percent, created_at, updated_at) ` +
            `VALUES ('street', 'Phố Y', 'pho y', '23575', ?, ?, ?)`,
        )
        .run(target, at, at).lastInsertRowid,
    );
    const stall = db.prepare(
      `INSERT INTO stalls (site_id, label, goods_category, status, search_folded, created_at, updated_at) ` +
        `VALUES (?, ?, 'an_uong', 'installed', '', ?, ?)`,
    );
    const move = db.prepare('INSERT INTO stall_status_history (stall_id, to_status, changed_at) VALUES (?, ?, ?)');
    for (const [label, status] of [
      ['số 1', 'installed'],
      ['số 2', 'installed'],
      ['số 3', 'surveyed'],
    ] as const) {
      const id = Number(stall.run(siteId, label, at, at).lastInsertRowid);
      move.run(id, status, '2026-01-02T03:00:00.000Z');
    }
    return siteId;
  }

  it('when a site target is edited on the same connection, then the next figures use it', async () => {
    const db = createTestDb();
    const siteId = site(db, 60);
    const service = adoptionOn(db);
    expect((await service.figures(WHOLE_COUNTRY, { kind: 'site', id: siteId }, '2026-02-01')).target).toMatchObject({
      percent: 60,
      achieved: true,
    });
    db.prepare('UPDATE sites SET target_percent = 80 WHERE id = ?').run(siteId);
    expect((await service.figures(WHOLE_COUNTRY, { kind: 'site', id: siteId }, '2026-02-01')).target).toMatchObject({
      percent: 80,
      achieved: false,
    });
  });

  it(
    'when figures are read inside a transaction that rolls back, ' + 'then later figures forget what was rolled back',
    async () => {
      const db = createTestDb();
      const siteId = site(db);
      const data = sqliteDataAccess(db);
      const service = createAdoption(data).service;
      const stallId = db.prepare("SELECT id FROM stalls WHERE label = 'số 3'").pluck().get() as number;
      await expect(
        data.transaction(async () => {
          db.prepare('INSERT INTO stall_status_history (stall_id, to_status, changed_at) VALUES (?, ?, ?)').run(
            stallId,
            'installed',
            '2026-01-05T03:00:00.000Z',
          );
          db.prepare('UPDATE sites SET target_percent = 90 WHERE id = ?').run(siteId);
          expect(
            (await service.figures(WHOLE_COUNTRY, { kind: 'site', id: siteId }, '2026-02-01')).coverage.label,
          ).toBe('3/3 (100 %)');
          throw new Error('roll back');
        }),
      ).rejects.toThrow('roll back');
      const figures = await service.figures(WHOLE_COUNTRY, { kind: 'site', id: siteId }, '2026-02-01');
      expect(figures.coverage.label).toBe('2/3 (66 %)');
      expect(figures.target.percent).toBe(70);
      // New rows after the rollback reuse the rolled-back ids: they must be seen.
      db.prepare('INSERT INTO stall_status_history (stall_id, to_status, changed_at) VALUES (?, ?, ?)').run(
        stallId,
        'refused',
        '2026-01-06T03:00:00.000Z',
      );
      expect((await service.figures(WHOLE_COUNTRY, { kind: 'site', id: siteId }, '2026-02-01')).funnel.refused).toBe(1);
    },
  );

  it(
    'when questions arrive at once, inside and outside a transaction, ' +
      'then each sees new rows once and none waits forever',
    async () => {
      const db = createTestDb();
      const siteId = site(db);
      const data = sqliteDataAccess(db);
      const service = createAdoption(data).service;
      await service.warm();
      const userId = Number(
        db
          .prepare(
            `INSERT INTO users (username, display_name, role, password_hash, created_at) ` +
              `VALUES ('tnv', 'Tình nguyện viên', 'volunteer', 'x', ?)`,
          )
          .run('2026-01-01T00:00:00.000Z').lastInsertRowid,
      );
      const stallId = db.prepare("SELECT id FROM stalls WHERE label = 'số 3'").pluck().get() as number;
      db.prepare('INSERT INTO stall_status_history (stall_id, to_status, changed_at) VALUES (?, ?, ?)').run(
        stallId,
        'installed',
        '2026-01-05T03:00:00.000Z',
      );
      const visit = db.prepare(
        `INSERT INTO visits (stall_id, user_id, visited_at, action, sticker_displayed) VALUES (?, ?, ?, ?, ?)`,
      );
      visit.run(stallId, userId, '2026-01-05T03:00:00.000Z', 'installed', null);
      visit.run(stallId, userId, '2026-01-20T03:00:00.000Z', 'follow_up', 'yes');
      const scope: AdoptionScope = { kind: 'site', id: siteId };
      // Every refresh must read the new rows once: two refreshing at the same time would count the visits twice.
      const [inside, outside, activity] = await Promise.all([
        data.transaction(() =>
          Promise.all([
            service.volunteerActivity(WHOLE_COUNTRY, scope, '2026-02-01', 6),
            service.figures(WHOLE_COUNTRY, scope, '2026-02-01'),
          ]),
        ),
        service.figures(WHOLE_COUNTRY, scope, '2026-02-01'),
        service.volunteerActivity(WHOLE_COUNTRY, scope, '2026-02-01', 6),
      ]);
      const raw = loadRaw(db);
      expect(inside).toEqual([
        naiveActivity(raw, WHOLE_COUNTRY, scope, '2026-02-01', 6),
        naiveFigures(raw, WHOLE_COUNTRY, scope, '2026-02-01'),
      ]);
      expect(outside).toEqual(inside[1]);
      expect(activity).toEqual(inside[0]);
      expect(activity.volunteers).toMatchObject([{ userId, visits: 2 }]);
      expect(outside.funnel).toMatchObject({ installed: 3, followedUp: 1, stillDisplayed: 1 });
    },
  );

  it('when another connection writes, then the figures follow', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'phoqr-adoption-'));
    try {
      const file = path.join(dir, 'registry.sqlite');
      const writer = openDatabase(file);
      migrate(writer, loadMigrations(migrationsDir));
      const siteId = site(writer, 60);
      const reader = openDatabase(file);
      const service = adoptionOn(reader);
      expect((await service.figures(WHOLE_COUNTRY, { kind: 'site', id: siteId }, '2026-02-01')).coverage.label).toBe(
        '2/3 (66 %)',
      );
      writer.prepare('UPDATE sites SET target_percent = 80 WHERE id = ?').run(siteId);
      const stallId = writer.prepare("SELECT id FROM stalls WHERE label = 'số 3'").pluck().get() as number;
      writer
        .prepare('INSERT INTO stall_status_history (stall_id, to_status, changed_at) VALUES (?, ?, ?)')
        .run(stallId, 'closed', '2026-01-05T03:00:00.000Z');
      const figures = await service.figures(WHOLE_COUNTRY, { kind: 'site', id: siteId }, '2026-02-01');
      expect(figures.coverage.label).toBe('2/2 (100 %)');
      expect(figures.target.percent).toBe(80);
      reader.close();
      writer.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('when accounts are name-checked, retired and moved in place, then the unverified list follows', async () => {
    const db = createTestDb();
    const siteId = site(db);
    const service = adoptionOn(db);
    const scope: AdoptionScope = { kind: 'site', id: siteId };
    const unverified = async (asOf = '2026-02-01') =>
      (await service.dataQuality(WHOLE_COUNTRY, scope, asOf)).unverifiedAccounts.stalls.map((s) => s.label);
    expect(await unverified()).toEqual(['số 1', 'số 2']);
    const idOf = (label: string) => db.prepare('SELECT id FROM stalls WHERE label = ?').pluck().get(label) as number;
    const account = Number(
      db
        .prepare(
          `INSERT INTO stall_accounts (stall_id, bin, account_number, service, holder_name, source, is_primary, ` +
            `created_at) VALUES (?, '970436', '0123456789', 'account', 'NGUYEN VAN A', 'typed', 0, ?)`,
        )
        .run(idOf('số 1'), '2026-01-03T03:00:00.000Z').lastInsertRowid,
    );
    expect(await unverified()).toEqual(['số 1', 'số 2']);
    db.prepare("UPDATE stall_accounts SET verified_at = ?, verified_name_seen = 'NGUYEN VAN A' WHERE id = ?").run(
      '2026-01-10T03:00:00.000Z',
      account,
    );
    expect(await unverified()).toEqual(['số 2']);
    // Before the name check, and in Vietnam's day: 10 January 03:00 UTC is 10:00 on the 10th.
    expect(await unverified('2026-01-09')).toEqual(['số 1', 'số 2']);
    expect(await unverified('2026-01-10')).toEqual(['số 2']);
    db.prepare('UPDATE stall_accounts SET stall_id = ? WHERE id = ?').run(idOf('số 2'), account);
    expect(await unverified()).toEqual(['số 1']);
    db.prepare('UPDATE stall_accounts SET retired_at = ? WHERE id = ?').run('2026-01-20T03:00:00.000Z', account);
    expect(await unverified()).toEqual(['số 1', 'số 2']);
    expect(await unverified('2026-01-19')).toEqual(['số 1']);
    expect(await unverified()).toEqual(await unverified());
  });

  it('when another connection writes only stalls, then the sites are not read again; a site change is', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'phoqr-adoption-'));
    try {
      const file = path.join(dir, 'registry.sqlite');
      const writer = openDatabase(file);
      migrate(writer, loadMigrations(migrationsDir));
      const siteId = site(writer, 60);
      const reader = openDatabase(file);
      const data = sqliteDataAccess(reader);
      const repo = createAdoptionRepo(data);
      let siteReads = 0;
      const counted = { ...repo, sites: () => (siteReads++, repo.sites()) };
      const qualityRepo = createDataQualityRepo(data);
      const service = createAdoptionService({
        snapshot: createAdoptionSnapshot(counted),
        repo: counted,
        qualityRepo,
        sharedAccounts: new SharedAccountNumbers(qualityRepo),
      });
      const scope: AdoptionScope = { kind: 'site', id: siteId };
      await service.figures(WHOLE_COUNTRY, scope, '2026-02-01');
      const readsAfterBuild = siteReads;
      const stallId = writer.prepare("SELECT id FROM stalls WHERE label = 'số 3'").pluck().get() as number;
      writer
        .prepare('INSERT INTO stall_status_history (stall_id, to_status, changed_at) VALUES (?, ?, ?)')
        .run(stallId, 'closed', '2026-01-05T03:00:00.000Z');
      expect((await service.figures(WHOLE_COUNTRY, scope, '2026-02-01')).coverage.label).toBe('2/2 (100 %)');
      expect(siteReads).toBe(readsAfterBuild);
      writer.prepare('UPDATE sites SET target_percent = 80 WHERE id = ?').run(siteId);
      expect((await service.figures(WHOLE_COUNTRY, scope, '2026-02-01')).target.percent).toBe(80);
      expect(siteReads).toBe(readsAfterBuild + 1);
      reader.close();
      writer.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
