import path from 'node:path';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { openMigratedDatabase, openRegistry } from '../../src/bootstrap.js';
import { runUserCommand } from '../../src/cli/user-command.js';
import { fixedClock } from '../../src/clock.js';
import { testConfig } from '../../src/config.js';
import { verifyPassword } from '../../src/users/password.js';
import { createTestContext, csrfFrom, TEST_PASSWORD } from '../helpers/app.js';
import { tempDir } from '../helpers/temp-dir.js';

const NOW = '2026-11-22T03:00:00Z';

function captureIo(databasePath?: string) {
  const out: string[] = [];
  const err: string[] = [];
  const io = {
    stdout: (t: string) => out.push(t),
    stderr: (t: string) => err.push(t),
    env: databasePath ? { DATABASE_PATH: databasePath } : {},
  };
  return { io, out, err };
}

describe('phoqr user unlock', () => {
  it('when the account is locked, then it is unlocked, recorded as by the command line, with exit 0', async () => {
    const databasePath = path.join(tempDir('unlock'), 'db.sqlite');
    const config = testConfig({ databasePath });
    const clock = fixedClock(NOW);
    const before = openRegistry(config, clock);
    for (let i = 0; i < 20; i++) await before.services.loginThrottle.recordFailure('tnv.lan', `10.0.0.${i}`);
    expect(await before.services.loginThrottle.isLocked('tnv.lan')).toBe(true);
    before.db.close();

    const { io, out } = captureIo(databasePath);
    expect(await runUserCommand(['unlock', 'tnv.lan'], io, clock)).toBe(0);
    expect(out.join('')).toBe('Đã mở khóa tài khoản tnv.lan.\n');

    const after = openRegistry(config, clock);
    expect(await after.services.loginThrottle.isLocked('tnv.lan')).toBe(false);
    expect(after.db.prepare('SELECT event, by_user FROM login_locks ORDER BY id').all()).toEqual([
      { event: 'locked', by_user: null },
      { event: 'unlocked', by_user: null },
    ]);
    after.db.close();
  });

  it('when the account is not locked, then it says so and exits 0', async () => {
    const databasePath = path.join(tempDir('unlock'), 'db.sqlite');
    const { io, out } = captureIo(databasePath);
    expect(await runUserCommand(['unlock', 'tnv.lan'], io, fixedClock(NOW))).toBe(0);
    expect(out.join('')).toContain('Tài khoản tnv.lan không bị khóa');
  });

  it('when the username or the action is missing, then it prints the usage and exits 2', async () => {
    const cases = [
      [],
      ['unlock'],
      ['lock', 'tnv.lan'],
      ['unlock', 'a', 'b'],
      ['disable'],
      ['enable', 'a', 'b'],
      ['reset-password'],
      ['reset-password', 'a', 'b'],
    ];
    for (const args of cases) {
      const { io, err } = captureIo();
      expect(await runUserCommand(args, io, fixedClock(NOW))).toBe(2);
      expect(err.join('')).toContain('Cách dùng: phoqr user unlock');
    }
  });
});

/** The real app on a database file, so that the command, on its own connection, changes what the app sees. */
function appOnFile(name: string) {
  const databasePath = path.join(tempDir(name), 'db.sqlite');
  const context = createTestContext(openMigratedDatabase(testConfig({ databasePath })).db);
  return { ...context, databasePath };
}

const sessionsOf = (context: ReturnType<typeof appOnFile>, userId: number) =>
  context.db.prepare('SELECT COUNT(*) FROM sessions WHERE user_id = ?').pluck().get(userId);

async function logIn(context: ReturnType<typeof appOnFile>, username: string) {
  const agent = request.agent(context.app);
  const page = await agent.get('/login');
  return agent
    .post('/login')
    .type('form')
    .send({ _csrf: csrfFrom(page.text), username, password: TEST_PASSWORD });
}

describe('phoqr user disable and enable', () => {
  it(
    'when a logged-in user is disabled, then their sessions are deleted at once, the next request goes to /login, ' +
      'and nobody else is logged out',
    async () => {
      const context = appOnFile('disable');
      const { agent, userId } = await context.loginAs('volunteer', 'tnv.lan');
      const other = await context.loginAs('volunteer', 'tnv.minh');
      await logIn(context, 'tnv.lan').then((response) => expect(response.status).toBe(303));
      expect(sessionsOf(context, userId)).toBe(2);

      const { io, out } = captureIo(context.databasePath);
      expect(await runUserCommand(['disable', 'tnv.lan'], io, fixedClock(NOW))).toBe(0);
      expect(out.join('')).toBe('Đã vô hiệu hóa tài khoản tnv.lan; 2 phiên đăng nhập đã kết thúc.\n');

      expect(sessionsOf(context, userId)).toBe(0);
      expect(context.db.prepare('SELECT active FROM users WHERE id = ?').pluck().get(userId)).toBe(0);
      const next = await agent.get('/sites').set('Accept', 'text/html').expect(302);
      expect(next.headers.location).toBe('/login?next=%2Fsites');
      await other.agent.get('/').expect(200);
      expect(sessionsOf(context, other.userId)).toBe(1);
      context.db.close();
    },
  );

  it('when a disabled user is enabled again, then they can log in again', async () => {
    const context = appOnFile('enable');
    await context.createUser('tnv.lan', 'volunteer');
    const { io, out } = captureIo(context.databasePath);
    expect(await runUserCommand(['disable', 'tnv.lan'], io, fixedClock(NOW))).toBe(0);
    expect((await logIn(context, 'tnv.lan')).status).toBe(400);

    expect(await runUserCommand(['enable', 'tnv.lan'], io, fixedClock(NOW))).toBe(0);
    expect(out.at(-1)).toBe('Đã kích hoạt lại tài khoản tnv.lan; người dùng đăng nhập lại được.\n');
    const login = await logIn(context, 'tnv.lan');
    expect(login.status).toBe(303);
    context.db.close();
  });

  it('when nothing changes, then it says the account already was so, with exit 0', async () => {
    const context = appOnFile('unchanged');
    await context.createUser('tnv.lan', 'volunteer');
    context.db.close();
    const { io, out } = captureIo(context.databasePath);
    expect(await runUserCommand(['enable', 'tnv.lan'], io, fixedClock(NOW))).toBe(0);
    expect(await runUserCommand(['disable', 'tnv.lan'], io, fixedClock(NOW))).toBe(0);
    expect(await runUserCommand(['disable', 'tnv.lan'], io, fixedClock(NOW))).toBe(0);
    expect(out).toEqual([
      'Tài khoản tnv.lan vẫn đang hoạt động.\n',
      'Đã vô hiệu hóa tài khoản tnv.lan; 0 phiên đăng nhập đã kết thúc.\n',
      'Tài khoản tnv.lan đã bị vô hiệu hóa từ trước.\n',
    ]);
  });

  it('when the user does not exist, then it says so and exits 1', async () => {
    const databasePath = path.join(tempDir('unknown'), 'db.sqlite');
    for (const action of ['disable', 'enable']) {
      const { io, out, err } = captureIo(databasePath);
      expect(await runUserCommand([action, 'khong.co'], io, fixedClock(NOW))).toBe(1);
      expect(err.join('')).toBe('Không có người dùng khong.co.\n');
      expect(out).toEqual([]);
    }
  });
});

describe('phoqr user reset-password', () => {
  it(
    'when a logged-in user’s password is reset, then a one-time password is printed once, stored only as a ' +
      'hash, their sessions end, and at the next login it must be changed',
    async () => {
      const context = appOnFile('reset');
      const { agent, userId } = await context.loginAs('volunteer', 'tnv.lan');

      const { io, out, err } = captureIo(context.databasePath);
      expect(await runUserCommand(['reset-password', 'tnv.lan'], io, fixedClock(NOW))).toBe(0);
      expect(err).toEqual([]);
      const printed = out.join('');
      const password = /^Mật khẩu dùng một lần của tnv\.lan: (\S+)\n/.exec(printed)?.[1];
      expect(password).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
      expect(printed).toContain('1 phiên đăng nhập đã kết thúc.');

      const stored = context.db
        .prepare('SELECT password_hash, must_change_password FROM users WHERE id = ?')
        .get(userId) as { password_hash: string; must_change_password: number };
      expect(stored.must_change_password).toBe(1);
      expect(stored.password_hash).not.toContain(password!);
      expect(await verifyPassword(password!, stored.password_hash)).toBe(true);
      expect(sessionsOf(context, userId)).toBe(0);
      await agent.get('/').set('Accept', 'text/html').expect(302);

      const login = await logIn(context, 'tnv.lan');
      expect(login.status).toBe(400);
      const fresh = request.agent(context.app);
      const page = await fresh.get('/login');
      await fresh
        .post('/login')
        .type('form')
        .send({ _csrf: csrfFrom(page.text), username: 'tnv.lan', password })
        .expect(303);
      const next = await fresh.get('/sites').set('Accept', 'text/html').expect(302);
      expect(next.headers.location).toBe('/account/password');
      context.db.close();
    },
  );

  it('when the user does not exist, then it says so, prints no password and exits 1', async () => {
    const databasePath = path.join(tempDir('reset-unknown'), 'db.sqlite');
    const { io, out, err } = captureIo(databasePath);
    expect(await runUserCommand(['reset-password', 'khong.co'], io, fixedClock(NOW))).toBe(1);
    expect(err.join('')).toBe('Không có người dùng khong.co.\n');
    expect(out).toEqual([]);
  });
});
