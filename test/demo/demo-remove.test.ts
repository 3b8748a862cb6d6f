import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/actor.js';
import { DEMO_USERS } from '../../src/demo/demo-sites.js';
import { WHOLE_COUNTRY } from '../../src/vocabulary/reach.js';
import { createDemoTestContext } from '../helpers/app.js';

type Db = Awaited<ReturnType<typeof createDemoTestContext>>['db'];
const count = (db: Db, sql: string) => db.prepare(sql).pluck().get() as number;

/** The demo programme, plus a real admin with a real site and stall of their own. */
async function demoWithRealData() {
  const context = await createDemoTestContext();
  const { agent, csrf, userId } = await context.loginAs('admin', 'quan.tri');
  const admin: Actor = { id: userId, role: 'admin', reach: WHOLE_COUNTRY };
  const siteId = await context.services.sites.createSite(admin, {
    kind: 'market',
    name: 'Chợ Thật',
    commune_code: '23575',
    target_percent: '70',
  });
  const stallId = await context.services.stalls.createStall(admin, siteId, {
    label: 'Sạp 1',
    business_name: 'Rau cô Mai',
    owner_name: 'Lê Thị Mai',
    goods_category: 'rau_cu',
    consent: 'yes',
  });
  return { ...context, agent, csrf, admin, siteId, stallId };
}

describe('phoqr demo remove', () => {
  it('when the demo is removed, only real rows are left, still append-only, and no banner', async () => {
    const { db, app, services, siteId, stallId } = await demoWithRealData();
    const demoStalls = count(db, 'SELECT count(*) FROM stalls') - 1;
    expect(demoStalls).toBeGreaterThan(100);

    const removed = await services.demo.remove();

    expect(removed).toEqual({ users: DEMO_USERS.length, sites: expect.any(Number), stalls: demoStalls });
    expect(db.prepare('SELECT id FROM sites').pluck().all()).toEqual([siteId]);
    expect(db.prepare('SELECT id FROM stalls').pluck().all()).toEqual([stallId]);
    expect(db.prepare('SELECT username FROM users ORDER BY username').pluck().all()).toEqual(['quan.tri']);
    expect(count(db, 'SELECT count(*) FROM demo_programme') + count(db, 'SELECT count(*) FROM demo_removal')).toBe(0);
    expect(count(db, "SELECT count(*) FROM audit_log WHERE action = 'demo.remove' AND user_id IS NULL")).toBe(1);
    // The real stall's own history is kept, and the tables are append-only again.
    expect(count(db, `SELECT count(*) FROM stall_status_history WHERE stall_id = ${stallId}`)).toBeGreaterThan(0);
    expect(() => db.prepare('DELETE FROM stall_status_history').run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM audit_log').run()).toThrow(/append-only/);
    expect((await request(app).get('/login').expect(200)).text).not.toContain('Dữ liệu mẫu');
  });

  it('when there is no demo (already removed), then it says so and deletes nothing', async () => {
    const { db, services } = await demoWithRealData();
    await services.demo.remove();
    const users = count(db, 'SELECT count(*) FROM users');
    await expect(services.demo.remove()).rejects.toThrow('Cơ sở dữ liệu này không có dữ liệu mẫu.');
    expect(count(db, 'SELECT count(*) FROM users')).toBe(users);
  });

  it('when a real row refers to a demo user, then nothing is deleted and the message says why', async () => {
    const { db, services, stallId } = await demoWithRealData();
    const demoUser = db.prepare("SELECT id FROM users WHERE username = 'tnv.hoalu1'").pluck().get();
    db.prepare('UPDATE stalls SET updated_by = ? WHERE id = ?').run(demoUser, stallId);
    const stalls = count(db, 'SELECT count(*) FROM stalls');

    await expect(services.demo.remove()).rejects.toThrow(/^Chưa xóa gì: có dữ liệu thật do một tài khoản mẫu/);

    expect(count(db, 'SELECT count(*) FROM stalls')).toBe(stalls);
    expect(count(db, 'SELECT count(*) FROM demo_programme')).toBe(1);
    expect(count(db, 'SELECT count(*) FROM demo_removal')).toBe(0);
  });
});
