import { describe, expect, it } from 'vitest';
import { ForbiddenError, NotFoundError } from '../../src/http/errors.js';
import { COMMUNE_A, COMMUNE_B, communeReach, provinceReach, registryOfTwoCommunes } from '../helpers/registry.js';

const NEW_STALL = {
  label: 'Sạp 30',
  business_name: 'Bún bò cô Hạnh',
  owner_name: 'Lê Thị Hạnh',
  goods_category: 'an_uong',
  consent: 'yes',
};
let keySeq = 0;
const newKey = () => `reach-key-${String(++keySeq).padStart(12, '0')}`;

function stallCount(db: Awaited<ReturnType<typeof registryOfTwoCommunes>>['db']): number {
  return (db.prepare('SELECT count(*) AS n FROM stalls').get() as { n: number }).n;
}

describe('onboarding: reach and roles', () => {
  it('when a volunteer of commune A searches for a site, then only the sites of commune A are found', async () => {
    const { services, actor, loginAs } = await registryOfTwoCommunes();
    const volunteer = await actor('tnv.a', 'volunteer', communeReach(COMMUNE_A));
    expect((await services.onboarding.pickSite(volunteer, 'cho')).results.map((site) => site.name).sort()).toEqual([
      'Chợ Hoa Lư',
      'Chợ Mới Pleiku',
    ]);
    expect((await services.onboarding.pickSite(volunteer, 'chu prong')).results).toEqual([]);
    const { agent } = await loginAs('volunteer', 'tnv.a2', communeReach(COMMUNE_A));
    const page = await agent.get('/onboard?q=cho').expect(200);
    expect(page.text).toContain('Chợ Hoa Lư');
    expect(page.text).not.toContain('Chợ Chư Prông');
    expect(page.text).not.toContain('Chợ Bến Thành');
  });

  it(
    'when a volunteer of commune A opens or submits the form of a site of commune B, ' +
      'then 404 and nothing is saved',
    async () => {
      const { services, actor, loginAs, ids, db } = await registryOfTwoCommunes();
      const volunteer = await actor('tnv.a', 'volunteer', communeReach(COMMUNE_A));
      await expect(
        services.onboarding.onboard(volunteer, ids.siteB, { ...NEW_STALL, idempotency_key: newKey() }, undefined),
      ).rejects.toThrow(NotFoundError);
      const { agent, csrf } = await loginAs('volunteer', 'tnv.a2', communeReach(COMMUNE_A));
      const form = await agent.get(`/onboard/sites/${ids.siteB}`).expect(404);
      expect(form.text).toContain('Không tìm thấy địa điểm này.');
      await agent
        .post(`/onboard/sites/${ids.siteB}`)
        .type('form')
        .send({ ...NEW_STALL, idempotency_key: newKey(), _csrf: csrf })
        .expect(404);
      expect(stallCount(db)).toBe(3);
      await agent
        .post(`/onboard/sites/${ids.siteA}`)
        .type('form')
        .send({ ...NEW_STALL, idempotency_key: newKey(), _csrf: csrf })
        .expect(303);
      expect(stallCount(db)).toBe(4);
    },
  );

  it(
    'when a volunteer’s reach no longer holds a site they worked on, ' +
      'then that site is not offered among their recent sites',
    async () => {
      const { services, actor, ids } = await registryOfTwoCommunes();
      const wide = await actor('tnv.moved', 'volunteer', provinceReach('52'));
      await services.onboarding.onboard(wide, ids.siteB, { ...NEW_STALL, idempotency_key: newKey() }, undefined);
      await services.onboarding.onboard(
        wide,
        ids.siteA,
        { ...NEW_STALL, label: 'Sạp 31', idempotency_key: newKey() },
        undefined,
      );
      expect((await services.onboarding.pickSite(wide, '')).recent.map((site) => site.id).sort()).toEqual(
        [ids.siteA, ids.siteB].sort(),
      );
      const narrowed = { ...wide, reach: { ...wide.reach, provinces: [], communes: [COMMUNE_A] } };
      expect((await services.onboarding.pickSite(narrowed, '')).recent.map((site) => site.id)).toEqual([ids.siteA]);
      const elsewhere = { ...wide, reach: { ...wide.reach, provinces: [], communes: [COMMUNE_B] } };
      expect((await services.onboarding.pickSite(elsewhere, '')).recent.map((site) => site.id)).toEqual([ids.siteB]);
    },
  );

  it(
    'when a viewer or a leader opens onboarding, then 403 everywhere inside their reach, ' +
      'no "Thêm sạp" in the menu, and nothing is saved',
    async () => {
      const { loginAs, ids, db } = await registryOfTwoCommunes();
      for (const role of ['viewer', 'leader'] as const) {
        const { agent, csrf } = await loginAs(role, `${role}.52`, provinceReach('52'));
        const home = await agent.get('/sites').expect(200);
        expect(home.text).not.toContain('href="/onboard"');
        const pick = await agent.get('/onboard').expect(403);
        expect(pick.text).toContain('Vai trò của bạn chỉ được xem, không được sửa sạp.');
        await agent.get('/onboard?q=cho').expect(403);
        await agent.get(`/onboard/sites/${ids.siteA}`).expect(403);
        await agent
          .post(`/onboard/sites/${ids.siteA}`)
          .type('form')
          .send({ ...NEW_STALL, idempotency_key: newKey(), _csrf: csrf })
          .expect(403);
        // Outside the reach the form is a 404 for them too, not a 403.
        await agent.get(`/onboard/sites/${ids.siteC}`).expect(404);
      }
      expect(stallCount(db)).toBe(3);
    },
  );

  it('when a viewer calls the onboarding service directly, then it refuses with 403', async () => {
    const { services, actor, ids } = await registryOfTwoCommunes();
    const viewer = await actor('xem.52', 'viewer', provinceReach('52'));
    await expect(
      services.onboarding.onboard(viewer, ids.siteA, { ...NEW_STALL, idempotency_key: newKey() }, undefined),
    ).rejects.toThrow(ForbiddenError);
  });
});
