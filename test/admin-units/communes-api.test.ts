import { describe, expect, it } from 'vitest';
import { createTestContext } from '../helpers/app.js';

interface ApiCommune {
  code: string;
  name: string;
  formerName?: string;
  province: { code: string };
}

describe('GET /api/v1/communes ranking', () => {
  it('when "tam quan" is searched, then Phường Tam Quan is first and Phường Tam Điệp is not offered', async () => {
    const { loginAs } = createTestContext();
    const { agent } = await loginAs('admin');
    const response = await agent.get('/api/v1/communes?q=tam%20quan').expect(200);
    const body = response.body as ApiCommune[];
    expect(body[0]).toEqual({
      code: '21637',
      name: 'Phường Tam Quan',
      type: 'phuong',
      province: { code: '52', name: 'Gia Lai' },
    });
    expect(body[1]).toMatchObject({ code: '16933', name: 'Xã Tam Quang' });
    expect(body.map((c) => c.name)).not.toContain('Phường Tam Điệp');
  });

  it('when a commune is found by an old name, then the answer names it and the others carry no old name', async () => {
    const { loginAs } = createTestContext();
    const { agent } = await loginAs('admin');
    const body = (await agent.get('/api/v1/communes?q=tam%20quan').expect(200)).body as ApiCommune[];
    expect(body).toContainEqual({
      code: '21655',
      name: 'Phường Hoài Nhơn Bắc',
      type: 'phuong',
      province: { code: '52', name: 'Gia Lai' },
      formerName: 'Phường Tam Quan Bắc',
    });
    // The closest old names first: exactly "Xã Tam Quan", then names that start with "Tam Quan".
    expect(body.filter((c) => c.formerName).map((c) => `${c.code} ${c.formerName}`)).toEqual(
      expect.arrayContaining(['08872 Xã Tam Quan', '21664 Phường Tam Quan Nam', '21655 Phường Tam Quan Bắc']),
    );
    expect(body.find((c) => c.formerName)).toMatchObject({ code: '08872', formerName: 'Xã Tam Quan' });
    // Old-name answers come after every current-name answer.
    const firstFormer = body.findIndex((c) => c.formerName);
    expect(body.slice(firstFormer).every((c) => c.formerName)).toBe(true);
  });

  it('when a row is added to commune_mappings (a rename), then the old name finds the commune', async () => {
    const { db, loginAs } = createTestContext();
    db.prepare(
      `INSERT INTO commune_mappings
         (old_code, old_name, old_district_name, old_province_name, new_commune_code, old_name_folded)
       VALUES (NULL, 'Phường Thử Đổi Tên', '', 'Gia Lai', '23575', 'phuong thu doi ten')`,
    ).run();
    const { agent } = await loginAs('admin');
    const body = (await agent.get(`/api/v1/communes?q=${encodeURIComponent('thu doi ten')}`).expect(200))
      .body as ApiCommune[];
    expect(body).toEqual([expect.objectContaining({ code: '23575', formerName: 'Phường Thử Đổi Tên' })]);
  });

  it('when the form is about a Gia Lai place, then the Gia Lai commune comes first for a shared name', async () => {
    const { db, loginAs } = createTestContext();
    const shared = db
      .prepare(
        `SELECT name_folded FROM communes GROUP BY name_folded
         HAVING count(DISTINCT province_code) > 1 AND sum(province_code = '52') = 1
           AND min(code) < (SELECT min(code) FROM communes WHERE province_code = '52') LIMIT 1`,
      )
      .pluck()
      .get() as string;
    const inGiaLai = db
      .prepare("SELECT code FROM communes WHERE name_folded = ? AND province_code = '52'")
      .pluck()
      .get(shared) as string;
    const query = `/api/v1/communes?q=${encodeURIComponent(shared)}`;

    const { agent: admin } = await loginAs('admin');
    const forAdmin = (await admin.get(query).expect(200)).body as ApiCommune[];
    expect(forAdmin.length).toBeGreaterThan(1);
    expect(forAdmin[0]!.province.code).not.toBe('52');

    // An admin editing a Gia Lai site or user: the form says so with `near`, Gia Lai comes first.
    const near = (await admin.get(`${query}&near=52`).expect(200)).body as ApiCommune[];
    expect(near[0]!.code).toBe(inGiaLai);
    expect(near.map((c) => c.code).sort()).toEqual(forAdmin.map((c) => c.code).sort());
    const nearCommune = (await admin.get(`${query}&near=23575`).expect(200)).body as ApiCommune[];
    expect(nearCommune[0]!.code).toBe(inGiaLai);
  });

  it('when "hoa" or "hoà" is searched, then the same communes come back', async () => {
    const { loginAs } = createTestContext();
    const { agent } = await loginAs('admin');
    const plain = (await agent.get('/api/v1/communes?q=hoa&limit=50').expect(200)).body as ApiCommune[];
    const marked = (await agent.get(`/api/v1/communes?q=${encodeURIComponent('hoà')}&limit=50`).expect(200))
      .body as ApiCommune[];
    const other = (await agent.get(`/api/v1/communes?q=${encodeURIComponent('Hòa')}&limit=50`).expect(200))
      .body as ApiCommune[];
    expect(plain.length).toBe(50);
    expect(marked).toEqual(plain);
    expect(other).toEqual(plain);
  });
});

describe('POST /sites with a typed commune name', () => {
  it('when the typed name is exactly one commune beside near ones, then the site is saved in it', async () => {
    const { db, loginAs } = createTestContext();
    const { agent, csrf } = await loginAs('admin');
    await agent
      .post('/sites')
      .type('form')
      .send({
        kind: 'market',
        name: 'Chợ Tam Quan',
        commune_code: '',
        commune_query: 'Tam Quan',
        address: '',
        target_percent: '70',
        launched_on: '2024-01-02',
        note: '',
        _csrf: csrf,
      })
      .expect(303);
    expect(db.prepare("SELECT commune_code FROM sites WHERE name = 'Chợ Tam Quan'").pluck().get()).toBe('21637');
  });

  it('when an old name is typed, then the site goes to the commune that holds it now', async () => {
    const { db, loginAs } = createTestContext();
    const { agent, csrf } = await loginAs('admin');
    await agent
      .post('/sites')
      .type('form')
      .send({
        kind: 'market',
        name: 'Chợ Tam Quan Bắc',
        commune_code: '',
        commune_query: 'Tam Quan Bắc',
        address: '',
        target_percent: '70',
        launched_on: '2024-01-02',
        note: '',
        _csrf: csrf,
      })
      .expect(303);
    expect(db.prepare("SELECT commune_code FROM sites WHERE name = 'Chợ Tam Quan Bắc'").pluck().get()).toBe('21655');
  });

  it('when several communes match, then the error names the old name one was found by', async () => {
    const { db, loginAs } = createTestContext();
    const { agent, csrf } = await loginAs('admin');
    const response = await agent
      .post('/sites')
      .type('form')
      .send({
        kind: 'market',
        name: 'Chợ Hoài Sơn',
        commune_code: '',
        commune_query: 'hoai son',
        address: '',
        target_percent: '70',
        launched_on: '2024-01-02',
        note: '',
        _csrf: csrf,
      })
      .expect(400);
    expect(response.text).toContain('Phường Hoài Nhơn Bắc (trước đây: Xã Hoài Sơn) (21655, Gia Lai)');
    expect(db.prepare("SELECT count(*) FROM sites WHERE name = 'Chợ Hoài Sơn'").pluck().get()).toBe(0);
  });
});
