import { describe, expect, it } from 'vitest';
import { createTestContext } from '../helpers/app.js';

const HOA_LU = {
  kind: 'market',
  name: 'Chợ Hoa Lư',
  commune_code: '23575',
  address: 'Phường Pleiku',
  target_percent: '70',
  launched_on: '2023-12-03',
  note: '',
};

function countSites(db: ReturnType<typeof createTestContext>['db']): number {
  return (db.prepare('SELECT count(*) AS n FROM sites').get() as { n: number }).n;
}

describe('POST /sites', () => {
  it('when a team lead submits a valid site, then it is saved with its commune and the page shows it', async () => {
    const { loginAs, db } = createTestContext();
    const { agent, csrf, userId } = await loginAs('team_lead');
    const response = await agent
      .post('/sites')
      .type('form')
      .send({ ...HOA_LU, _csrf: csrf })
      .expect(303);
    const id = Number(/\/sites\/(\d+)/.exec(String(response.headers.location))![1]);
    expect(
      db
        .prepare(
          'SELECT kind, name, name_folded, commune_code, target_percent, launched_on, created_by ' +
            'FROM sites WHERE id = ?',
        )
        .get(id),
    ).toEqual({
      kind: 'market',
      name: 'Chợ Hoa Lư',
      name_folded: 'cho hoa lu',
      commune_code: '23575',
      target_percent: 70,
      launched_on: '2023-12-03',
      created_by: userId,
    });
    const page = await agent.get(`/sites/${id}`).expect(200);
    expect(page.text).toContain('Chợ Hoa Lư');
    expect(page.text).toContain('Phường Pleiku');
    expect(page.text).toContain('chưa có sạp');
  });

  it(
    'when the name is missing and the target is 150, ' +
      'then the form comes back 400 with each message next to its field and nothing is saved',
    async () => {
      const { loginAs, db } = createTestContext();
      const { agent, csrf } = await loginAs('team_lead');
      const response = await agent
        .post('/sites')
        .type('form')
        .send({ ...HOA_LU, name: '   ', target_percent: '150', address: 'Giữ lại địa chỉ này', _csrf: csrf })
        .expect(400);
      expect(response.text).toMatch(/id="f-name-error"[^>]*>Nhập tên địa điểm\.</);
      expect(response.text).toMatch(/id="f-target_percent-error"[^>]*>Chỉ tiêu là số nguyên từ 1 đến 100 \(%\)\.</);
      expect(response.text).toContain('value="Giữ lại địa chỉ này"');
      expect(countSites(db)).toBe(0);
    },
  );

  it('when a name over 120 characters is sent, then it is refused, not cut', async () => {
    const { loginAs, db } = createTestContext();
    const { agent, csrf } = await loginAs('admin');
    const response = await agent
      .post('/sites')
      .type('form')
      .send({ ...HOA_LU, name: 'Chợ '.repeat(40), _csrf: csrf })
      .expect(400);
    expect(response.text).toContain('Tên địa điểm dài quá 120 ký tự (đang có 159) — hãy viết ngắn lại.');
    expect(countSites(db)).toBe(0);
  });

  it('when the commune is typed without accents and matches one commune, then that commune is used', async () => {
    const { loginAs, db } = createTestContext();
    const { agent, csrf } = await loginAs('admin');
    await agent
      .post('/sites')
      .type('form')
      .send({ ...HOA_LU, commune_code: '', commune_query: 'chu prong', _csrf: csrf })
      .expect(303);
    expect(db.prepare('SELECT commune_code FROM sites').get()).toEqual({ commune_code: '23887' });
  });

  it('when the typed commune matches several, then the form says so next to the commune field', async () => {
    const { loginAs, db } = createTestContext();
    const { agent, csrf } = await loginAs('admin');
    const response = await agent
      .post('/sites')
      .type('form')
      .send({ ...HOA_LU, commune_code: '', commune_query: 'an', _csrf: csrf })
      .expect(400);
    expect(response.text).toMatch(/id="f-commune_query-error"[^>]*>Có nhiều xã\/phường khớp/);
    expect(countSites(db)).toBe(0);
  });

  it('when a volunteer tries to create a site, then it is refused with 403 and nothing is saved', async () => {
    const { loginAs, db } = createTestContext();
    const { agent, csrf } = await loginAs('volunteer');
    await agent
      .post('/sites')
      .type('form')
      .send({ ...HOA_LU, _csrf: csrf })
      .expect(403);
    expect(countSites(db)).toBe(0);
  });

  it('when the CSRF token is missing, then the request is refused with 403', async () => {
    const { loginAs, db } = createTestContext();
    const { agent } = await loginAs('admin');
    await agent.post('/sites').type('form').send(HOA_LU).expect(403);
    expect(countSites(db)).toBe(0);
  });
});

describe('GET /sites', () => {
  async function withSites() {
    const context = createTestContext();
    const lead = await context.loginAs('team_lead');
    for (const site of [
      HOA_LU,
      { ...HOA_LU, name: 'Tuyến phố Hoà Bình', kind: 'street', commune_code: '21640' },
      { ...HOA_LU, name: 'Trung tâm thương mại xã Chư Prông', kind: 'trade_centre', commune_code: '23887' },
      { ...HOA_LU, name: 'Chợ Bến Thành', commune_code: '26743' },
    ]) {
      await lead.agent
        .post('/sites')
        .type('form')
        .send({ ...site, _csrf: lead.csrf })
        .expect(303);
    }
    return lead.agent;
  }

  it('search ignores case and accents: "hoa lu" finds "Chợ Hoa Lư"', async () => {
    const agent = await withSites();
    const response = await agent.get('/sites?q=hoa%20lu').expect(200);
    expect(response.text).toContain('Chợ Hoa Lư');
    expect(response.text).not.toContain('Chợ Bến Thành');
  });

  it('search ignores tone-mark placement: "Hòa Bình" finds "Hoà Bình"', async () => {
    const agent = await withSites();
    const response = await agent.get(`/sites?q=${encodeURIComponent('Hòa Bình')}`).expect(200);
    expect(response.text).toContain('Tuyến phố Hoà Bình');
    expect(response.text).not.toContain('Chợ Hoa Lư</a>');
  });

  it('filters by province, commune and kind', async () => {
    const agent = await withSites();
    const gialai = await agent.get('/sites?province=52').expect(200);
    expect(gialai.text).toContain('Chợ Hoa Lư');
    expect(gialai.text).not.toContain('Chợ Bến Thành');
    const chuProng = await agent.get('/sites?commune=23887').expect(200);
    expect(chuProng.text).toContain('Trung tâm thương mại xã Chư Prông');
    expect(chuProng.text).not.toContain('Chợ Hoa Lư</a>');
    const streets = await agent.get('/sites?kind=street').expect(200);
    expect(streets.text).toContain('Tuyến phố Hoà Bình');
    expect(streets.text).not.toContain('Chợ Hoa Lư</a>');
  });
});

describe('GET /sites/:id/edit and POST /sites/:id', () => {
  it('when a lead changes the target, then it is saved and the old values were offered in the form', async () => {
    const { loginAs, db } = createTestContext();
    const { agent, csrf } = await loginAs('team_lead');
    await agent
      .post('/sites')
      .type('form')
      .send({ ...HOA_LU, _csrf: csrf })
      .expect(303);
    const form = await agent.get('/sites/1/edit').expect(200);
    expect(form.text).toContain('value="Chợ Hoa Lư"');
    expect(form.text).toContain('value="Phường Pleiku, Gia Lai"');
    await agent
      .post('/sites/1')
      .type('form')
      .send({ ...HOA_LU, target_percent: '80', _csrf: csrf })
      .expect(303);
    expect(db.prepare('SELECT target_percent FROM sites WHERE id = 1').get()).toEqual({ target_percent: 80 });
  });
});

describe('GET /api/v1/communes', () => {
  it('finds communes by name without accents, with their province', async () => {
    const { loginAs } = createTestContext();
    const { agent } = await loginAs('viewer');
    const response = await agent.get('/api/v1/communes?q=pleiku').expect(200);
    expect(response.body[0]).toEqual({
      code: '23575',
      name: 'Phường Pleiku',
      type: 'phuong',
      province: { code: '52', name: 'Gia Lai' },
    });
  });

  it('when a team lead reaches one commune, then the picker offers that commune and no other', async () => {
    const { loginAs } = createTestContext();
    const { agent } = await loginAs('team_lead', 'totruong.pleiku', [{ kind: 'commune', code: '23575' }]);
    const own = await agent.get('/api/v1/communes?q=pleiku').expect(200);
    expect(own.body.map((c: { code: string }) => c.code)).toEqual(['23575']);
    const other = await agent.get(`/api/v1/communes?q=${encodeURIComponent('Chư Prông')}`).expect(200);
    expect(other.body).toEqual([]);
    const byProvince = await agent.get('/api/v1/communes?province=52&limit=100').expect(200);
    expect(byProvince.body.map((c: { code: string }) => c.code)).toEqual(['23575']);
  });

  it('when a user reaches a province, then the picker offers every commune of it and none elsewhere', async () => {
    const { db, loginAs } = createTestContext();
    const { agent } = await loginAs('volunteer', 'tnv.gialai', [{ kind: 'province', code: '52' }]);
    const response = await agent.get('/api/v1/communes?limit=100&q=xa').expect(200);
    const codes = response.body.map((c: { province: { code: string } }) => c.province.code);
    expect(codes.length).toBeGreaterThan(0);
    expect(new Set(codes)).toEqual(new Set(['52']));
    expect(db.prepare("SELECT count(*) FROM communes WHERE province_code <> '52'").pluck().get()).toBeGreaterThan(0);
  });

  it('finds the commune that now holds an old (pre-2025) commune name', async () => {
    const { loginAs } = createTestContext();
    const { agent } = await loginAs('viewer');
    const response = await agent
      .get(`/api/v1/communes?q=${encodeURIComponent('Hoài Châu Bắc')}&province=52`)
      .expect(200);
    expect(response.body.map((c: { code: string }) => c.code)).toContain('21655');
  });

  it('finds by code prefix and limits to a province', async () => {
    const { loginAs } = createTestContext();
    const { agent } = await loginAs('viewer');
    const byCode = await agent.get('/api/v1/communes?q=23887').expect(200);
    expect(byCode.body).toHaveLength(1);
    const inProvince = await agent.get('/api/v1/communes?q=xa&province=52&limit=100').expect(200);
    expect(inProvince.body.length).toBeGreaterThan(50);
    expect(inProvince.body.every((c: { province: { code: string } }) => c.province.code === '52')).toBe(true);
  });

  it('lists the 34 provinces', async () => {
    const { loginAs } = createTestContext();
    const { agent } = await loginAs('viewer');
    const response = await agent.get('/api/v1/provinces').expect(200);
    expect(response.body).toHaveLength(34);
    expect(response.body).toContainEqual({ code: '52', name: 'Gia Lai', type: 'tinh' });
  });
});
