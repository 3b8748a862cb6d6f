import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/database.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../src/http/errors.js';
import { NO_REACH } from '../../src/vocabulary/reach.js';
import {
  COMMUNE_A,
  COMMUNE_B,
  communeReach,
  PERSONAL_A,
  provinceReach,
  registryOfTwoCommunes,
  siteReach,
} from '../helpers/registry.js';

const NEW_SITE = { kind: 'street', name: 'Tuyến phố Quang Trung', target_percent: '70' };
const OUTSIDE = 'Xã/phường này nằm ngoài phạm vi bạn phụ trách.';

function siteNames(sites: { name: string }[]): string[] {
  return sites.map((site) => site.name).sort();
}

function countSites(db: Db): number {
  return (db.prepare('SELECT count(*) AS n FROM sites').get() as { n: number }).n;
}

describe('sites service: reach', () => {
  it('when a volunteer of commune A lists sites, then only the sites of commune A come back', async () => {
    const { services, actor } = await registryOfTwoCommunes();
    const volunteer = await actor('tnv.a', 'volunteer', communeReach(COMMUNE_A));
    expect(siteNames(await services.sites.listSites(volunteer, {}))).toEqual(['Chợ Hoa Lư', 'Chợ Mới Pleiku']);
    expect(await services.sites.listSites(volunteer, { query: 'chu prong' })).toEqual([]);
    expect(await services.sites.listSites(volunteer, { communeCode: COMMUNE_B })).toEqual([]);
  });

  it('when a whole-country admin lists sites, then every site comes back with its counts', async () => {
    const { services, admin } = await registryOfTwoCommunes();
    const sites = await services.sites.listSites(admin, {});
    expect(siteNames(sites)).toEqual(['Chợ Bến Thành', 'Chợ Chư Prông', 'Chợ Hoa Lư', 'Chợ Mới Pleiku']);
    expect(sites.find((site) => site.name === 'Chợ Hoa Lư')!.counts.qr_verified).toBe(1);
  });

  it('when the list is searched, then each match has the same counts as in the whole list', async () => {
    const { services, admin } = await registryOfTwoCommunes();
    const whole = await services.sites.listSites(admin, {});
    const found = await services.sites.listSites(admin, { query: 'hoa lu' });
    expect(found.map((site) => site.name)).toEqual(['Chợ Hoa Lư']);
    expect(found[0]!.counts).toEqual(whole.find((site) => site.name === 'Chợ Hoa Lư')!.counts);
    expect(found[0]!.coverage).toEqual(whole.find((site) => site.name === 'Chợ Hoa Lư')!.coverage);
  });

  it(
    'when a user of province 52 lists sites, ' +
      'then the sites of both its communes come back, not the other province',
    async () => {
      const { services, actor } = await registryOfTwoCommunes();
      const leader = await actor('lanhdao.52', 'leader', provinceReach('52'));
      expect(siteNames(await services.sites.listSites(leader, {}))).toEqual([
        'Chợ Chư Prông',
        'Chợ Hoa Lư',
        'Chợ Mới Pleiku',
      ]);
    },
  );

  it('when an actor has no reach at all, then no site is listed and none can be read', async () => {
    const { services, admin, ids } = await registryOfTwoCommunes();
    const nobody = { ...admin, role: 'volunteer' as const, reach: NO_REACH };
    expect(await services.sites.listSites(nobody, {})).toEqual([]);
    await expect(services.sites.getSite(nobody, ids.siteA)).rejects.toThrow(NotFoundError);
  });

  it(
    'when a volunteer of commune A asks for a site of commune B, ' +
      'then it is a 404 with the message of a site that does not exist',
    async () => {
      const { services, actor, ids } = await registryOfTwoCommunes();
      const volunteer = await actor('tnv.a', 'volunteer', communeReach(COMMUNE_A));
      const outside = services.sites.getSite(volunteer, ids.siteB);
      await expect(outside).rejects.toThrow(NotFoundError);
      await expect(outside).rejects.toThrow('Không tìm thấy địa điểm này.');
      await expect(services.sites.getSite(volunteer, 999)).rejects.toThrow('Không tìm thấy địa điểm này.');
      expect((await services.sites.getSite(volunteer, ids.siteA)).name).toBe('Chợ Hoa Lư');
    },
  );

  it(
    'when a team lead of commune A creates a site in commune B, ' + 'then the commune field says it is outside',
    async () => {
      const { services, actor, db } = await registryOfTwoCommunes();
      const lead = await actor('totruong.a', 'team_lead', communeReach(COMMUNE_A));
      const before = countSites(db);
      const refused = await services.sites
        .createSite(lead, { ...NEW_SITE, commune_code: COMMUNE_B })
        .catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(ValidationError);
      expect((refused as ValidationError).fieldErrors).toEqual({ commune_query: OUTSIDE });
      expect(countSites(db)).toBe(before);
      const id = await services.sites.createSite(lead, { ...NEW_SITE, commune_code: COMMUNE_A });
      expect(db.prepare('SELECT commune_code, created_by FROM sites WHERE id = ?').get(id)).toEqual({
        commune_code: COMMUNE_A,
        created_by: lead.id,
      });
    },
  );

  it(
    'when a team lead whose reach is one site edits it, then the edit is saved; ' +
      'a new site in that commune, another site of it, or moving the site away is refused',
    async () => {
      const { services, actor, db, ids } = await registryOfTwoCommunes();
      const lead = await actor('totruong.site', 'team_lead', siteReach(ids.siteA));
      expect(siteNames(await services.sites.listSites(lead, {}))).toEqual(['Chợ Hoa Lư']);
      await services.sites.updateSite(lead, ids.siteA, {
        kind: 'market',
        name: 'Chợ Hoa Lư',
        commune_code: COMMUNE_A,
        target_percent: '85',
      });
      expect(db.prepare('SELECT target_percent FROM sites WHERE id = ?').get(ids.siteA)).toEqual({
        target_percent: 85,
      });
      const created = services.sites.createSite(lead, { ...NEW_SITE, commune_code: COMMUNE_A });
      await expect(created).rejects.toMatchObject({ fieldErrors: { commune_query: OUTSIDE } });
      const moved = services.sites.updateSite(lead, ids.siteA, {
        kind: 'market',
        name: 'Chợ Hoa Lư',
        commune_code: COMMUNE_B,
        target_percent: '85',
      });
      await expect(moved).rejects.toMatchObject({ fieldErrors: { commune_query: OUTSIDE } });
      await expect(
        services.sites.updateSite(lead, ids.siteA2, { ...NEW_SITE, commune_code: COMMUNE_A }),
      ).rejects.toThrow(NotFoundError);
      expect(db.prepare('SELECT commune_code FROM sites WHERE id = ?').get(ids.siteA)).toEqual({
        commune_code: COMMUNE_A,
      });
    },
  );

  it('when a viewer or a leader edits a site inside their reach, then 403 and nothing changes', async () => {
    const { services, actor, db, ids } = await registryOfTwoCommunes();
    for (const role of ['viewer', 'leader', 'volunteer'] as const) {
      const reader = await actor(`${role}.52`, role, provinceReach('52'));
      const edit = services.sites.updateSite(reader, ids.siteA, { ...NEW_SITE, commune_code: COMMUNE_A });
      await expect(edit).rejects.toThrow(ForbiddenError);
      await expect(services.sites.siteForEdit(reader, ids.siteA)).rejects.toThrow(ForbiddenError);
      // Outside the reach the same request is a 404, not a 403: the site's existence is not revealed.
      await expect(services.sites.siteForEdit(reader, ids.siteC)).rejects.toThrow(NotFoundError);
    }
    expect(db.prepare('SELECT name FROM sites WHERE id = ?').get(ids.siteA)).toEqual({ name: 'Chợ Hoa Lư' });
  });
});

describe('sites pages: reach', () => {
  it('when a volunteer of commune A opens /sites, then only the sites of commune A are listed', async () => {
    const { loginAs } = await registryOfTwoCommunes();
    const { agent } = await loginAs('volunteer', 'tnv.a', communeReach(COMMUNE_A));
    const list = await agent.get('/sites').expect(200);
    expect(list.text).toContain('Chợ Hoa Lư');
    expect(list.text).toContain('Chợ Mới Pleiku');
    expect(list.text).not.toContain('Chợ Chư Prông');
    expect(list.text).not.toContain('Chợ Bến Thành');
    expect(list.text).toContain('2 địa điểm');
  });

  it(
    'when a volunteer of commune A opens or posts to a site of commune B, ' +
      'then 404 as for a missing site and nothing is saved',
    async () => {
      const { loginAs, db, ids } = await registryOfTwoCommunes();
      const { agent, csrf } = await loginAs('volunteer', 'tnv.a', communeReach(COMMUNE_A));
      const page = await agent.get(`/sites/${ids.siteB}`).expect(404);
      const missing = await agent.get('/sites/999').expect(404);
      expect(page.text).toContain('Không tìm thấy địa điểm này.');
      expect(missing.text).toContain('Không tìm thấy địa điểm này.');
      expect(page.text).not.toContain('Chợ Chư Prông');
      await agent.get(`/sites/${ids.siteB}?q=lan`).expect(404);
      await agent.get(`/sites/${ids.siteB}/edit`).expect(404);
      await agent
        .post(`/sites/${ids.siteB}/stalls`)
        .type('form')
        .send({ label: 'Sạp 99', goods_category: 'rau_cu', _csrf: csrf })
        .expect(404);
      await agent.post(`/sites/${ids.siteB}/stickers`).type('form').send({ format: 'a6', _csrf: csrf }).expect(404);
      expect(db.prepare('SELECT count(*) AS n FROM stalls WHERE site_id = ?').get(ids.siteB)).toEqual({ n: 1 });
      expect(db.prepare('SELECT count(*) AS n FROM stickers').get()).toEqual({ n: 0 });
    },
  );

  it(
    'when a team lead of commune A posts a site in commune B, ' + 'then 400 next to the commune field, nothing saved',
    async () => {
      const { loginAs, db } = await registryOfTwoCommunes();
      const { agent, csrf } = await loginAs('team_lead', 'totruong.a', communeReach(COMMUNE_A));
      const before = countSites(db);
      const response = await agent
        .post('/sites')
        .type('form')
        .send({ ...NEW_SITE, commune_code: COMMUNE_B, _csrf: csrf })
        .expect(400);
      expect(response.text).toMatch(/id="f-commune_query-error"[^>]*>Xã\/phường này nằm ngoài phạm vi bạn phụ trách\./);
      expect(countSites(db)).toBe(before);
    },
  );

  it('when a team lead of commune A edits a site of commune B, then 404 and nothing changes', async () => {
    const { loginAs, db, ids } = await registryOfTwoCommunes();
    const { agent, csrf } = await loginAs('team_lead', 'totruong.a', communeReach(COMMUNE_A));
    await agent
      .post(`/sites/${ids.siteB}`)
      .type('form')
      .send({ kind: 'market', name: 'Đổi tên', commune_code: COMMUNE_B, target_percent: '10', _csrf: csrf })
      .expect(404);
    expect(db.prepare('SELECT name, target_percent FROM sites WHERE id = ?').get(ids.siteB)).toEqual({
      name: 'Chợ Chư Prông',
      target_percent: 70,
    });
  });

  it(
    'when a viewer, a leader or a volunteer opens the site forms, then 403; ' +
      'the pages offer neither "Thêm địa điểm" nor "Sửa địa điểm"',
    async () => {
      const { loginAs, ids } = await registryOfTwoCommunes();
      for (const role of ['viewer', 'leader', 'volunteer'] as const) {
        const { agent, csrf } = await loginAs(role, `${role}.52`, provinceReach('52'));
        const list = await agent.get('/sites').expect(200);
        expect(list.text).not.toContain('href="/sites/new"');
        const page = await agent.get(`/sites/${ids.siteA}`).expect(200);
        expect(page.text).not.toContain(`href="/sites/${ids.siteA}/edit"`);
        await agent.get('/sites/new').expect(403);
        const edit = await agent.get(`/sites/${ids.siteA}/edit`).expect(403);
        expect(edit.text).toContain('Chỉ quản trị viên và tổ trưởng được tạo hoặc sửa địa điểm.');
        await agent
          .post(`/sites/${ids.siteA}`)
          .type('form')
          .send({ kind: 'market', name: 'Đổi tên', commune_code: COMMUNE_A, target_percent: '10', _csrf: csrf })
          .expect(403);
      }
    },
  );

  it(
    'when a viewer or a leader opens a site page inside their reach, ' +
      'then it shows labels, business names and counts, and no owner name, phone, or form to change anything',
    async () => {
      const { loginAs, ids } = await registryOfTwoCommunes();
      for (const role of ['viewer', 'leader'] as const) {
        const { agent } = await loginAs(role, `${role}.52`, provinceReach('52'));
        const page = await agent.get(`/sites/${ids.siteA}`).expect(200);
        expect(page.text).toContain('Sạp 1 · Tạp hóa Kim Dung');
        expect(page.text).toContain('Đã xác minh QR');
        for (const personal of PERSONAL_A) expect(page.text).not.toContain(personal);
        expect(page.text).not.toContain(`action="/sites/${ids.siteA}/stalls"`);
        expect(page.text).not.toContain(`action="/sites/${ids.siteA}/stickers"`);
        expect(page.text).not.toContain('name="stall_ids"');
        expect(page.text).not.toContain('href="/onboard"');
      }
    },
  );

  it('when a volunteer opens a site page, then the owner name is shown and stalls can be added', async () => {
    const { loginAs, ids } = await registryOfTwoCommunes();
    const { agent } = await loginAs('volunteer', 'tnv.a', communeReach(COMMUNE_A));
    const page = await agent.get(`/sites/${ids.siteA}`).expect(200);
    expect(page.text).toContain('Nguyễn Thị Kim Dung');
    expect(page.text).toContain(`action="/sites/${ids.siteA}/stalls"`);
    expect(page.text).toContain('href="/onboard"');
  });

  it(
    'when a team lead of commune A opens the campaign form, ' + 'then only the sites of their reach are offered',
    async () => {
      const { loginAs } = await registryOfTwoCommunes();
      const { agent } = await loginAs('team_lead', 'totruong.a', communeReach(COMMUNE_A));
      const form = await agent.get('/campaigns/new').expect(200);
      expect(form.text).toContain('Chợ Hoa Lư');
      expect(form.text).not.toContain('Chợ Chư Prông');
      expect(form.text).not.toContain('Chợ Bến Thành');
    },
  );
});
