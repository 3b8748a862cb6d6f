import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { WHOLE_COUNTRY } from '../../src/vocabulary/reach.js';
import { adoptionOn } from '../adoption/adoption-on.js';
import { createDemoTestContext, createTestContext, csrfFrom, TEST_PASSWORD } from '../helpers/app.js';

const TODAY = '2026-11-22';

/** The sites the home page lists, by id, in its order. */
const listedSites = (html: string) =>
  [...html.matchAll(/<a class="title" href="\/sites\/(\d+)">/g)].map((match) => Number(match[1]));

describe('GET / lands every user on their own reach', () => {
  it("when a province's leader logs in, then they land on the home page of Gia Lai's figures", async () => {
    const context = await createDemoTestContext();
    await context.createUser('lanhdao.thu', 'leader', [{ kind: 'province', code: '52' }]);
    const agent = request.agent(context.app);
    const login = await agent.get('/login');
    const landed = await agent
      .post('/login')
      .type('form')
      .send({ _csrf: csrfFrom(login.text), username: 'lanhdao.thu', password: TEST_PASSWORD })
      .expect(303);
    expect(landed.headers.location).toBe('/');
    const home = await agent.get('/').expect(200);
    expect(home.text).toContain('Phạm vi của bạn: <strong>Gia Lai</strong>');
    const province = await adoptionOn(context.db).figures(WHOLE_COUNTRY, { kind: 'province', code: '52' }, TODAY);
    expect(home.text).toContain(`<div class="stat">${province.coverage.label}</div>`);
    expect(listedSites(home.text)).toHaveLength(7);
  });

  it("when a commune's volunteer opens it, then only their commune's figures and sites are shown", async () => {
    const context = await createDemoTestContext();
    const { agent } = await context.loginAs('volunteer', 'tnv.thu', [{ kind: 'commune', code: '23575' }]);
    const home = await agent.get('/').expect(200);
    expect(home.text).toContain('Phạm vi của bạn: <strong>Phường Pleiku</strong>');
    expect(home.text).toContain('<div class="stat">90/117 (76 %)</div>');
    expect(listedSites(home.text)).toEqual([1]);
    expect(home.text).not.toContain('Chư Prông');
  });

  it('when a team lead reaches two sites of different communes, then the home page lists those two', async () => {
    const context = await createDemoTestContext();
    const { agent } = await context.loginAs('team_lead', 'totruong.thu', [
      { kind: 'site', id: 3 },
      { kind: 'site', id: 5 },
    ]);
    const home = await agent.get('/').expect(200);
    expect(home.text).toContain('Phạm vi của bạn: <strong>Chợ tạm thôn 3, Tuyến đường Đào Duy Từ (Bồng Sơn)</strong>');
    expect(listedSites(home.text).sort()).toEqual([3, 5]);
  });

  it('when the user has no reach, then the home page says so and lists nothing', async () => {
    const context = await createDemoTestContext();
    const { agent, userId } = await context.loginAs('viewer', 'xem.thu', [{ kind: 'province', code: '52' }]);
    context.db.prepare('DELETE FROM user_reach WHERE user_id = ?').run(userId);
    const home = await agent.get('/').expect(200);
    expect(home.text).toContain('Bạn chưa được giao phạm vi làm việc');
    expect(listedSites(home.text)).toEqual([]);
    expect(home.text).not.toContain('NaN');
  });

  it('when a viewer sees an empty registry, then no "add a site" form is offered', async () => {
    const context = createTestContext();
    const { agent } = await context.loginAs('viewer');
    const home = await agent.get('/').expect(200);
    expect(home.text).toContain('Chưa có địa điểm nào.');
    expect(home.text).not.toContain('href="/sites/new"');
    const lead = await context.loginAs('team_lead');
    expect((await lead.agent.get('/').expect(200)).text).toContain('href="/sites/new"');
  });
});
