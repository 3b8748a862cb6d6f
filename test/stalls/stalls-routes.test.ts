import type TestAgent from 'supertest/lib/agent.js';
import { describe, expect, it } from 'vitest';
import { createTestContext } from '../helpers/app.js';

const SITE = { kind: 'market', name: 'Chợ Hoa Lư', commune_code: '23575', target_percent: '70' };
const STALL = {
  label: 'Sạp 12',
  business_name: 'Tạp hóa Kim Dung',
  owner_name: 'Nguyễn Thị Kim Dung',
  phone: '0905 123 456',
  goods_category: 'tap_hoa',
  consent: 'yes',
};

async function withSite(role: 'team_lead' | 'volunteer' | 'viewer' = 'volunteer') {
  const context = createTestContext();
  const lead = await context.loginAs('team_lead', 'totruong');
  await lead.agent
    .post('/sites')
    .type('form')
    .send({ ...SITE, _csrf: lead.csrf })
    .expect(303);
  const actor = role === 'team_lead' ? lead : await context.loginAs(role);
  return { ...context, ...actor };
}

/** Stall 1 through the whole flow: onboarded with a typed BIDV account, name checked, sticker installed. */
async function onboardInstalled(agent: TestAgent, csrf: string, clock: { advance(ms: number): void }) {
  await agent
    .post('/onboard/sites/1')
    .type('form')
    .send({
      ...STALL,
      bank_bin: '970418',
      account_number: '12010000123456',
      holder_name: 'Nguyễn Thị Kim Dung',
      idempotency_key: 'key-0000000000000001',
      _csrf: csrf,
    })
    .expect(303);
  clock.advance(60_000);
  await agent
    .post('/stalls/1/accounts/1/name-check')
    .type('form')
    .send({ name_seen: 'NGUYEN THI KIM DUNG', _csrf: csrf })
    .expect(303);
  clock.advance(60_000);
  await agent.post('/stalls/1/installed').type('form').send({ _csrf: csrf }).expect(303);
}

function stallCount(db: ReturnType<typeof createTestContext>['db']): number {
  return (db.prepare('SELECT count(*) AS n FROM stalls').get() as { n: number }).n;
}

describe('POST /sites/:id/stalls', () => {
  it(
    'when a volunteer adds a stall, ' + 'then it is saved as surveyed with a first history row and the counts change',
    async () => {
      const { agent, csrf, db, userId } = await withSite();
      await agent
        .post('/sites/1/stalls')
        .type('form')
        .send({ ...STALL, _csrf: csrf })
        .expect(303);
      expect(
        db
          .prepare('SELECT label, business_name, owner_name, phone, goods_category, status, created_by FROM stalls')
          .get(),
      ).toEqual({
        label: 'Sạp 12',
        business_name: 'Tạp hóa Kim Dung',
        owner_name: 'Nguyễn Thị Kim Dung',
        phone: '0905123456',
        goods_category: 'tap_hoa',
        status: 'surveyed',
        created_by: userId,
      });
      expect(db.prepare('SELECT from_status, to_status, changed_by FROM stall_status_history').all()).toEqual([
        { from_status: null, to_status: 'surveyed', changed_by: userId },
      ]);
      const page = await agent.get('/sites/1').expect(200);
      expect(page.text).toContain('0/1 (0 %)');
      expect(page.text).toMatch(/data-status="surveyed"[\s\S]*?<strong data-count>1<\/strong>/);
    },
  );

  it(
    'when a stall was just added, ' +
      'then the site page opens "Thêm sạp" again, says which stall was saved and puts the cursor in the label',
    async () => {
      const { agent, csrf } = await withSite();
      const saved = await agent
        .post('/sites/1/stalls')
        .type('form')
        .send({ ...STALL, _csrf: csrf })
        .expect(303);
      expect(saved.headers.location).toBe('/sites/1?added=1');
      const page = await agent.get(saved.headers.location!).expect(200);
      expect(page.text).toMatch(/<details class="card" id="add-stall" open>/);
      expect(page.text).toMatch(/role="status">Đã thêm <a href="\/stalls\/1">Sạp 12<\/a>/);
      expect(page.text).toMatch(/id="f-label"[^>]*value=""[\s\S]*?autofocus="autofocus"/);
      const plain = await agent.get('/sites/1').expect(200);
      expect(plain.text).toMatch(/<details class="card" id="add-stall" >/);
      expect(plain.text).not.toContain('autofocus');
    },
  );

  it(
    'when the label is empty and the phone has letters, ' +
      'then the form comes back 400 with both messages, input kept, nothing saved',
    async () => {
      const { agent, csrf, db } = await withSite();
      const response = await agent
        .post('/sites/1/stalls')
        .type('form')
        .send({ ...STALL, label: '', phone: '09abc', _csrf: csrf })
        .expect(400);
      expect(response.text).toMatch(/id="f-label-error"[^>]*>Nhập số hoặc tên sạp/);
      expect(response.text).toMatch(/id="f-phone-error"[^>]*>Số điện thoại gồm 10 chữ số/);
      expect(response.text).toContain('value="Tạp hóa Kim Dung"');
      expect(stallCount(db)).toBe(0);
    },
  );

  it(
    'when the label already exists on the site, ' +
      'then it warns naming the other stall and saves only once confirmed',
    async () => {
      const { agent, csrf, db } = await withSite();
      await agent
        .post('/sites/1/stalls')
        .type('form')
        .send({ ...STALL, _csrf: csrf })
        .expect(303);
      const warned = await agent
        .post('/sites/1/stalls')
        .type('form')
        .send({ ...STALL, label: 'sạp 12', business_name: 'Rau cô Lan', phone: '', _csrf: csrf })
        .expect(400);
      expect(warned.text).toContain('Địa điểm này đã có &#34;Sạp 12&#34; (Tạp hóa Kim Dung)');
      expect(warned.text).toContain('name="confirm_duplicate_label"');
      expect(stallCount(db)).toBe(1);
      await agent
        .post('/sites/1/stalls')
        .type('form')
        .send({
          ...STALL,
          label: 'sạp 12',
          business_name: 'Rau cô Lan',
          phone: '',
          confirm_duplicate_label: 'yes',
          _csrf: csrf,
        })
        .expect(303);
      expect(stallCount(db)).toBe(2);
    },
  );

  it('when a viewer tries to add a stall, then it is refused with 403', async () => {
    const { agent, csrf, db } = await withSite('viewer');
    await agent
      .post('/sites/1/stalls')
      .type('form')
      .send({ ...STALL, _csrf: csrf })
      .expect(403);
    expect(stallCount(db)).toBe(0);
  });

  it('when the site does not exist, then 404', async () => {
    const { agent, csrf } = await withSite();
    await agent
      .post('/sites/42/stalls')
      .type('form')
      .send({ ...STALL, _csrf: csrf })
      .expect(404);
  });
});

describe('POST /stalls/:id/status', () => {
  it(
    'when a stall without a verified account is set to installed by hand, ' +
      'then it is refused: the funnel cannot be skipped',
    async () => {
      const { agent, csrf, db } = await withSite();
      await agent
        .post('/sites/1/stalls')
        .type('form')
        .send({ ...STALL, _csrf: csrf })
        .expect(303);
      const response = await agent
        .post('/stalls/1/status')
        .type('form')
        .send({ status: 'installed', _csrf: csrf })
        .expect(400);
      expect(response.text).toMatch(/id="f-status-error"[^>]*>Cần một tài khoản chính đã kiểm tra tên/);
      expect(db.prepare('SELECT status FROM stalls WHERE id = 1').get()).toEqual({ status: 'surveyed' });
    },
  );

  it(
    'when a stall is onboarded, verified and installed, ' +
      'then coverage counts it and the history records who and when',
    async () => {
      const { agent, csrf, db, userId, clock } = await withSite();
      await onboardInstalled(agent, csrf, clock);
      await agent
        .post('/sites/1/stalls')
        .type('form')
        .send({ ...STALL, label: 'Sạp 13', phone: '', _csrf: csrf })
        .expect(303);
      expect(
        db
          .prepare(
            'SELECT from_status, to_status, changed_at, changed_by FROM stall_status_history ' +
              'WHERE stall_id = 1 ORDER BY id',
          )
          .all(),
      ).toEqual([
        { from_status: null, to_status: 'surveyed', changed_at: '2026-11-22T03:00:00.000Z', changed_by: userId },
        {
          from_status: 'surveyed',
          to_status: 'has_account',
          changed_at: '2026-11-22T03:00:00.000Z',
          changed_by: userId,
        },
        {
          from_status: 'has_account',
          to_status: 'qr_verified',
          changed_at: '2026-11-22T03:01:00.000Z',
          changed_by: userId,
        },
        {
          from_status: 'qr_verified',
          to_status: 'installed',
          changed_at: '2026-11-22T03:02:00.000Z',
          changed_by: userId,
        },
      ]);
      const page = await agent.get('/sites/1').expect(200);
      expect(page.text).toContain('1/2 (50 %)');
    },
  );

  it('when refused without a reason, then 400 with the message next to the reason and nothing changes', async () => {
    const { agent, csrf, db } = await withSite();
    await agent
      .post('/sites/1/stalls')
      .type('form')
      .send({ ...STALL, _csrf: csrf })
      .expect(303);
    const response = await agent
      .post('/stalls/1/status')
      .type('form')
      .send({ status: 'refused', _csrf: csrf })
      .expect(400);
    expect(response.text).toMatch(/id="f-refusal_reason-error"[^>]*>Chọn lý do từ chối\./);
    expect(db.prepare('SELECT status, refusal_reason FROM stalls').get()).toEqual({
      status: 'surveyed',
      refusal_reason: null,
    });
    expect(db.prepare('SELECT count(*) AS n FROM stall_status_history').get()).toEqual({ n: 1 });
  });

  it('when refused with a reason, then the reason is stored on the stall and in the history', async () => {
    const { agent, csrf, db } = await withSite();
    await agent
      .post('/sites/1/stalls')
      .type('form')
      .send({ ...STALL, _csrf: csrf })
      .expect(303);
    await agent
      .post('/stalls/1/status')
      .type('form')
      .send({ status: 'refused', refusal_reason: 'prefers_cash', _csrf: csrf })
      .expect(303);
    expect(db.prepare('SELECT status, refusal_reason FROM stalls').get()).toEqual({
      status: 'refused',
      refusal_reason: 'prefers_cash',
    });
    expect(db.prepare('SELECT to_status, reason FROM stall_status_history ORDER BY id DESC LIMIT 1').get()).toEqual({
      to_status: 'refused',
      reason: 'prefers_cash',
    });
    const page = await agent.get('/stalls/1').expect(200);
    expect(page.text).toContain('Từ chối: Thích dùng tiền mặt');
  });

  it('when a closed stall leaves the census, then the site coverage no longer counts it', async () => {
    const { agent, csrf, clock } = await withSite();
    await onboardInstalled(agent, csrf, clock);
    await agent
      .post('/sites/1/stalls')
      .type('form')
      .send({ ...STALL, label: 'Sạp 13', phone: '', _csrf: csrf })
      .expect(303);
    await agent
      .post('/stalls/2/status')
      .type('form')
      .send({ status: 'closed', note: 'Nghỉ bán', _csrf: csrf })
      .expect(303);
    const page = await agent.get('/sites/1').expect(200);
    expect(page.text).toContain('1/1 (100 %)');
    expect(page.text).toContain('Đạt (chỉ tiêu 70 %)');
  });
});

describe('POST /stalls/:id (edit)', () => {
  it('when the owner name is corrected, then it is saved and searchable without accents', async () => {
    const { agent, csrf, db } = await withSite();
    await agent
      .post('/sites/1/stalls')
      .type('form')
      .send({ ...STALL, _csrf: csrf })
      .expect(303);
    await agent
      .post('/stalls/1')
      .type('form')
      .send({ ...STALL, owner_name: 'Trần Văn Bảy', _csrf: csrf })
      .expect(303);
    expect(db.prepare('SELECT owner_name FROM stalls').get()).toEqual({ owner_name: 'Trần Văn Bảy' });
    const found = await agent.get('/sites/1?q=tran%20van%20bay').expect(200);
    expect(found.text).toContain('Tạp hóa Kim Dung');
    const notFound = await agent.get('/sites/1?q=kim%20dung%20xyz').expect(200);
    expect(notFound.text).toContain('Chưa có sạp nào khớp bộ lọc');
  });
});
