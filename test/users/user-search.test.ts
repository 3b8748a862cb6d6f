import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/actor.js';
import { WHOLE_COUNTRY } from '../../src/vocabulary/reach.js';
import { createTestContext } from '../helpers/app.js';

async function withUsers() {
  const context = createTestContext();
  const adminId = await context.createUser('quan.tri', 'admin');
  const admin: Actor = { id: adminId, role: 'admin', reach: WHOLE_COUNTRY };
  const lan = await context.services.users.createUserAs(admin, {
    username: 'tnv.lan',
    displayName: 'Nguyễn Thị Lan',
    phone: '',
    role: 'volunteer',
    reachText: 'commune:23575',
  });
  await context.services.users.createUserAs(admin, {
    username: 'tnv.binh',
    displayName: 'Trần Văn Bình',
    phone: '',
    role: 'volunteer',
    reachText: 'commune:23575',
  });
  const list = async (query: string) =>
    (await context.services.adminUsers.list(admin, { query, queryCut: false, lockedOnly: false, page: 1 })).users.map(
      (user) => user.username,
    );
  return { ...context, admin, lanId: lan.id, list };
}

describe('the user list is searched on a folded key in SQL', () => {
  it('when a user is created, then the key holds the username and the name without diacritics', async () => {
    const { db, lanId, list } = await withUsers();
    expect(db.prepare('SELECT search_folded FROM users WHERE id = ?').pluck().get(lanId)).toBe(
      'tnv.lan nguyen thi lan',
    );
    expect(await list('thị lan')).toEqual(['tnv.lan']);
    expect(await list('NGUYEN')).toEqual(['tnv.lan']);
    expect(await list('tnv')).toEqual(['tnv.binh', 'tnv.lan']);
  });

  it('when a user from before the key has none, then search finds them; filling gives one', async () => {
    const { db, services, lanId, list } = await withUsers();
    db.prepare("UPDATE users SET search_folded = '' WHERE id = ?").run(lanId);
    expect(await list('thi lan')).toEqual(['tnv.lan']);
    expect(await list('binh')).toEqual(['tnv.binh']);

    expect(await services.users.fillSearchKeys()).toBe(1);
    expect(db.prepare('SELECT search_folded FROM users WHERE id = ?').pluck().get(lanId)).toBe(
      'tnv.lan nguyen thi lan',
    );
    expect(await services.users.fillSearchKeys()).toBe(0);
  });

  it('when the display name changes, then the search finds the new name, not the old one', async () => {
    const { services, admin, lanId, list } = await withUsers();
    await services.users.updateUser(admin, lanId, {
      displayName: 'Lê Thị Hoa',
      phone: '',
      role: 'volunteer',
      reachText: 'commune:23575',
    });
    expect(await list('hoa')).toEqual(['tnv.lan']);
    expect(await list('nguyen')).toEqual([]);
  });

  it('when 61 users match, then SQL pages them 50 and 11, and the same as folding every row would', async () => {
    const { db, services, admin, lanId } = await withUsers();
    for (let i = 1; i <= 60; i++) {
      await services.users.createUserAs(admin, {
        username: `tnv.so${String(i).padStart(2, '0')}`,
        displayName: `Nguyễn Văn Số ${i}`,
        phone: '',
        role: 'volunteer',
        reachText: 'commune:23575',
      });
    }
    const page = (n: number) =>
      services.adminUsers.list(admin, { query: 'nguyễn', queryCut: false, lockedOnly: false, page: n });
    const [first, second] = [await page(1), await page(2)];
    expect([first.total, first.pages, first.users.length, second.users.length]).toEqual([61, 2, 50, 11]);
    const inSql = [...first.users, ...second.users].map((user) => user.username);

    db.prepare("UPDATE users SET search_folded = '' WHERE id = ?").run(lanId);
    const folded = [...(await page(1)).users, ...(await page(2)).users].map((user) => user.username);
    expect(folded).toEqual(inSql);
    const adminsOnly = await services.adminUsers.list(admin, {
      query: '',
      role: 'admin',
      queryCut: false,
      lockedOnly: false,
      page: 1,
    });
    expect(adminsOnly.users.map((user) => user.username)).toEqual(['quan.tri']);
  });
});
