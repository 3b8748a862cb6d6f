import { describe, expect, it } from 'vitest';
import { createTestContext } from '../helpers/app.js';
import { COMMUNE_A, COMMUNE_B, communeReach } from '../helpers/registry.js';
import { worklistFixture } from './worklists-fixture.js';

/** The sites the home page lists, by id, in its order. */
const listedSites = (html: string) =>
  [...html.matchAll(/<a class="title" href="\/sites\/(\d+)">/g)].map((match) => Number(match[1]));

async function setUp() {
  const context = createTestContext(undefined, { followUpDays: 30 });
  const fx = worklistFixture(context.db);
  const mine = fx.site('Chợ của tôi', COMMUNE_A);
  const neighbour = fx.site('Chợ bên cạnh', COMMUNE_A);
  const far = fx.site('Chợ xã khác', COMMUNE_B);
  const unchecked = fx.stall(mine, 'M1', 'has_account');
  fx.account(unchecked, false, 1);
  const nextDoor = fx.stall(neighbour, 'N1', 'has_account');
  fx.account(nextDoor, false, 2);
  const farAway = fx.stall(far, 'X1', 'has_account');
  fx.account(farAway, false, 3);
  const { agent, userId } = await context.loginAs('volunteer', 'tnv.nha', communeReach(COMMUNE_A));
  return { context, fx, agent, userId, mine, neighbour, far, unchecked, nextDoor, farAway };
}

describe("the volunteer's home: their sites and their to-do", () => {
  it('when a volunteer has an assigned site, then home lists it, its onboarding link, its work only', async () => {
    const { fx, agent, userId, mine, unchecked, nextDoor, farAway } = await setUp();
    fx.assign(mine, userId);
    const home = await agent.get('/').expect(200);
    expect(home.text).toContain('Việc cần làm');
    expect(home.text).toContain('các địa điểm bạn phụ trách');
    expect(home.text).toContain('Địa điểm bạn phụ trách');
    expect(listedSites(home.text)).toEqual([mine]);
    expect(home.text).toContain(`href="/onboard/sites/${mine}"`);
    expect(home.text).toContain(`href="/stalls/${unchecked}"`);
    expect(home.text).not.toContain(`href="/stalls/${nextDoor}"`);
    expect(home.text).not.toContain(`href="/stalls/${farAway}"`);
    expect(home.text).not.toContain('Chợ xã khác');
    expect(home.text).not.toContain('Bạn chưa được phân công');
  });

  it('when a volunteer has no assignment, then home says so and shows the sites and work of their reach', async () => {
    const { agent, mine, neighbour, unchecked, nextDoor, farAway } = await setUp();
    const home = await agent.get('/').expect(200);
    expect(home.text).toContain('Bạn chưa được phân công phụ trách địa điểm nào.');
    expect(listedSites(home.text).sort()).toEqual([mine, neighbour].sort());
    expect(home.text).toContain(`href="/stalls/${unchecked}"`);
    expect(home.text).toContain(`href="/stalls/${nextDoor}"`);
    expect(home.text).not.toContain(`href="/stalls/${farAway}"`);
    expect(home.text).not.toContain('Chợ xã khác');
  });

  it('when a group has more than five stalls, then home shows five and "Xem tất cả" to the whole list', async () => {
    const { fx, agent, userId, mine } = await setUp();
    fx.assign(mine, userId);
    for (let n = 2; n <= 8; n++) fx.account(fx.stall(mine, `M${n}`, 'has_account'), false, 10 + n);
    const home = await agent.get('/').expect(200);
    const group = /id="todo-name_check"[\s\S]*?<\/section>/.exec(home.text)![0];
    expect(group).toContain('data-count>8<');
    expect([...group.matchAll(/data-stall-id=/g)]).toHaveLength(5);
    expect(group).toContain('href="/work/todo/name_check">Xem tất cả (8)');
    const all = await agent.get('/work/todo/name_check').expect(200);
    expect([...all.text.matchAll(/data-stall-id=/g)]).toHaveLength(8);
  });

  it('when a team lead opens /work, then the stalls waiting across their reach show by kind', async () => {
    const { context, unchecked, nextDoor, farAway } = await setUp();
    const { agent } = await context.loginAs('team_lead', 'totruong.nha', communeReach(COMMUNE_A));
    const work = await agent.get('/work').expect(200);
    expect(work.text).toContain('Sạp cần làm trong phạm vi của bạn');
    const group = /id="todo-name_check"[\s\S]*?<\/section>/.exec(work.text)![0];
    expect(group).toContain(`href="/stalls/${unchecked}"`);
    expect(group).toContain(`href="/stalls/${nextDoor}"`);
    expect(work.text).not.toContain(`href="/stalls/${farAway}"`);
    expect(work.text).toContain('id="todo-follow_up"');
    expect(work.text).toContain('id="todo-sticker"');
    // The leader's home is as before: figures, no to-do.
    const leader = await context.loginAs('leader', 'lanhdao.nha');
    expect((await leader.agent.get('/').expect(200)).text).not.toContain('Việc cần làm');
  });
});
