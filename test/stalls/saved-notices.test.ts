import { describe, expect, it } from 'vitest';
import { createTestContext } from '../helpers/app.js';

const SITE = { kind: 'market', name: 'Chợ Hoa Lư', commune_code: '23575', target_percent: '70' };
const STALL = { label: 'Sạp 12', business_name: 'Tạp hóa Kim Dung', goods_category: 'tap_hoa', consent: 'yes' };

async function stallOfLead() {
  const context = createTestContext();
  const lead = await context.loginAs('team_lead', 'totruong');
  const site = await lead.agent
    .post('/sites')
    .type('form')
    .send({ ...SITE, _csrf: lead.csrf })
    .expect(303);
  expect(site.headers.location).toBe('/sites/1?saved=site');
  expect((await lead.agent.get(site.headers.location!).expect(200)).text).toContain('Đã lưu địa điểm Chợ Hoa Lư.');
  await lead.agent
    .post('/sites/1/stalls')
    .type('form')
    .send({ ...STALL, _csrf: lead.csrf })
    .expect(303);
  return { ...context, ...lead };
}

describe('every action on a stall confirms what was saved', () => {
  it('when the stall is edited, then its page says the change was saved', async () => {
    const { agent, csrf, db } = await stallOfLead();
    const saved = await agent
      .post('/stalls/1')
      .type('form')
      .send({ ...STALL, business_name: 'Tạp hóa Dung', _csrf: csrf })
      .expect(303);
    expect(saved.headers.location).toBe('/stalls/1?saved=stall');
    expect((await agent.get(saved.headers.location!).expect(200)).text).toContain('Đã lưu thông tin của Sạp 12.');
    expect(db.prepare('SELECT business_name FROM stalls').get()).toEqual({ business_name: 'Tạp hóa Dung' });
  });

  it('when the status is changed, then the page names the new status and its reason', async () => {
    const { agent, csrf } = await stallOfLead();
    const saved = await agent
      .post('/stalls/1/status')
      .type('form')
      .send({ status: 'refused', refusal_reason: 'no_smartphone', _csrf: csrf })
      .expect(303);
    expect((await agent.get(saved.headers.location!).expect(200)).text).toContain(
      'Đã ghi nhận tình trạng mới: Từ chối (Không có điện thoại thông minh).',
    );
  });

  it('when a follow-up finds the sticker up, or gone, then the page says what was recorded', async () => {
    const { agent, csrf, db } = await stallOfLead();
    const up = await agent
      .post('/stalls/1/follow-up')
      .type('form')
      .send({ sticker_displayed: 'yes', transfer_share: '40', _csrf: csrf })
      .expect(303);
    expect((await agent.get(up.headers.location!).expect(200)).text).toContain(
      'Đã ghi nhận lần kiểm tra lại: mã QR vẫn dán tại quầy.',
    );
    const gone = await agent
      .post('/stalls/1/follow-up')
      .type('form')
      .send({ sticker_displayed: 'no', _csrf: csrf })
      .expect(303);
    expect((await agent.get(gone.headers.location!).expect(200)).text).toContain('mã không còn dán tại quầy');
    expect(db.prepare("SELECT count(*) AS n FROM visits WHERE action = 'follow_up'").get()).toEqual({ n: 2 });
  });
});
