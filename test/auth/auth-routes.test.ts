import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { loadMigrations } from '../../src/db/migrate.js';
import { migrationsDir } from '../../src/paths.js';
import { createTestContext, csrfFrom, TEST_PASSWORD } from '../helpers/app.js';

describe('GET /healthz', () => {
  it('answers 200 with the schema version, without login', async () => {
    const { app } = createTestContext();
    const response = await request(app).get('/healthz').expect(200);
    expect(response.body).toEqual({ status: 'ok', schemaVersion: loadMigrations(migrationsDir).length });
  });
});

describe('login', () => {
  it('when not logged in, then a page redirects to /login with the path to come back to', async () => {
    const { app } = createTestContext();
    const response = await request(app).get('/sites?q=hoa').set('Accept', 'text/html').expect(302);
    expect(response.headers.location).toBe('/login?next=%2Fsites%3Fq%3Dhoa');
  });

  it('when not logged in, then the API answers 401', async () => {
    const { app } = createTestContext();
    await request(app).get('/api/v1/provinces').set('Accept', 'application/json').expect(401);
  });

  it('serves the login form in Vietnamese with username, password and a hidden _csrf field', async () => {
    const { app } = createTestContext();
    const response = await request(app).get('/login').expect(200);
    expect(response.text).toContain('Đăng nhập');
    expect(response.text).toMatch(/name="username"/);
    expect(response.text).toMatch(/name="password"/);
    expect(csrfFrom(response.text)).toMatch(/^[\w-]{20,}$/);
  });

  it(
    'when the password is wrong, ' +
      'then the form comes back 400 with the message next to the password, username kept',
    async () => {
      const { app, createUser } = createTestContext();
      await createUser('tnv.lan', 'volunteer');
      const agent = request.agent(app);
      const page = await agent.get('/login');
      const response = await agent
        .post('/login')
        .type('form')
        .send({ _csrf: csrfFrom(page.text), username: 'tnv.lan', password: 'sai-mat-khau' })
        .expect(400);
      expect(response.text).toContain('Tên đăng nhập hoặc mật khẩu không đúng.');
      expect(response.text).toContain('value="tnv.lan"');
      expect(response.text).not.toContain('sai-mat-khau');
      await agent.get('/').set('Accept', 'text/html').expect(302);
    },
  );

  it('when the login form is posted without its CSRF token, then it is refused with 403', async () => {
    const { app, createUser } = createTestContext();
    await createUser('tnv.lan', 'volunteer');
    const agent = request.agent(app);
    await agent.get('/login');
    const response = await agent
      .post('/login')
      .type('form')
      .send({ username: 'tnv.lan', password: TEST_PASSWORD })
      .expect(403);
    expect(response.text).toContain('Phiên làm việc không hợp lệ');
  });

  it(
    'when the credentials are right, ' + 'then the session opens, rotates its cookie, and goes to the page asked for',
    async () => {
      const { app, createUser, db } = createTestContext();
      await createUser('tnv.lan', 'volunteer');
      const agent = request.agent(app);
      const page = await agent.get('/login?next=/sites');
      const anonymousCookie = String(page.headers['set-cookie']);
      const response = await agent
        .post('/login')
        .type('form')
        .send({ _csrf: csrfFrom(page.text), username: 'tnv.lan', password: TEST_PASSWORD, next: '/sites' })
        .expect(303);
      expect(response.headers.location).toBe('/sites');
      expect(String(response.headers['set-cookie'])).not.toBe(anonymousCookie);
      expect(String(response.headers['set-cookie'])).toMatch(/HttpOnly/i);
      const sessions = db.prepare('SELECT user_id FROM sessions WHERE user_id IS NOT NULL').all();
      expect(sessions).toHaveLength(1);
    },
  );

  it('never redirects to another site after login', async () => {
    const { app, createUser } = createTestContext();
    await createUser('tnv.lan', 'volunteer');
    const agent = request.agent(app);
    const page = await agent.get('/login');
    const response = await agent
      .post('/login')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), username: 'tnv.lan', password: TEST_PASSWORD, next: '//evil.example/' })
      .expect(303);
    expect(response.headers.location).toBe('/');
  });

  it('when logging out, then the session is deleted and pages need login again', async () => {
    const { loginAs, db } = createTestContext();
    const { agent, csrf } = await loginAs('volunteer');
    await agent.post('/logout').type('form').send({ _csrf: csrf }).expect(303);
    expect(db.prepare('SELECT count(*) AS n FROM sessions WHERE user_id IS NOT NULL').get()).toEqual({ n: 0 });
    await agent.get('/').set('Accept', 'text/html').expect(302);
  });
});

describe('visitors who have not logged in', () => {
  const sessionRows = (db: { prepare(sql: string): { pluck(): { get(): unknown } } }) =>
    db.prepare('SELECT count(*) FROM sessions').pluck().get();

  it('when 50 visitors open the login form, then no session row is written, and each can still log in', async () => {
    const { app, db, createUser } = createTestContext();
    await createUser('tnv.lan', 'volunteer');
    for (let i = 0; i < 50; i++) await request(app).get('/login').expect(200);
    expect(sessionRows(db)).toBe(0);

    const agent = request.agent(app);
    const page = await agent.get('/login').expect(200);
    expect(String(page.headers['set-cookie'])).toMatch(/phoqr_form=[\w-]{32}; .*HttpOnly; SameSite=Strict/);
    await agent
      .post('/login')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), username: 'tnv.lan', password: TEST_PASSWORD })
      .expect(303);
    expect(sessionRows(db)).toBe(1);
  });

  it('when a wrong password is sent, then the form comes back with the same token and the next try works', async () => {
    const { app, createUser } = createTestContext();
    await createUser('tnv.lan', 'volunteer');
    const agent = request.agent(app);
    const page = await agent.get('/login').expect(200);
    const wrong = await agent
      .post('/login')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), username: 'tnv.lan', password: 'sai-mat-khau-roi' })
      .expect(400);
    expect(csrfFrom(wrong.text)).toBe(csrfFrom(page.text));
    await agent
      .post('/login')
      .type('form')
      .send({ _csrf: csrfFrom(wrong.text), username: 'tnv.lan', password: TEST_PASSWORD })
      .expect(303);
  });

  it("when the login form's token does not match the visitor's cookie, then it is refused with 403", async () => {
    const { app, createUser } = createTestContext();
    await createUser('tnv.lan', 'volunteer');
    const page = await request(app).get('/login').expect(200);
    // The visitor's token without the visitor's cookie: what a forged cross-site form would hold.
    const refused = await request(app)
      .post('/login')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), username: 'tnv.lan', password: TEST_PASSWORD });
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('Phiên làm việc không hợp lệ hoặc đã hết hạn.');
  });
});

describe('disabled accounts', () => {
  it('when the account is disabled, then the right password is refused with the wrong-password message', async () => {
    const { app, createUser, db } = createTestContext();
    await createUser('tnv.lan', 'volunteer');
    db.prepare("UPDATE users SET active = 0 WHERE username = 'tnv.lan'").run();
    const agent = request.agent(app);
    const page = await agent.get('/login');
    const response = await agent
      .post('/login')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), username: 'tnv.lan', password: TEST_PASSWORD })
      .expect(400);
    expect(response.text).toContain('Tên đăng nhập hoặc mật khẩu không đúng.');
  });

  it('when an account is disabled after login, then its session no longer opens pages', async () => {
    const { loginAs, db } = createTestContext();
    const { agent, userId } = await loginAs('volunteer');
    db.prepare('UPDATE users SET active = 0 WHERE id = ?').run(userId);
    await agent.get('/').set('Accept', 'text/html').expect(302);
  });
});

describe('errors', () => {
  it('an unknown page is a 404 in Vietnamese', async () => {
    const { loginAs } = createTestContext();
    const { agent } = await loginAs('viewer');
    const response = await agent.get('/khong-co-trang-nay').set('Accept', 'text/html').expect(404);
    expect(response.text).toContain('Không tìm thấy');
  });

  it('a site id that is not a number is a 404, not a 500', async () => {
    const { loginAs } = createTestContext();
    const { agent } = await loginAs('viewer');
    await agent.get('/sites/abc').set('Accept', 'text/html').expect(404);
    await agent.get('/sites/99999').set('Accept', 'text/html').expect(404);
  });
});
