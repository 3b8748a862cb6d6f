import { describe, expect, it } from 'vitest';
import { ForbiddenError, NotFoundError } from '../../src/http/errors.js';
import { binaryBody } from '../helpers/pdf-tools.js';
import { COMMUNE_A, communeReach, provinceReach, registryOfTwoCommunes, siteReach } from '../helpers/registry.js';

function stickerCount(db: Awaited<ReturnType<typeof registryOfTwoCommunes>>['db']) {
  return {
    stickers: (db.prepare('SELECT count(*) AS n FROM stickers').get() as { n: number }).n,
    prints: (db.prepare('SELECT count(*) AS n FROM sticker_prints').get() as { n: number }).n,
  };
}

describe('stickers: reach and roles', () => {
  it(
    'when a volunteer of commune A prints a stall or a site of commune B, ' +
      'then 404 (service and routes) and no serial is issued',
    async () => {
      const { services, actor, loginAs, ids, db } = await registryOfTwoCommunes();
      const volunteer = await actor('tnv.a', 'volunteer', communeReach(COMMUNE_A));
      await expect(services.stickers.forStall(volunteer, ids.stallB, 'a6')).rejects.toThrow('Không tìm thấy sạp này.');
      await expect(services.stickers.forSite(volunteer, ids.siteB, 'a6', 'verified')).rejects.toThrow(
        'Không tìm thấy địa điểm này.',
      );
      const { agent, csrf } = await loginAs('volunteer', 'tnv.a2', communeReach(COMMUNE_A));
      await agent.post(`/stalls/${ids.stallB}/sticker`).type('form').send({ format: 'a6', _csrf: csrf }).expect(404);
      await agent
        .post(`/sites/${ids.siteB}/stickers`)
        .type('form')
        .send({ format: 'a6', scope: 'verified', _csrf: csrf })
        .expect(404);
      expect(stickerCount(db)).toEqual({ stickers: 0, prints: 0 });
    },
  );

  it('when a volunteer of commune A prints their own stall, then the PDF comes and the print is logged', async () => {
    const { loginAs, ids, db, services } = await registryOfTwoCommunes();
    const { agent, csrf, userId } = await loginAs('volunteer', 'tnv.a', communeReach(COMMUNE_A));
    const pdf = await binaryBody(
      agent.post(`/stalls/${ids.stallA}/sticker`).type('form').send({ format: 'a6', _csrf: csrf }),
    ).expect(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    await services.stickers.settled();
    expect(db.prepare('SELECT printed_by FROM sticker_prints').all()).toEqual([{ printed_by: userId }]);
  });

  it(
    'when a team lead whose reach is one site prints a batch, then their site prints; ' +
      'another site of the same commune is a 404',
    async () => {
      const { services, actor, ids } = await registryOfTwoCommunes();
      const lead = await actor('totruong.site', 'team_lead', siteReach(ids.siteA));
      const { data } = await services.stickers.forSite(lead, ids.siteA, 'a4-2x2', 'verified');
      expect(data.map((sticker) => sticker.stallLabel)).toEqual(['Sạp 1']);
      await expect(services.stickers.forSite(lead, ids.siteA2, 'a4-2x2', 'verified')).rejects.toThrow(NotFoundError);
    },
  );

  it('when a viewer or a leader prints inside their reach, then 403 and nothing is issued', async () => {
    const { services, actor, loginAs, ids, db } = await registryOfTwoCommunes();
    for (const role of ['viewer', 'leader'] as const) {
      const reader = await actor(`${role}.52`, role, provinceReach('52'));
      await expect(services.stickers.forStall(reader, ids.stallA, 'a6')).rejects.toThrow(ForbiddenError);
      await expect(services.stickers.forSite(reader, ids.siteA, 'a6', 'verified')).rejects.toThrow(ForbiddenError);
      const { agent, csrf } = await loginAs(role, `${role}.web`, provinceReach('52'));
      const refused = await agent
        .post(`/stalls/${ids.stallA}/sticker`)
        .type('form')
        .send({ format: 'a6', _csrf: csrf })
        .expect(403);
      expect(refused.text).toContain('Vai trò của bạn không được in mã QR.');
      await agent
        .post(`/sites/${ids.siteA}/stickers`)
        .type('form')
        .send({ format: 'a6', scope: 'verified', _csrf: csrf })
        .expect(403);
    }
    expect(stickerCount(db)).toEqual({ stickers: 0, prints: 0 });
  });

  it('when the command line prints (no user), then every site of the country can be printed', async () => {
    const { services, ids } = await registryOfTwoCommunes();
    const { data } = await services.stickers.forSite(null, ids.siteB, 'a4-2x2', 'verified');
    expect(data).toHaveLength(1);
  });
});
