import request from 'supertest';
import { describe, expect, it } from 'vitest';
import type { Express } from 'express';
import { ForbiddenError } from '../../src/http/errors.js';
import { createTestContext, csrfFrom, TEST_PASSWORD } from '../helpers/app.js';
import { WHOLE_COUNTRY } from '../../src/vocabulary/reach.js';

const MINUTE = 60 * 1000;
const LOCKED = 'Tài khoản đã bị khóa do đăng nhập sai nhiều lần. Hãy nhờ tổ trưởng hoặc quản trị viên mở khóa.';

/** A browser at one address: its own session and CSRF token, every request sent as if from `address`. */
async function browserAt(app: Express, address: string) {
  const agent = request.agent(app);
  const page = await agent.get('/login').set('X-Forwarded-For', address).expect(200);
  const csrf = csrfFrom(page.text);
  return {
    login: (username: string, password: string) =>
      agent.post('/login').set('X-Forwarded-For', address).type('form').send({ _csrf: csrf, username, password }),
    /** Whether this browser is logged in: pages answer 200 instead of sending it to /login. */
    loggedIn: async () =>
      (await agent.get('/').set('X-Forwarded-For', address).set('Accept', 'text/html')).status === 200,
  };
}

describe('login throttling per username and address', () => {
  it(
    'when one username fails 5 times from one address, ' +
      'then the right password gets 429 saying when to try again, and no session opens',
    async () => {
      const { app, createUser } = createTestContext();
      await createUser('tnv.lan', 'volunteer');
      const phone = await browserAt(app, '10.0.0.1');
      for (let i = 0; i < 4; i++) await phone.login('tnv.lan', 'sai-mat-khau').expect(400);
      // The failure that reaches the limit already says so.
      await phone.login('tnv.lan', 'sai-mat-khau').expect(429);

      const refused = await phone.login('tnv.lan', TEST_PASSWORD).expect(429);
      expect(refused.text).toContain('Đăng nhập sai quá nhiều lần. Hãy thử lại sau 15 phút.');
      expect(refused.text).toContain('name="password"');
      expect(refused.text).toContain('value="tnv.lan"');
      expect(refused.headers['retry-after']).toBe('900');
      expect(await phone.loggedIn()).toBe(false);
    },
  );

  it('when the 15 minutes have passed, then the right password logs in', async () => {
    const { app, clock, createUser } = createTestContext();
    await createUser('tnv.lan', 'volunteer');
    const phone = await browserAt(app, '10.0.0.1');
    for (let i = 0; i < 5; i++) await phone.login('tnv.lan', 'sai-mat-khau');

    clock.advance(14 * MINUTE);
    const stillRefused = await phone.login('tnv.lan', TEST_PASSWORD).expect(429);
    expect(stillRefused.text).toContain('Hãy thử lại sau 1 phút.');
    clock.advance(1 * MINUTE);
    await phone.login('tnv.lan', TEST_PASSWORD).expect(303);
    expect(await phone.loggedIn()).toBe(true);
  });

  it(
    'when a username is throttled from one address, ' +
      'then it still logs in from another address, and others still log in from that one',
    async () => {
      const { app, createUser } = createTestContext();
      await createUser('tnv.lan', 'volunteer');
      await createUser('tnv.minh', 'volunteer');
      const phone = await browserAt(app, '10.0.0.1');
      for (let i = 0; i < 5; i++) await phone.login('tnv.lan', 'sai-mat-khau');

      await (await browserAt(app, '10.0.0.2')).login('tnv.lan', TEST_PASSWORD).expect(303);
      await (await browserAt(app, '10.0.0.1')).login('tnv.minh', TEST_PASSWORD).expect(303);
    },
  );

  it('when the username is typed in capitals, then its failures count for the same account', async () => {
    const { app, db, createUser } = createTestContext();
    await createUser('tnv.lan', 'volunteer');
    const phone = await browserAt(app, '10.0.0.1');
    for (const typed of ['TNV.LAN', 'Tnv.Lan', 'tnv.lan', 'TNV.lan', 'tnv.LAN']) await phone.login(typed, 'sai');

    await phone.login('tnv.lan', TEST_PASSWORD).expect(429);
    expect(db.prepare('SELECT DISTINCT username, address FROM login_failures').all()).toEqual([
      { username: 'tnv.lan', address: '10.0.0.1' },
    ]);
  });

  it('when a login succeeds, then the failures before it still count', async () => {
    const { app, createUser } = createTestContext();
    await createUser('tnv.lan', 'volunteer');
    const phone = await browserAt(app, '10.0.0.1');
    for (let i = 0; i < 4; i++) await phone.login('tnv.lan', 'sai-mat-khau').expect(400);
    await phone.login('tnv.lan', TEST_PASSWORD).expect(303);

    const other = await browserAt(app, '10.0.0.1');
    await other.login('tnv.lan', 'sai-mat-khau').expect(429);
  });

  it('when the fields are empty, then nothing is recorded as a failed login', async () => {
    const { app, db } = createTestContext();
    const phone = await browserAt(app, '10.0.0.1');
    await phone.login('', '').expect(400);
    expect(db.prepare('SELECT count(*) AS n FROM login_failures').get()).toEqual({ n: 0 });
  });
});

describe('account lock after 20 failures', () => {
  /** 20 wrong passwords for the username, 5 from each of 4 addresses (so no address alone is throttled first). */
  async function failTwentyTimes(app: Express, username: string) {
    for (const address of ['10.0.1.1', '10.0.1.2', '10.0.1.3', '10.0.1.4']) {
      const phone = await browserAt(app, address);
      for (let i = 0; i < 5; i++) await phone.login(username, 'sai-mat-khau');
    }
  }

  it(
    'when one username fails 20 times from different addresses, ' +
      'then it is locked: the right password from a new address is refused, with whom to ask',
    async () => {
      const { app, db, clock, createUser } = createTestContext();
      await createUser('tnv.lan', 'volunteer');
      await failTwentyTimes(app, 'tnv.lan');

      clock.advance(60 * MINUTE);
      const phone = await browserAt(app, '10.0.2.1');
      const refused = await phone.login('tnv.lan', TEST_PASSWORD).expect(403);
      expect(refused.text).toContain(LOCKED);
      expect(await phone.loggedIn()).toBe(false);
      expect(db.prepare('SELECT username, event, by_user FROM login_locks').all()).toEqual([
        { username: 'tnv.lan', event: 'locked', by_user: null },
      ]);
      expect(db.prepare('SELECT count(*) AS n FROM login_failures').get()).toEqual({ n: 20 });
    },
  );

  it(
    'when a team lead unlocks the account, ' +
      'then the right password works again and the failures before the unlock no longer count',
    async () => {
      const { app, db, clock, services, createUser } = createTestContext();
      await createUser('tnv.lan', 'volunteer');
      const leadId = await createUser('to.truong', 'team_lead');
      await failTwentyTimes(app, 'tnv.lan');

      clock.advance(MINUTE);
      expect(
        await services.loginThrottle.unlock({ id: leadId, role: 'team_lead', reach: WHOLE_COUNTRY }, 'tnv.lan'),
      ).toEqual({
        wasLocked: true,
      });
      clock.advance(MINUTE);
      // From an address that had its 5 failures too: they were before the unlock.
      const phone = await browserAt(app, '10.0.1.1');
      await phone.login('tnv.lan', 'sai-mat-khau').expect(400);
      await phone.login('tnv.lan', TEST_PASSWORD).expect(303);
      expect(await phone.loggedIn()).toBe(true);
      expect(db.prepare('SELECT event, by_user FROM login_locks ORDER BY id').all()).toEqual([
        { event: 'locked', by_user: null },
        { event: 'unlocked', by_user: leadId },
      ]);
    },
  );

  it('when a volunteer tries to unlock an account, then it is forbidden and the account stays locked', async () => {
    const { app, services, createUser } = createTestContext();
    await createUser('tnv.lan', 'volunteer');
    const otherId = await createUser('tnv.minh', 'volunteer');
    await failTwentyTimes(app, 'tnv.lan');

    await expect(
      services.loginThrottle.unlock({ id: otherId, role: 'volunteer', reach: WHOLE_COUNTRY }, 'tnv.lan'),
    ).rejects.toThrow(ForbiddenError);
    await expect(
      services.loginThrottle.unlock({ id: otherId, role: 'viewer', reach: WHOLE_COUNTRY }, 'tnv.lan'),
    ).rejects.toThrow(ForbiddenError);
    expect(await services.loginThrottle.isLocked('tnv.lan')).toBe(true);
  });

  it('when an admin or the command line (no actor) unlocks, then the account is unlocked', async () => {
    const { app, services, createUser } = createTestContext();
    await createUser('tnv.lan', 'volunteer');
    const adminId = await createUser('qtv', 'admin');
    await failTwentyTimes(app, 'tnv.lan');
    expect(
      await services.loginThrottle.unlock({ id: adminId, role: 'admin', reach: WHOLE_COUNTRY }, 'TNV.LAN'),
    ).toEqual({
      wasLocked: true,
    });
    expect(await services.loginThrottle.isLocked('tnv.lan')).toBe(false);
    expect(await services.loginThrottle.unlock(null, 'tnv.lan')).toEqual({ wasLocked: false });
  });

  it('when the failures are spread over more than a day, then they do not lock the account', async () => {
    const { app, clock, services, createUser } = createTestContext();
    await createUser('tnv.lan', 'volunteer');
    for (let hour = 0; hour < 20; hour++) {
      await (await browserAt(app, '10.0.3.1')).login('tnv.lan', 'sai-mat-khau');
      clock.advance(2 * 60 * MINUTE);
    }
    expect(await services.loginThrottle.isLocked('tnv.lan')).toBe(false);
  });
});

describe('login throttling per address', () => {
  it(
    'when one address has 200 failures for any usernames, ' +
      'then every login from it gets 429 and other addresses are not affected',
    async () => {
      const { app, services, createUser } = createTestContext();
      await createUser('tnv.lan', 'volunteer');
      // 199 volunteers behind one carrier NAT mistype once each; the 200th failure comes through the form.
      for (let i = 0; i < 199; i++) await services.loginThrottle.recordFailure(`tnv.${i}`, '100.64.0.1');
      const nat = await browserAt(app, '100.64.0.1');
      await nat.login('tnv.khac', 'sai-mat-khau').expect(429);

      const refused = await (await browserAt(app, '100.64.0.1')).login('tnv.lan', TEST_PASSWORD).expect(429);
      expect(refused.text).toContain('Có quá nhiều lần đăng nhập sai từ mạng này. Hãy thử lại sau 15 phút.');
      await (await browserAt(app, '100.64.0.2')).login('tnv.lan', TEST_PASSWORD).expect(303);
    },
  );

  it('when one address has 199 failures, then a right password from it still logs in', async () => {
    const { app, services, createUser } = createTestContext();
    await createUser('tnv.lan', 'volunteer');
    for (let i = 0; i < 199; i++) await services.loginThrottle.recordFailure(`tnv.${i}`, '100.64.0.1');
    await (await browserAt(app, '100.64.0.1')).login('tnv.lan', TEST_PASSWORD).expect(303);
  });
});

describe('the record of failures and locks', () => {
  it('when a row is updated or deleted, then the database refuses: both tables are append-only', async () => {
    const { app, db } = createTestContext();
    const phone = await browserAt(app, '10.0.0.1');
    await phone.login('tnv.lan', 'sai-mat-khau');
    db.prepare("INSERT INTO login_locks (username, event, happened_at) VALUES ('tnv.lan', 'locked', 'x')").run();
    expect(() => db.prepare("UPDATE login_failures SET address = '1.1.1.1'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM login_failures').run()).toThrow(/append-only/);
    expect(() => db.prepare("UPDATE login_locks SET event = 'unlocked'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM login_locks').run()).toThrow(/append-only/);
  });
});
