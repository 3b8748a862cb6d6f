import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import type { Actor } from '../../src/actor.js';
import { ForbiddenError } from '../../src/http/errors.js';
import { createTestContext } from '../helpers/app.js';
import { COMMUNE_A, COMMUNE_B, communeReach } from '../helpers/registry.js';
import { worklistFixture } from './worklists-fixture.js';

// TEST_NOW is 2026-11-22 10:00 in Vietnam.
const DAYS_AGO = (days: number) => new Date(Date.parse('2026-11-22T03:00:00.000Z') - days * 86_400_000).toISOString();

async function setUp(followUpDays = 30) {
  const context = createTestContext(undefined, { followUpDays });
  const fx = worklistFixture(context.db);
  const volunteerId = await context.createUser('tnv.a', 'volunteer', communeReach(COMMUNE_A));
  const otherId = await context.createUser('tnv.khac', 'volunteer', communeReach(COMMUNE_A));
  const leadId = await context.createUser('totruong.a', 'team_lead', communeReach(COMMUNE_A));
  const actor = async (id: number): Promise<Actor> => {
    const user = (await context.services.users.findWithReach(id))!;
    return { id, role: user.role, reach: user.reach };
  };
  return { context, fx, volunteerId, otherId, leadId, actor };
}

const ids = (group: { items: readonly { stallId: number }[] }) => group.items.map((item) => item.stallId).sort();

describe('the work lists: what waits for a volunteer and a team lead', () => {
  it('when the threshold is 30 days, then a stall visited 31 days ago is due, 29 days ago not', async () => {
    const { context, fx, volunteerId, actor } = await setUp(30);
    const site = fx.site('Chợ A', COMMUNE_A);
    const due = fx.stall(site, 'A1', 'installed', DAYS_AGO(90));
    fx.followUp(due, DAYS_AGO(31), volunteerId);
    const fresh = fx.stall(site, 'A2', 'installed', DAYS_AGO(90));
    fx.followUp(fresh, DAYS_AGO(29), volunteerId);
    // Installed 31 days ago and never followed up: due from its installation.
    const installedLong = fx.stall(site, 'A3', 'installed', DAYS_AGO(31));
    // Installed 10 days ago: not yet.
    fx.stall(site, 'A4', 'installed', DAYS_AGO(10));
    // Not installed: never due a follow-up, however old.
    fx.stall(site, 'A5', 'qr_verified', DAYS_AGO(200));

    const work = await context.services.worklists.summary(await actor(volunteerId));
    const followUp = work.groups.find((g) => g.group === 'follow_up')!;
    expect(followUp.count).toBe(2);
    expect(ids(followUp)).toEqual([due, installedLong].sort());
    // The day of the last contact (Vietnam), as the data-quality list gives it.
    expect(followUp.items[0]!.since).toBe(DAYS_AGO(31).slice(0, 10));
    expect(work.followUpDays).toBe(30);

    // The data-quality check counts the same stalls with the same threshold.
    const quality = await context.services.adoption.dataQuality(
      (await actor(volunteerId)).reach,
      { kind: 'all' },
      '2026-11-22',
    );
    expect(quality.staleFollowUps.days).toBe(30);
    expect(quality.staleFollowUps.stalls.map((s) => s.stallId).sort()).toEqual([due, installedLong].sort());
  });

  it('when PHOQR_FOLLOW_UP_DAYS is unset or set, then the threshold is 60 or its value; a bad one fails', () => {
    expect(loadConfig({}).followUpDays).toBe(60);
    expect(loadConfig({ PHOQR_FOLLOW_UP_DAYS: '30' }).followUpDays).toBe(30);
    expect(() => loadConfig({ PHOQR_FOLLOW_UP_DAYS: '0' })).toThrow(/PHOQR_FOLLOW_UP_DAYS/);
    expect(() => loadConfig({ PHOQR_FOLLOW_UP_DAYS: 'ba mươi' })).toThrow(/PHOQR_FOLLOW_UP_DAYS/);
  });

  it('when stalls have accounts, then unchecked ones and checked ones without a printed sticker show', async () => {
    const { context, fx, volunteerId, actor } = await setUp();
    const site = fx.site('Chợ A', COMMUNE_A);
    const unchecked = fx.stall(site, 'B1', 'has_account');
    fx.account(unchecked, false, 1);
    const checkedNoSticker = fx.stall(site, 'B2', 'qr_verified');
    fx.account(checkedNoSticker, true, 2);
    const issuedNotPrinted = fx.stall(site, 'B3', 'qr_verified');
    fx.sticker(issuedNotPrinted, fx.account(issuedNotPrinted, true, 3), COMMUNE_A, false, 1);
    const printed = fx.stall(site, 'B4', 'qr_verified');
    fx.sticker(printed, fx.account(printed, true, 4), COMMUNE_A, true, 2);
    fx.stall(site, 'B5', 'surveyed');
    const refused = fx.stall(site, 'B6', 'refused');
    fx.account(refused, false, 6);

    const work = await context.services.worklists.summary(await actor(volunteerId));
    const group = (name: string) => work.groups.find((g) => g.group === name)!;
    expect(ids(group('name_check'))).toEqual([unchecked]);
    expect(ids(group('sticker'))).toEqual([checkedNoSticker, issuedNotPrinted].sort());
    expect(group('sticker').count).toBe(2);
  });

  it('when payee changes wait and stickers are reported, then a volunteer sees their requests, reports', async () => {
    const { context, fx, volunteerId, otherId, leadId, actor } = await setUp();
    const site = fx.site('Chợ A', COMMUNE_A);
    const mine = fx.stall(site, 'C1', 'installed');
    const theirs = fx.stall(site, 'C2', 'installed');
    const mineAccount = fx.account(mine, true, 1);
    const theirAccount = fx.account(theirs, true, 2);
    fx.payeeChange(mine, mineAccount, volunteerId);
    fx.payeeChange(theirs, theirAccount, otherId);
    fx.report(fx.sticker(theirs, theirAccount, COMMUNE_A, true, 1));

    const work = await context.services.worklists.summary(await actor(volunteerId));
    const group = (name: string) => work.groups.find((g) => g.group === name)!;
    expect(ids(group('payee_change'))).toEqual([mine]);
    expect(group('payee_change').items[0]!.detail).toBe('Ngừng dùng tài khoản chính');
    expect(ids(group('report'))).toEqual([theirs]);
    expect(group('report').items[0]!.detail).toBe('Tên người nhận khác tên trên mã');

    // The team lead sees every request of the reach.
    const lead = await context.services.worklists.summary(await actor(leadId));
    expect(ids(lead.groups.find((g) => g.group === 'payee_change')!)).toEqual([mine, theirs].sort());
  });

  it('when a volunteer is assigned a site, then their lists hold that site; without one, their reach', async () => {
    const { context, fx, volunteerId, actor } = await setUp();
    const assigned = fx.site('Chợ được giao', COMMUNE_A);
    const other = fx.site('Chợ khác', COMMUNE_A);
    const here = fx.stall(assigned, 'D1', 'has_account');
    fx.account(here, false, 1);
    const there = fx.stall(other, 'D2', 'has_account');
    fx.account(there, false, 2);

    const before = await context.services.worklists.summary(await actor(volunteerId));
    expect(before.sites).toEqual([]);
    expect(ids(before.groups.find((g) => g.group === 'name_check')!)).toEqual([here, there].sort());

    fx.assign(assigned, volunteerId);
    const after = await context.services.worklists.summary(await actor(volunteerId));
    expect(after.sites.map((s) => s.id)).toEqual([assigned]);
    expect(ids(after.groups.find((g) => g.group === 'name_check')!)).toEqual([here]);
  });

  it("when a volunteer is assigned a site outside their reach, then no other commune's stall shows", async () => {
    const { context, fx, volunteerId, actor } = await setUp();
    const inside = fx.site('Chợ A', COMMUNE_A);
    const outside = fx.site('Chợ B', COMMUNE_B);
    const a = fx.stall(inside, 'E1', 'has_account');
    fx.account(a, false, 1);
    const b = fx.stall(outside, 'E2', 'qr_verified');
    fx.report(fx.sticker(b, fx.account(b, true, 3), COMMUNE_B, true, 1));
    // An assignment left from a reach since taken away.
    fx.assign(outside, volunteerId);

    const work = await context.services.worklists.summary(await actor(volunteerId));
    expect(work.sites).toEqual([]);
    const shown = work.groups.flatMap((g) => g.items.map((item) => item.stallId));
    expect(shown).toContain(a);
    expect(shown).not.toContain(b);
    const page = await context.services.worklists.page(await actor(volunteerId), 'report', 1);
    expect(page.group.count).toBe(0);
  });

  it('when a group holds more than the preview, then 5 show with the count; the list pages by 50', async () => {
    const { context, fx, volunteerId, actor } = await setUp();
    const site = fx.site('Chợ lớn', COMMUNE_A);
    for (let n = 1; n <= 57; n++) fx.account(fx.stall(site, `F${String(n).padStart(2, '0')}`, 'has_account'), false, n);
    const work = await context.services.worklists.summary(await actor(volunteerId));
    const group = work.groups.find((g) => g.group === 'name_check')!;
    expect(group.count).toBe(57);
    expect(group.items).toHaveLength(5);
    const second = await context.services.worklists.page(await actor(volunteerId), 'name_check', 2);
    expect(second.pages).toBe(2);
    expect(second.group.items.map((item) => item.label)).toEqual(['F51', 'F52', 'F53', 'F54', 'F55', 'F56', 'F57']);
  });

  it('when a leader or a viewer asks for a work list, then it is refused with 403', async () => {
    const { context } = await setUp();
    const leaderId = await context.createUser('lanhdao', 'leader');
    const user = (await context.services.users.findWithReach(leaderId))!;
    await expect(
      context.services.worklists.summary({ id: leaderId, role: 'leader', reach: user.reach }),
    ).rejects.toBeInstanceOf(ForbiddenError);
    const { agent } = await context.loginAs('viewer', 'xem.a');
    await agent.get('/work/todo/follow_up').expect(403);
    await agent.get('/work/todo/nothing').expect(404);
  });
});
