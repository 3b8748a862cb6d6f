import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/actor.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../src/http/errors.js';
import { ALREADY_ASSIGNED, NOT_ASSIGNABLE } from '../../src/worklists/assignments-service.js';
import { createTestContext, csrfFrom } from '../helpers/app.js';
import { COMMUNE_A, COMMUNE_B, communeReach, provinceReach, siteReach } from '../helpers/registry.js';
import { worklistFixture } from './worklists-fixture.js';

async function setUp() {
  const context = createTestContext();
  const fx = worklistFixture(context.db);
  const siteA = fx.site('Chợ A', COMMUNE_A);
  const siteB = fx.site('Chợ B', COMMUNE_B);
  const leadId = await context.createUser('totruong.a', 'team_lead', communeReach(COMMUNE_A));
  const volunteerId = await context.createUser('tnv.a', 'volunteer', communeReach(COMMUNE_A));
  const actor = async (id: number): Promise<Actor> => {
    const user = (await context.services.users.findWithReach(id))!;
    return { id, role: user.role, reach: user.reach };
  };
  const assignments = () =>
    context.db.prepare('SELECT site_id, user_id, assigned_by FROM site_assignments ORDER BY site_id, user_id').all();
  const auditRows = () =>
    context.db
      .prepare(
        `SELECT action, entity, entity_id, site_id, user_id, changes FROM audit_log
                 WHERE action LIKE 'site.%assign' ORDER BY id`,
      )
      .all() as { action: string; entity_id: number; site_id: number; user_id: number; changes: string }[];
  return { context, fx, siteA, siteB, leadId, volunteerId, actor, assignments, auditRows };
}

describe('assigning volunteers to sites', () => {
  it('when a team lead assigns a volunteer of the commune, then the row and its audit row are saved', async () => {
    const { context, siteA, leadId, volunteerId, actor, assignments, auditRows } = await setUp();
    await context.services.assignments.assign(await actor(leadId), siteA, { user_id: String(volunteerId) });
    expect(assignments()).toEqual([{ site_id: siteA, user_id: volunteerId, assigned_by: leadId }]);
    const [row] = auditRows();
    expect(row).toMatchObject({ action: 'site.assign', entity_id: siteA, site_id: siteA, user_id: leadId });
    expect(JSON.parse(row!.changes)).toMatchObject({
      assignee_id: { after: volunteerId },
      username: { after: 'tnv.a' },
    });

    await context.services.assignments.unassign(await actor(leadId), siteA, volunteerId);
    expect(assignments()).toEqual([]);
    expect(auditRows().map((r) => r.action)).toEqual(['site.assign', 'site.unassign']);
    // Taking off someone not on the site changes nothing and logs nothing.
    expect(await context.services.assignments.unassign(await actor(leadId), siteA, volunteerId)).toBe(false);
    expect(auditRows()).toHaveLength(2);
  });

  it("when the volunteer's reach misses the site, or they lead, then it is refused next to the field", async () => {
    const { context, siteA, leadId, actor, assignments, auditRows } = await setUp();
    const elsewhere = await context.createUser('tnv.b', 'volunteer', communeReach(COMMUNE_B));
    const leader = await context.createUser('lanhdao', 'leader', provinceReach('52'));
    const disabled = await context.createUser('tnv.nghi', 'volunteer', communeReach(COMMUNE_A));
    context.db.prepare('UPDATE users SET active = 0 WHERE id = ?').run(disabled);
    for (const userId of [elsewhere, leader, disabled, 999_999]) {
      const refused = context.services.assignments.assign(await actor(leadId), siteA, { user_id: String(userId) });
      await expect(refused).rejects.toBeInstanceOf(ValidationError);
      await expect(refused).rejects.toMatchObject({ fieldErrors: { user_id: NOT_ASSIGNABLE } });
    }
    await expect(
      context.services.assignments.assign(await actor(leadId), siteA, { user_id: '' }),
    ).rejects.toMatchObject({ fieldErrors: { user_id: 'Chọn người phụ trách.' } });
    expect(assignments()).toEqual([]);
    expect(auditRows()).toEqual([]);
  });

  it('when a volunteer reaches the site or its province, or is a team lead, then they may be assigned', async () => {
    const { context, siteA, leadId, actor, assignments } = await setUp();
    const bySite = await context.createUser('tnv.site', 'volunteer', siteReach(siteA));
    const byProvince = await context.createUser('tnv.tinh', 'volunteer', provinceReach('52'));
    const otherLead = await context.createUser('totruong.khac', 'team_lead', communeReach(COMMUNE_A));
    const page = await context.services.assignments.forSite(await actor(leadId), siteA);
    expect(page.assignable.map((u) => u.username).sort()).toEqual(
      ['tnv.a', 'tnv.site', 'tnv.tinh', 'totruong.a', 'totruong.khac'].sort(),
    );
    for (const userId of [bySite, byProvince, otherLead]) {
      await context.services.assignments.assign(await actor(leadId), siteA, { user_id: String(userId) });
    }
    expect(assignments()).toHaveLength(3);
    await expect(
      context.services.assignments.assign(await actor(leadId), siteA, { user_id: String(bySite) }),
    ).rejects.toMatchObject({ fieldErrors: { user_id: ALREADY_ASSIGNED } });
  });

  it('when the site is outside the reach, then 404; when a volunteer assigns, then 403', async () => {
    const { context, siteA, siteB, leadId, volunteerId, actor, assignments } = await setUp();
    await expect(
      context.services.assignments.assign(await actor(leadId), siteB, { user_id: String(volunteerId) }),
    ).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      context.services.assignments.assign(await actor(volunteerId), siteA, { user_id: String(volunteerId) }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    await expect(
      context.services.assignments.unassign(await actor(volunteerId), siteA, volunteerId),
    ).rejects.toBeInstanceOf(ForbiddenError);
    expect(assignments()).toEqual([]);
  });

  it('when a team lead uses the site page, then it lists, adds, removes; a refusal shows by the field', async () => {
    const { context, siteA, volunteerId, assignments } = await setUp();
    const elsewhere = await context.createUser('tnv.b', 'volunteer', communeReach(COMMUNE_B));
    const { agent, csrf } = await context.loginAs('team_lead', 'totruong.web', communeReach(COMMUNE_A));
    const page = await agent.get(`/sites/${siteA}`).expect(200);
    expect(page.text).toContain('Người phụ trách');
    expect(page.text).toContain('Chưa có ai được phân công phụ trách địa điểm này.');
    expect(page.text).toContain(`<option value="${volunteerId}"`);
    expect(page.text).not.toContain(`<option value="${elsewhere}"`);

    const refused = await agent
      .post(`/sites/${siteA}/assignments`)
      .type('form')
      .send({ _csrf: csrf, user_id: String(elsewhere) })
      .expect(400);
    expect(refused.text).toContain(NOT_ASSIGNABLE);
    expect(refused.text).toContain('id="f-user_id-error"');

    const added = await agent
      .post(`/sites/${siteA}/assignments`)
      .type('form')
      .send({ _csrf: csrf, user_id: String(volunteerId) })
      .expect(303);
    expect(added.headers.location).toBe(`/sites/${siteA}?assigned=1#assignments`);
    const after = await agent.get(`/sites/${siteA}?assigned=1`).expect(200);
    expect(after.text).toContain('Đã phân công người phụ trách.');
    expect(after.text).toContain(`action="/sites/${siteA}/assignments/${volunteerId}/remove"`);
    expect(assignments()).toHaveLength(1);

    await agent
      .post(`/sites/${siteA}/assignments/${volunteerId}/remove`)
      .type('form')
      .send({ _csrf: csrf })
      .expect(303);
    expect(assignments()).toEqual([]);
  });

  it('when a team lead opens "Phân công", then the reach\'s sites show with their people, nobody first', async () => {
    const { context, fx, siteA, leadId, volunteerId } = await setUp();
    const siteA2 = fx.site('Chợ A2', COMMUNE_A);
    fx.assign(siteA, volunteerId, leadId);
    const { agent } = await context.loginAs('team_lead', 'totruong.web', communeReach(COMMUNE_A));
    const page = await agent.get('/work/assignments').expect(200);
    const order = [...page.text.matchAll(/data-site-id="(\d+)"/g)].map((m) => Number(m[1]));
    expect(order).toEqual([siteA2, siteA]);
    expect(page.text).toContain('Người dùng tnv.a');
    expect(page.text).toContain('Chưa có người phụ trách');
    expect(page.text).not.toContain('Chợ B');
    const onlyNobody = await agent.get('/work/assignments?unassigned=1').expect(200);
    expect([...onlyNobody.text.matchAll(/data-site-id="(\d+)"/g)].map((m) => Number(m[1]))).toEqual([siteA2]);
    const work = await agent.get('/work').expect(200);
    expect(work.text).toContain('1 trong 2 địa điểm chưa có người phụ trách.');
  });

  it('when a volunteer is assigned a site, then the onboarding picker offers it first', async () => {
    const { context, fx, siteA } = await setUp();
    const { agent, userId } = await context.loginAs('volunteer', 'tnv.web', communeReach(COMMUNE_A));
    fx.assign(siteA, userId);
    const pick = await agent.get('/onboard').expect(200);
    expect(pick.text).toContain('Địa điểm của bạn');
    expect(pick.text).toContain(`href="/onboard/sites/${siteA}">Chợ A</a>`);
    expect(pick.text).toContain('bạn phụ trách');
    expect(csrfFrom(pick.text)).toBeTruthy();
  });
});
