import { describe, expect, it } from 'vitest';
import { createTestContext } from '../helpers/app.js';

const SITE = { kind: 'market', commune_code: '23575', target_percent: '70' };

async function twoSites() {
  const context = createTestContext();
  const lead = await context.loginAs('team_lead');
  await lead.agent
    .post('/sites')
    .type('form')
    .send({ ...SITE, name: 'Chợ Hoa Lư', _csrf: lead.csrf })
    .expect(303);
  await lead.agent
    .post('/sites')
    .type('form')
    .send({ ...SITE, name: 'Chợ tạm thôn 3', _csrf: lead.csrf })
    .expect(303);
  return { ...context, ...lead };
}

describe('campaigns', () => {
  it('when a lead sets a campaign over two sites, then both are in it with its target and deadline', async () => {
    const { agent, csrf, db } = await twoSites();
    await agent
      .post('/campaigns')
      .type('form')
      .send({
        name: 'Chợ 4.0 đến 30/4/2027',
        target_percent: '80',
        starts_on: '2026-11-01',
        deadline: '2027-04-30',
        site_ids: ['1', '2'],
        _csrf: csrf,
      })
      .expect(303);
    expect(db.prepare('SELECT name, target_percent, starts_on, deadline FROM campaigns').get()).toEqual({
      name: 'Chợ 4.0 đến 30/4/2027',
      target_percent: 80,
      starts_on: '2026-11-01',
      deadline: '2027-04-30',
    });
    expect(db.prepare('SELECT site_id FROM campaign_sites ORDER BY site_id').all()).toEqual([
      { site_id: 1 },
      { site_id: 2 },
    ]);
    const list = await agent.get('/campaigns').expect(200);
    expect(list.text).toContain('Chỉ tiêu 80 % · từ 01/11/2026 đến 30/04/2027 · 2 địa điểm');
  });

  it('a site joining a second campaign leaves the first one', async () => {
    const { agent, csrf, db } = await twoSites();
    const base = { target_percent: '70', starts_on: '2026-11-01', deadline: '2027-04-30', _csrf: csrf };
    await agent
      .post('/campaigns')
      .type('form')
      .send({ ...base, name: 'Đợt 1', site_ids: ['1', '2'] })
      .expect(303);
    await agent
      .post('/campaigns')
      .type('form')
      .send({ ...base, name: 'Đợt 2', site_ids: '2' })
      .expect(303);
    expect(db.prepare('SELECT campaign_id, site_id FROM campaign_sites ORDER BY site_id').all()).toEqual([
      { campaign_id: 1, site_id: 1 },
      { campaign_id: 2, site_id: 2 },
    ]);
  });

  it('a deadline before the start and no site are refused next to their fields, nothing saved', async () => {
    const { agent, csrf, db } = await twoSites();
    const response = await agent
      .post('/campaigns')
      .type('form')
      .send({ name: 'Đợt sai', target_percent: '70', starts_on: '2027-01-01', deadline: '2026-12-01', _csrf: csrf })
      .expect(400);
    expect(response.text).toContain('Hạn hoàn thành phải sau ngày bắt đầu.');
    expect(response.text).toContain('Chọn ít nhất một địa điểm.');
    expect(db.prepare('SELECT count(*) AS n FROM campaigns').get()).toEqual({ n: 0 });
  });

  it('when a lead edits a campaign, then the form shows it and saving replaces its fields and sites', async () => {
    const { agent, csrf, db } = await twoSites();
    const base = { target_percent: '70', starts_on: '2026-11-01', deadline: '2027-04-30', _csrf: csrf };
    await agent
      .post('/campaigns')
      .type('form')
      .send({ ...base, name: 'Đợt 1', site_ids: ['1', '2'] })
      .expect(303);
    const form = await agent.get('/campaigns/1/edit').expect(200);
    expect(form.text).toContain('value="Đợt 1"');
    await agent
      .post('/campaigns/1')
      .type('form')
      .send({ ...base, name: 'Đợt 1 (sửa)', target_percent: '90', site_ids: '2' })
      .expect(303);
    expect(db.prepare('SELECT name, target_percent FROM campaigns').all()).toEqual([
      { name: 'Đợt 1 (sửa)', target_percent: 90 },
    ]);
    expect(db.prepare('SELECT campaign_id, site_id FROM campaign_sites').all()).toEqual([
      { campaign_id: 1, site_id: 2 },
    ]);
  });

  it('when the campaign does not exist or a site does not, then 404 or the message next to the sites', async () => {
    const { agent, csrf, db } = await twoSites();
    const base = { target_percent: '70', starts_on: '2026-11-01', deadline: '2027-04-30', _csrf: csrf };
    await agent.get('/campaigns/99/edit').set('Accept', 'text/html').expect(404);
    const response = await agent
      .post('/campaigns')
      .type('form')
      .send({ ...base, name: 'Đợt', site_ids: '99' })
      .expect(400);
    expect(response.text).toContain('Có địa điểm không tồn tại.');
    expect(db.prepare('SELECT count(*) AS n FROM campaigns').get()).toEqual({ n: 0 });
  });
});
