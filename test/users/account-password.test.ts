import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { verifyPassword } from '../../src/users/password.js';
import { createTestContext, csrfFrom, TEST_PASSWORD } from '../helpers/app.js';

type Context = ReturnType<typeof createTestContext>;

const NEW_PASSWORD = 'gió lào thổi qua chợ';

const hashOf = (context: Context, username: string) =>
  context.db.prepare('SELECT password_hash FROM users WHERE username = ?').pluck().get(username) as string;

async function changePassword(
  agent: ReturnType<typeof request.agent>,
  fields: { current_password: string; new_password: string; confirm_password: string },
) {
  const form = await agent.get('/account/password').expect(200);
  return agent
    .post('/account/password')
    .type('form')
    .send({ _csrf: csrfFrom(form.text), ...fields });
}

describe('/account/password, everyone’s own password', () => {
  it('shows the form to every role, linked from the menu, without caching', async () => {
    const context = createTestContext();
    for (const role of ['admin', 'leader', 'team_lead', 'volunteer', 'viewer'] as const) {
      const { agent } = await context.loginAs(role);
      const home = await agent.get('/').expect(200);
      expect(home.text).toContain('href="/account/password"');
      const form = await agent.get('/account/password').expect(200);
      expect(form.headers['cache-control']).toBe('no-store');
      expect(form.text).toContain('Mật khẩu hiện tại');
      expect(form.text).not.toContain('Bạn đang dùng mật khẩu dùng một lần.');
    }
  });

  it(
    'when a viewer changes their password, then the new one logs in, the old one does not, ' +
      'and their other sessions end while this one goes on',
    async () => {
      const context = createTestContext();
      const { agent, userId } = await context.loginAs('viewer', 'xem.lan');
      const otherPhone = request.agent(context.app);
      const page = await otherPhone.get('/login');
      await otherPhone
        .post('/login')
        .type('form')
        .send({ _csrf: csrfFrom(page.text), username: 'xem.lan', password: TEST_PASSWORD })
        .expect(303);
      const sessions = () => context.db.prepare('SELECT COUNT(*) FROM sessions WHERE user_id = ?').pluck().get(userId);
      expect(sessions()).toBe(2);

      const changed = await changePassword(agent, {
        current_password: TEST_PASSWORD,
        new_password: NEW_PASSWORD,
        confirm_password: NEW_PASSWORD,
      });
      expect(changed.status).toBe(303);
      expect(changed.headers.location).toBe('/account/password?changed=1');
      expect(await verifyPassword(NEW_PASSWORD, hashOf(context, 'xem.lan'))).toBe(true);
      expect(await verifyPassword(TEST_PASSWORD, hashOf(context, 'xem.lan'))).toBe(false);
      expect(sessions()).toBe(1);
      await agent.get('/').set('Accept', 'text/html').expect(200);
      await otherPhone.get('/').set('Accept', 'text/html').expect(302);
      const done = await agent.get('/account/password?changed=1').expect(200);
      expect(done.text).toContain('Đã đổi mật khẩu.');
    },
  );

  it(
    'when the current password is wrong or the new one breaks a rule, then the form comes back 400 with ' +
      'the message next to the field, no password echoed, and nothing changes',
    async () => {
      const context = createTestContext();
      const { agent } = await context.loginAs('volunteer', 'tnv.lan');
      const before = hashOf(context, 'tnv.lan');
      const cases = [
        [
          { current_password: 'sai-mat-khau-roi', new_password: NEW_PASSWORD },
          'current_password',
          'Mật khẩu hiện tại không đúng.',
        ],
        [{ current_password: TEST_PASSWORD, new_password: 'ngan' }, 'new_password', 'Mật khẩu cần ít nhất 10 ký tự.'],
        [
          { current_password: TEST_PASSWORD, new_password: 'tnv.lan-2026-moi' },
          'new_password',
          'không được trùng hoặc chứa tên đăng nhập',
        ],
        [
          { current_password: TEST_PASSWORD, new_password: 'password123' },
          'new_password',
          'danh sách mật khẩu phổ biến',
        ],
        [
          { current_password: TEST_PASSWORD, new_password: TEST_PASSWORD },
          'new_password',
          'Mật khẩu mới phải khác mật khẩu hiện tại.',
        ],
      ] as const;
      for (const [fields, field, message] of cases) {
        const response = await changePassword(agent, { ...fields, confirm_password: fields.new_password });
        expect(response.status).toBe(400);
        expect(response.text).toMatch(new RegExp(`id="f-${field}-error"[^>]*>[^<]*${message.replace('.', '\\.')}`));
        expect(response.text).not.toContain(`value="${fields.new_password}"`);
        expect(response.text).not.toContain(`value="${fields.current_password}"`);
      }
      const mismatch = await changePassword(agent, {
        current_password: TEST_PASSWORD,
        new_password: NEW_PASSWORD,
        confirm_password: `${NEW_PASSWORD}!`,
      });
      expect(mismatch.status).toBe(400);
      expect(mismatch.text).toContain('Hai lần nhập mật khẩu mới không giống nhau.');
      expect(hashOf(context, 'tnv.lan')).toBe(before);
    },
  );

  it('when the current password is wrong, then it counts as a failed login of that account', async () => {
    const context = createTestContext();
    const { agent } = await context.loginAs('volunteer', 'tnv.lan');
    for (let i = 0; i < 5; i++) {
      const response = await changePassword(agent, {
        current_password: 'sai-mat-khau-roi',
        new_password: NEW_PASSWORD,
        confirm_password: NEW_PASSWORD,
      });
      expect(response.status).toBe(i < 4 ? 400 : 429);
    }
    expect(context.db.prepare("SELECT COUNT(*) FROM login_failures WHERE username = 'tnv.lan'").pluck().get()).toBe(5);
    const throttled = await changePassword(agent, {
      current_password: TEST_PASSWORD,
      new_password: NEW_PASSWORD,
      confirm_password: NEW_PASSWORD,
    });
    expect(throttled.status).toBe(429);
    expect(throttled.text).toContain('Đăng nhập sai quá nhiều lần.');
    expect(await verifyPassword(TEST_PASSWORD, hashOf(context, 'tnv.lan'))).toBe(true);
  });
});

describe('a one-time password must be changed first', () => {
  async function withOneTimePassword(context: Context) {
    const id = await context.createUser('tnv.lan', 'volunteer');
    const { password } = await context.services.accountAccess.resetPassword(null, 'tnv.lan');
    const agent = request.agent(context.app);
    const page = await agent.get('/login');
    await agent
      .post('/login')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), username: 'tnv.lan', password })
      .expect(303);
    return { id, agent, password };
  }

  it(
    'when a user logs in with it, then pages send them to /account/password, other requests get 403, ' +
      'until they have chosen their own',
    async () => {
      const context = createTestContext();
      const { agent, password } = await withOneTimePassword(context);
      for (const path of ['/', '/sites', '/onboard', '/dashboard']) {
        const response = await agent.get(path).set('Accept', 'text/html').expect(302);
        expect(response.headers.location).toBe('/account/password');
      }
      const api = await agent.get('/api/v1/communes?q=pleiku').set('Accept', 'application/json').expect(403);
      expect(api.body.error).toBe('Bạn cần đổi mật khẩu dùng một lần trước khi tiếp tục.');
      const form = await agent.get('/account/password').expect(200);
      expect(form.text).toContain('Mật khẩu dùng một lần được cấp');

      const changed = await changePassword(agent, {
        current_password: password,
        new_password: NEW_PASSWORD,
        confirm_password: NEW_PASSWORD,
      });
      expect(changed.status).toBe(303);
      expect(
        context.db.prepare("SELECT must_change_password FROM users WHERE username = 'tnv.lan'").pluck().get(),
      ).toBe(0);
      await agent.get('/sites').set('Accept', 'text/html').expect(200);
    },
  );

  it('when such a user logs out instead, then POST /logout still works', async () => {
    const context = createTestContext();
    const { id, agent } = await withOneTimePassword(context);
    const form = await agent.get('/account/password').expect(200);
    await agent
      .post('/logout')
      .type('form')
      .send({ _csrf: csrfFrom(form.text) })
      .expect(303, /\/login/);
    expect(context.db.prepare('SELECT COUNT(*) FROM sessions WHERE user_id = ?').pluck().get(id)).toBe(0);
  });
});
