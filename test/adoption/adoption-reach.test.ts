import { beforeAll, describe, expect, it } from 'vitest';
import type { AdoptionService } from '../../src/adoption/adoption-service.js';
import type { AdoptionScope, AreaRow } from '../../src/adoption/adoption-types.js';
import type { Db } from '../../src/db/database.js';
import { NotFoundError } from '../../src/http/errors.js';
import { NO_REACH, WHOLE_COUNTRY, type Reach } from '../../src/vocabulary/reach.js';
import { createDemoTestContext, createTestContext } from '../helpers/app.js';
import { adoptionOn } from './adoption-on.js';

const TODAY = '2026-11-22';
const reachOf = (units: Partial<Omit<Reach, 'wholeCountry'>>): Reach => ({
  wholeCountry: false,
  provinces: [],
  communes: [],
  sites: [],
  ...units,
});
/** Phường Pleiku (Chợ Hoa Lư, site 1) and Xã Chư Prông (sites 2 and 3), both in Gia Lai (52). */
const PLEIKU = reachOf({ communes: ['23575'] });
const CHU_PRONG = reachOf({ communes: ['23887'] });
const GIA_LAI = reachOf({ provinces: ['52'] });

/** An answer without its scope, to compare the figures of two scopes with the same sites. */
const withoutScope = <T extends { scope: unknown }>({ scope: _scope, ...rest }: T) => rest;

/** The message of the NotFoundError a promise rejects with. */
async function notFoundMessage(answer: Promise<unknown>): Promise<string> {
  const error = await answer.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(NotFoundError);
  return (error as Error).message;
}

describe('adoption figures limited to the reach, on the demo programme', () => {
  let db: Db;
  let service: AdoptionService;
  /** The reach each demo user was given by the demo, read from the database. */
  let demoReach: (username: string) => Promise<Reach>;

  beforeAll(async () => {
    const context = await createDemoTestContext();
    db = context.db;
    service = adoptionOn(db);
    demoReach = async (username) => {
      const id = db.prepare('SELECT id FROM users WHERE username = ?').pluck().get(username) as number;
      return (await context.services.users.findWithReach(id))!.reach;
    };
  });

  it("when a commune's volunteer asks for everything, then they get their commune, children and activity", async () => {
    const reach = await demoReach('tnv.hoalu1');
    expect(reach).toEqual(PLEIKU);
    const all: AdoptionScope = { kind: 'all' };
    const commune: AdoptionScope = { kind: 'commune', code: '23575' };
    const figures = await service.figures(reach, all, TODAY);
    expect(figures.scope).toEqual({
      kind: 'all',
      key: 'all',
      name: 'Phường Pleiku',
      province: null,
      commune: null,
      limited: true,
      parents: [],
    });
    expect(withoutScope(figures)).toEqual(withoutScope(await service.figures(WHOLE_COUNTRY, commune, TODAY)));
    expect(figures.coverage.label).toBe('90/117 (76 %)');
    expect(withoutScope(await service.children(reach, all, TODAY))).toEqual(
      withoutScope(await service.children(WHOLE_COUNTRY, commune, TODAY)),
    );
    expect(withoutScope(await service.trend(reach, all, TODAY, 4))).toEqual(
      withoutScope(await service.trend(WHOLE_COUNTRY, commune, TODAY, 4)),
    );
    expect(withoutScope(await service.volunteerActivity(reach, all, TODAY, 4))).toEqual(
      withoutScope(await service.volunteerActivity(WHOLE_COUNTRY, commune, TODAY, 4)),
    );
    expect((await service.sites(reach, all, TODAY)).map((row) => row.name)).toEqual(['Chợ Hoa Lư']);
  });

  it("when the province's leader asks for everything, then they get Gia Lai, its communes as children", async () => {
    const reach = await demoReach('lanhdao.gialai');
    expect(reach).toEqual(GIA_LAI);
    const dashboard = await service.dashboard(reach, { kind: 'all' }, TODAY);
    const province = await service.dashboard(WHOLE_COUNTRY, { kind: 'province', code: '52' }, TODAY);
    expect(dashboard.figures.scope.name).toBe('Gia Lai');
    expect(withoutScope(dashboard.figures)).toEqual(withoutScope(province.figures));
    expect(dashboard.children.level).toBe('communes');
    expect(dashboard.children.rows).toEqual(province.children.rows);
    expect(await demoReach('xem.gialai')).toEqual(GIA_LAI);
  });

  it('when a commune reach asks for its province, another commune or site, then 404 as for unknown ones', async () => {
    const unknownProvince = await notFoundMessage(service.figures(PLEIKU, { kind: 'province', code: '99' }, TODAY));
    const ownProvince = await notFoundMessage(service.figures(PLEIKU, { kind: 'province', code: '52' }, TODAY));
    expect(ownProvince).toBe(unknownProvince.replace('99', '52'));
    const unknownCommune = await notFoundMessage(service.figures(PLEIKU, { kind: 'commune', code: '99999' }, TODAY));
    const otherCommune = await notFoundMessage(service.figures(PLEIKU, { kind: 'commune', code: '23887' }, TODAY));
    expect(otherCommune).toBe(unknownCommune.replace('99999', '23887'));
    const unknownSite = await notFoundMessage(service.figures(PLEIKU, { kind: 'site', id: 9999 }, TODAY));
    expect(await notFoundMessage(service.figures(PLEIKU, { kind: 'site', id: 2 }, TODAY))).toBe(unknownSite);
    // Every question checks the scope the same way.
    await expect(service.dataQuality(PLEIKU, { kind: 'site', id: 2 }, TODAY)).rejects.toThrow(NotFoundError);
    await expect(service.volunteerActivity(PLEIKU, { kind: 'site', id: 2 }, TODAY)).rejects.toThrow(NotFoundError);
    await expect(service.dashboard(PLEIKU, { kind: 'province', code: '52' }, TODAY)).rejects.toThrow(NotFoundError);
    await expect(service.sites(PLEIKU, { kind: 'commune', code: '23887' }, TODAY)).rejects.toThrow(NotFoundError);
  });

  it('when a scope lies in the reach, then its breadcrumbs name only the units in the reach', async () => {
    const site = await service.scope(PLEIKU, { kind: 'site', id: 1 });
    expect(site.parents).toEqual([{ kind: 'commune', code: '23575', name: 'Phường Pleiku' }]);
    expect(site.province).toEqual({ code: '52', name: 'Gia Lai' });
    expect((await service.scope(PLEIKU, { kind: 'commune', code: '23575' })).parents).toEqual([]);
    expect((await service.scope(GIA_LAI, { kind: 'site', id: 1 })).parents).toEqual([
      { kind: 'province', code: '52', name: 'Gia Lai' },
      { kind: 'commune', code: '23575', name: 'Phường Pleiku' },
    ]);
    expect((await service.scope(reachOf({ sites: [1] }), { kind: 'site', id: 1 })).parents).toEqual([]);
  });

  it('when an account is shared with a stall outside the reach, then that stall is counted, never named', async () => {
    const reach = await demoReach('totruong.chuprong');
    expect(reach).toEqual(CHU_PRONG);
    const everywhere = await service.dataQuality(WHOLE_COUNTRY, { kind: 'province', code: '52' }, TODAY);
    expect(everywhere.duplicateAccounts.groups[0]!.stalls.map((stall) => stall.siteId)).toEqual([2, 5]);
    expect(everywhere.duplicateAccounts.groups[0]!.outsideReach).toBe(0);
    const mine = await service.dataQuality(reach, { kind: 'all' }, TODAY);
    expect(mine.duplicateAccounts.count).toBe(1);
    const [group] = mine.duplicateAccounts.groups;
    expect(group!.stalls.map((stall) => [stall.siteId, stall.inScope])).toEqual([[2, true]]);
    expect(group!.outsideReach).toBe(1);
    expect(group!.accountIds).toHaveLength(1);
    expect(group!.maskedAccount).toBe(everywhere.duplicateAccounts.groups[0]!.maskedAccount);
    // Bồng Sơn's lead sees the same group from the other side.
    const other = await service.dataQuality(await demoReach('totruong.bongson'), { kind: 'all' }, TODAY);
    expect(other.duplicateAccounts.groups[0]!.stalls.map((stall) => stall.siteId)).toEqual([5]);
  });

  it('when a reach holds two communes, then "all" names both and lists both as children', async () => {
    const reach = reachOf({ communes: ['23887', '23575'] });
    const children = await service.children(reach, { kind: 'all' }, TODAY);
    expect(children.scope.name).toBe('Phường Pleiku, Xã Chư Prông');
    expect(children.level).toBe('communes');
    expect((children.rows as AreaRow[]).map((row) => row.key).sort()).toEqual(['23575', '23887']);
    const figures = await service.figures(reach, { kind: 'all' }, TODAY);
    const pleiku = await service.figures(WHOLE_COUNTRY, { kind: 'commune', code: '23575' }, TODAY);
    const chuProng = await service.figures(WHOLE_COUNTRY, { kind: 'commune', code: '23887' }, TODAY);
    expect(figures.coverage.census).toBe(pleiku.coverage.census + chuProng.coverage.census);
    expect(figures.coverage.installed).toBe(pleiku.coverage.installed + chuProng.coverage.installed);
    expect(figures.communes.inScope).toBe(2);
    expect(figures.sites.total).toBe(3);
  });

  it('when a reach holds three units, then "all" counts them; with a site, its children are sites', async () => {
    const communes = await service.scope(reachOf({ communes: ['23575', '23887', '21640'] }), { kind: 'all' });
    expect(communes.name).toBe('3 xã, phường');
    const mixed = reachOf({ communes: ['23575', '23887'], sites: [4] });
    expect((await service.scope(mixed, { kind: 'all' })).name).toBe('2 xã, phường · 1 địa điểm');
    const children = await service.children(mixed, { kind: 'all' }, TODAY);
    expect(children.level).toBe('sites');
    expect((children.rows as AreaRow[]).map((row) => row.key).sort()).toEqual(['1', '2', '3', '4']);
    // A commune inside a province of the reach adds nothing: the reach is Gia Lai.
    expect((await service.scope(reachOf({ provinces: ['52'], communes: ['23575'] }), { kind: 'all' })).name).toBe(
      'Gia Lai',
    );
  });
});

describe('campaigns limited to the reach', () => {
  async function campaignOverPleikuAndChuProng() {
    const context = await createDemoTestContext();
    const admin = { id: await context.createUser('quantri', 'admin'), role: 'admin' as const, reach: WHOLE_COUNTRY };
    const id = await context.services.campaigns.create(admin, {
      name: 'Chợ 4.0',
      target_percent: '80',
      starts_on: '2026-11-01',
      deadline: '2027-04-30',
      site_ids: ['1', '2'],
    });
    return { db: context.db, service: adoptionOn(context.db), id };
  }

  it('when a campaign is partly in the reach, then it counts only the sites in the reach and says so', async () => {
    const { service, id } = await campaignOverPleikuAndChuProng();
    const scope: AdoptionScope = { kind: 'campaign', id };
    const whole = await service.figures(WHOLE_COUNTRY, scope, TODAY);
    expect(whole.scope).toMatchObject({ name: 'Chợ 4.0', limited: false });
    const part = await service.figures(PLEIKU, scope, TODAY);
    expect(part.scope).toMatchObject({ kind: 'campaign', name: 'Chợ 4.0 (phần trong phạm vi của bạn)', limited: true });
    const hoaLu = await service.figures(WHOLE_COUNTRY, { kind: 'site', id: 1 }, TODAY);
    expect(part.counts).toEqual(hoaLu.counts);
    expect(part.communes.inScope).toBe(1);
    expect(part.target.percent).toBe(80);
    expect(whole.coverage.census).toBeGreaterThan(part.coverage.census);
    const children = await service.children(PLEIKU, scope, TODAY);
    expect(children.rows.map((row) => ('key' in row ? row.key : row.id))).toEqual(['1']);
    // A reach over all its sites sees it whole.
    expect((await service.figures(GIA_LAI, scope, TODAY)).scope).toMatchObject({ name: 'Chợ 4.0', limited: false });
  });

  it('when a campaign has no site in the reach, then it is not found, as an unknown one', async () => {
    const { service, id } = await campaignOverPleikuAndChuProng();
    const unknown = await notFoundMessage(service.figures(WHOLE_COUNTRY, { kind: 'campaign', id: id + 100 }, TODAY));
    const away = reachOf({ communes: ['21640'] });
    expect(await notFoundMessage(service.figures(away, { kind: 'campaign', id }, TODAY))).toBe(unknown);
    expect(await notFoundMessage(service.figures(NO_REACH, { kind: 'campaign', id }, TODAY))).toBe(unknown);
  });
});

describe('a user with no reach', () => {
  it('when they ask for everything, then every answer is empty, not an error', async () => {
    const context = await createDemoTestContext();
    const service = adoptionOn(context.db);
    const all: AdoptionScope = { kind: 'all' };
    const dashboard = await service.dashboard(NO_REACH, all, TODAY);
    expect(dashboard.figures.scope).toMatchObject({ name: 'Chưa có phạm vi', limited: true });
    expect(dashboard.figures.coverage).toMatchObject({ census: 0, installed: 0, label: 'chưa có sạp' });
    expect(dashboard.figures.sites.total).toBe(0);
    expect(dashboard.figures.communes.label).toBe('0/0');
    expect(dashboard.children.rows).toEqual([]);
    expect(await service.sites(NO_REACH, all, TODAY)).toEqual([]);
    expect((await service.volunteerActivity(NO_REACH, all, TODAY)).volunteers).toEqual([]);
    const quality = await service.dataQuality(NO_REACH, all, TODAY);
    expect([quality.unverifiedAccounts.count, quality.staleFollowUps.count, quality.duplicateAccounts.count]).toEqual([
      0, 0, 0,
    ]);
    expect(quality.stickers).toEqual({ revoked: 0, replaced: 0 });
    await expect(service.figures(NO_REACH, { kind: 'site', id: 1 }, TODAY)).rejects.toThrow(NotFoundError);
  });

  it('when the registry is empty too, then the whole country still lists every province', async () => {
    const service = adoptionOn(createTestContext().db);
    expect((await service.children(WHOLE_COUNTRY, { kind: 'all' }, TODAY)).rows).toHaveLength(34);
    expect((await service.children(NO_REACH, { kind: 'all' }, TODAY)).rows).toEqual([]);
  });
});
