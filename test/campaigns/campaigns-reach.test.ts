import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/actor.js';
import { NotFoundError, ValidationError } from '../../src/http/errors.js';
import { WHOLE_COUNTRY, type ReachUnit } from '../../src/vocabulary/reach.js';
import { createDemoTestContext } from '../helpers/app.js';

const PLEIKU: ReachUnit[] = [{ kind: 'commune', code: '23575' }];
const FIELDS = { target_percent: '80', starts_on: '2026-11-01', deadline: '2027-04-30' };

/**
 * The demo with three campaigns made by a whole-country admin: "Hai xã" over Chợ Hoa Lư (site 1, Phường
 * Pleiku) and Trung tâm thương mại xã Chư Prông (site 2), "Bồng Sơn" over site 4, "Chư Prông" over site 3.
 * `pleikuLead` is a team lead of Phường Pleiku, as the demo's totruong.hoalu.
 */
async function demoWithCampaigns() {
  const context = await createDemoTestContext();
  const admin: Actor = { id: await context.createUser('quantri', 'admin'), role: 'admin', reach: WHOLE_COUNTRY };
  const { campaigns } = context.services;
  const spanning = await campaigns.create(admin, { ...FIELDS, name: 'Hai xã', site_ids: ['1', '2'] });
  const elsewhere = await campaigns.create(admin, { ...FIELDS, name: 'Bồng Sơn', site_ids: ['4'] });
  const chuProng = await campaigns.create(admin, { ...FIELDS, name: 'Chư Prông', site_ids: ['3'] });
  const saved = () =>
    context.db.prepare('SELECT campaign_id, site_id FROM campaign_sites ORDER BY campaign_id, site_id').all();
  const names = () => context.db.prepare('SELECT name FROM campaigns ORDER BY id').pluck().all();
  const pleikuLead = async (): Promise<Actor> => ({
    id: await context.createUser('totruong.thu', 'team_lead', PLEIKU),
    role: 'team_lead',
    reach: { wholeCountry: false, provinces: [], communes: ['23575'], sites: [] },
  });
  return { ...context, admin, spanning, elsewhere, chuProng, saved, names, pleikuLead };
}

describe('campaigns in the reach (service)', () => {
  it('when a commune lead lists campaigns, then only those with one of their sites, counted in reach', async () => {
    const { services, spanning, pleikuLead } = await demoWithCampaigns();
    const lead = await pleikuLead();
    const list = await services.campaigns.list(lead);
    expect(list.map((c) => [c.id, c.name, c.site_count, c.partial, c.editable])).toEqual([
      [spanning, 'Hai xã', 1, true, false],
    ]);
    const campaign = await services.campaigns.get(lead, spanning);
    expect(campaign.siteIds).toEqual([1]);
    expect((await services.campaigns.sitesToChoose(lead)).map((site) => site.id)).toEqual([1]);
  });

  it('when a whole-country admin lists campaigns, then every one is there, whole and editable', async () => {
    const { services, admin } = await demoWithCampaigns();
    const list = await services.campaigns.list(admin);
    expect(list.map((c) => [c.name, c.site_count, c.partial, c.editable])).toEqual([
      ['Chư Prông', 1, false, true],
      ['Bồng Sơn', 1, false, true],
      ['Hai xã', 2, false, true],
    ]);
    expect((await services.campaigns.sitesToChoose(admin)).length).toBe(7);
  });

  it('when a campaign has none of the reach, then get, update and the error agree with an unknown one', async () => {
    const { services, elsewhere, pleikuLead, saved } = await demoWithCampaigns();
    const lead = await pleikuLead();
    const before = saved();
    await expect(services.campaigns.get(lead, elsewhere)).rejects.toThrow(new NotFoundError('Không tìm thấy đợt này.'));
    await expect(services.campaigns.get(lead, 999)).rejects.toThrow(new NotFoundError('Không tìm thấy đợt này.'));
    await expect(services.campaigns.update(lead, elsewhere, { ...FIELDS, name: 'Đổi', site_ids: '1' })).rejects.toThrow(
      NotFoundError,
    );
    expect(saved()).toEqual(before);
  });

  it('when a lead puts a site outside their reach in a campaign, then it is refused like a missing site', async () => {
    const { services, pleikuLead, names } = await demoWithCampaigns();
    const lead = await pleikuLead();
    const outside = services.campaigns.create(lead, { ...FIELDS, name: 'Mới', site_ids: ['1', '2'] });
    await expect(outside).rejects.toThrow(ValidationError);
    await outside.catch((error: ValidationError) =>
      expect(error.fieldErrors).toEqual({ site_ids: 'Có địa điểm không tồn tại.' }),
    );
    expect(names()).not.toContain('Mới');
    await services.campaigns.create(lead, { ...FIELDS, name: 'Mới', site_ids: ['1'] });
    expect(names()).toContain('Mới');
  });
});

describe('campaign pages in the reach', () => {
  it('when a commune lead opens /campaigns, then only the campaign with their site shows, no "Sửa"', async () => {
    const { loginAs, spanning, elsewhere } = await demoWithCampaigns();
    const { agent } = await loginAs('team_lead', 'totruong.thu', PLEIKU);
    const list = await agent.get('/campaigns').expect(200);
    expect(list.text).toContain('Hai xã');
    expect(list.text).toContain('1 địa điểm trong phạm vi của bạn');
    expect(list.text).not.toContain('Bồng Sơn');
    expect(list.text).not.toContain('Chư Prông</strong>');
    expect(list.text).not.toContain(`/campaigns/${spanning}/edit`);
    expect(list.text).not.toContain(`/campaigns/${elsewhere}`);
  });

  it('when a lead edits a campaign that spans beyond their reach, then 403 with a message, nothing saved', async () => {
    const { loginAs, spanning, saved, names } = await demoWithCampaigns();
    const { agent, csrf } = await loginAs('team_lead', 'totruong.thu', PLEIKU);
    const before = saved();
    const form = await agent.get(`/campaigns/${spanning}/edit`).set('Accept', 'text/html').expect(403);
    expect(form.text).toContain('Đợt này có cả địa điểm ngoài phạm vi của bạn');
    const post = await agent
      .post(`/campaigns/${spanning}`)
      .type('form')
      .send({ ...FIELDS, name: 'Chỉ Hoa Lư', site_ids: '1', _csrf: csrf })
      .expect(403);
    expect(post.text).toContain('Đợt này có cả địa điểm ngoài phạm vi của bạn');
    expect(saved()).toEqual(before);
    expect(names()).toContain('Hai xã');
  });

  it('when a lead opens or saves a campaign with none of their sites, then 404, nothing saved', async () => {
    const { loginAs, elsewhere, saved } = await demoWithCampaigns();
    const { agent, csrf } = await loginAs('team_lead', 'totruong.thu', PLEIKU);
    const before = saved();
    await agent.get(`/campaigns/${elsewhere}/edit`).set('Accept', 'text/html').expect(404);
    await agent
      .post(`/campaigns/${elsewhere}`)
      .type('form')
      .send({ ...FIELDS, name: 'Đổi', site_ids: '1', _csrf: csrf })
      .expect(404);
    expect(saved()).toEqual(before);
  });

  it('when a lead creates a campaign, then the picker offers only their sites and others are refused', async () => {
    const { loginAs, db } = await demoWithCampaigns();
    const { agent, csrf } = await loginAs('team_lead', 'totruong.thu', PLEIKU);
    const form = await agent.get('/campaigns/new').expect(200);
    expect([...form.text.matchAll(/name="site_ids" value="(\d+)"/g)].map((m) => m[1])).toEqual(['1']);
    const refused = await agent
      .post('/campaigns')
      .type('form')
      .send({ ...FIELDS, name: 'Đợt mới', site_ids: ['1', '2'], _csrf: csrf })
      .expect(400);
    expect(refused.text).toContain('Có địa điểm không tồn tại.');
    expect(db.prepare("SELECT count(*) FROM campaigns WHERE name = 'Đợt mới'").pluck().get()).toBe(0);
    await agent
      .post('/campaigns')
      .type('form')
      .send({ ...FIELDS, name: 'Đợt mới', site_ids: ['1'], _csrf: csrf })
      .expect(303);
    const id = db.prepare("SELECT id FROM campaigns WHERE name = 'Đợt mới'").pluck().get() as number;
    expect(db.prepare('SELECT site_id FROM campaign_sites WHERE campaign_id = ?').pluck().all(id)).toEqual([1]);
    // Wholly theirs now: they may edit it.
    await agent.get(`/campaigns/${id}/edit`).expect(200);
    await agent
      .post(`/campaigns/${id}`)
      .type('form')
      .send({ ...FIELDS, name: 'Đợt mới (sửa)', site_ids: ['1'], _csrf: csrf })
      .expect(303);
    expect(db.prepare('SELECT name FROM campaigns WHERE id = ?').pluck().get(id)).toBe('Đợt mới (sửa)');
  });

  it('when a volunteer tries the forms, then 403 inside the reach and 404 outside, nothing saved', async () => {
    const { loginAs, spanning, elsewhere, saved, names } = await demoWithCampaigns();
    const { agent, csrf } = await loginAs('volunteer', 'tnv.thu', PLEIKU);
    const before = saved();
    const list = await agent.get('/campaigns').expect(200);
    expect(list.text).not.toContain('href="/campaigns/new"');
    const form = await agent.get('/campaigns/new').set('Accept', 'text/html').expect(403);
    expect(form.text).toContain('Chỉ quản trị viên và tổ trưởng được đặt chỉ tiêu.');
    await agent
      .post('/campaigns')
      .type('form')
      .send({ ...FIELDS, name: 'Của TNV', site_ids: '1', _csrf: csrf })
      .expect(403);
    await agent.get(`/campaigns/${spanning}/edit`).set('Accept', 'text/html').expect(403);
    await agent
      .post(`/campaigns/${elsewhere}`)
      .type('form')
      .send({ ...FIELDS, name: 'Đổi', site_ids: '1', _csrf: csrf })
      .expect(404);
    expect(saved()).toEqual(before);
    expect(names()).not.toContain('Của TNV');
  });

  it('when a campaign is partly in the reach, then its dashboard says it counts the part in the reach', async () => {
    const { loginAs, spanning } = await demoWithCampaigns();
    const { agent } = await loginAs('viewer', 'xem.thu', PLEIKU);
    const page = await agent.get(`/dashboard?scope=campaign:${spanning}`).expect(200);
    expect(page.text).toContain('<h1>Hai xã (phần trong phạm vi của bạn)</h1>');
    expect(page.text).toContain('chỉ tính các địa điểm trong phạm vi của bạn');
    expect(page.text).not.toContain('scope=site:2');
  });
});
