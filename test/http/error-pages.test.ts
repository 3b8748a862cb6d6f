import express from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { testConfig } from '../../src/config.js';
import { errorHandler } from '../../src/http/error-handler.js';
import { HttpError, TooManyRequestsError } from '../../src/http/errors.js';
import { userLocals, viewLocals } from '../../src/http/view-locals.js';
import { viewsDir } from '../../src/paths.js';
import { createTestContext } from '../helpers/app.js';

const TITLES: Record<number, string> = {
  400: 'Yêu cầu không hợp lệ',
  401: 'Cần đăng nhập',
  403: 'Không được phép',
  404: 'Không tìm thấy',
  413: 'Dữ liệu quá lớn',
  422: 'Không xử lý được',
  429: 'Thao tác quá nhiều',
  500: 'Có lỗi xảy ra',
};

/** A bare app whose one route fails with `status`, behind the app's own locals and error handler. */
function failingApp(env: 'production' | 'development', status: number, withUser: boolean) {
  const app = express();
  app.set('views', viewsDir);
  app.set('view engine', 'ejs');
  app.use(viewLocals);
  app.use((req, _res, next) => {
    if (withUser) {
      req.user = {
        id: 1,
        username: 'tnv.lan',
        displayName: 'Nguyễn Thị Lan',
        role: 'volunteer',
        reach: { wholeCountry: false, provinces: [], communes: ['23575'], sites: [] },
        mustChangePassword: false,
      };
    }
    next();
  });
  app.use(userLocals);
  app.get('/fail', () => {
    if (status === 500) throw new Error('database is locked at /srv/phoqr/src/secret.ts:12');
    if (status === 429) throw new TooManyRequestsError(60);
    throw new HttpError(status, 'Thông báo của lỗi này.');
  });
  app.use(errorHandler(testConfig({ env }), () => {}));
  return app;
}

describe('every error status renders the app page in Vietnamese', () => {
  for (const env of ['production', 'development'] as const) {
    for (const withUser of [false, true]) {
      for (const status of [400, 401, 403, 404, 413, 422, 429, 500]) {
        if (status === 401 && withUser) continue;
        const who = withUser ? 'for a user' : 'for a visitor';
        it(`when a ${status} happens in ${env} ${who}, then the app's page says so`, async () => {
          const response = await request(failingApp(env, status, withUser))
            .get('/fail')
            .accept('html');
          expect(response.status).toBe(status);
          expect(response.type).toBe('text/html');
          expect(response.text).toContain(`<h1>${TITLES[status]}</h1>`);
          expect(response.text).toContain('lang="vi"');
          if (withUser) expect(response.text).toContain('Nguyễn Thị Lan');
          const showsStack = response.text.includes('secret.ts');
          expect(showsStack).toBe(env === 'development' && status === 500);
          if (status === 500) expect(response.text).toContain('Đã có lỗi xảy ra. Vui lòng thử lại sau ít phút.');
          if (status === 401) expect(response.text).toContain('Đăng nhập lại');
        });
      }
    }
  }
});

describe('errors met before the session is read still get the app page', () => {
  it('when a form field is longer than any may be, then the form comes back (413) with the message at it', async () => {
    const { loginAs, db } = createTestContext(undefined, { env: 'production' });
    const { agent, csrf } = await loginAs('admin', 'quan.tri');
    const response = await agent
      .post('/sites')
      .type('form')
      .send({ _csrf: csrf, kind: 'market', name: 'Chợ Mới', commune_query: 'Pleiku', note: 'x'.repeat(120_000) })
      .expect(413);
    expect(response.text).toMatch(
      /id="f-note-error"[^>]*>Nội dung quá dài: tối đa 10\.000 ký tự \(hiện có 120\.000\)\. Hãy rút gọn rồi gửi lại\./,
    );
    expect(response.text).toContain('value="Chợ Mới"');
    expect(response.text).not.toContain('Payload Too Large');
    expect(db.prepare("SELECT count(*) FROM sites WHERE name = 'Chợ Mới'").pluck().get()).toBe(0);
  });

  it('when a whole form body is over 1 MB, then it is a 413 with the Vietnamese page, not English', async () => {
    const { loginAs } = createTestContext(undefined, { env: 'production' });
    const { agent, csrf } = await loginAs('admin', 'quan.tri');
    const response = await agent
      .post('/sites')
      .type('form')
      .send({ _csrf: csrf, name: 'Chợ', note: 'x'.repeat(1_100_000) })
      .expect(413);
    expect(response.text).toContain('<h1>Dữ liệu quá lớn</h1>');
    expect(response.text).toContain('Dữ liệu gửi lên quá lớn.');
    expect(response.text).not.toContain('Payload Too Large');
  });

  it('when a URL is malformed, then it is a 400 Vietnamese page, no stack, in development too', async () => {
    const { loginAs } = createTestContext(undefined, { env: 'development' });
    const { agent } = await loginAs('admin', 'quan.tri');
    const response = await agent.get('/sites/%E0%A4%A').expect(400);
    expect(response.text).toContain('<h1>Yêu cầu không hợp lệ</h1>');
    expect(response.text).not.toMatch(/URIError|at decode|node_modules/);
  });

  it('when a visitor opens a malformed URL, then it is a 400 page too', async () => {
    const { app } = createTestContext(undefined, { env: 'production' });
    const response = await request(app).get('/v/%E0%A4%A').accept('html');
    expect(response.status).toBe(400);
    expect(response.text).toContain('<h1>Yêu cầu không hợp lệ</h1>');
  });
});

describe('a form sent after the session expired', () => {
  it('when the session is gone, then a 401 page asks to log in again and leads back to the form', async () => {
    const { app, loginAs, db } = createTestContext();
    const { agent, csrf } = await loginAs('admin', 'quan.tri');
    db.prepare('DELETE FROM sessions').run();
    const response = await agent
      .post('/sites')
      .set('Referer', 'http://127.0.0.1/sites/new')
      .set('Host', '127.0.0.1')
      .type('form')
      .send({ _csrf: csrf, name: 'Chợ mới' })
      .expect(401);
    expect(response.text).toContain('Phiên đăng nhập đã hết hạn nên chưa lưu được.');
    expect(response.text).toContain('href="/login?next=%2Fsites%2Fnew"');
    expect(db.prepare("SELECT count(*) AS n FROM sites WHERE name = 'Chợ mới'").get()).toEqual({ n: 0 });
    const login = await request(app).get('/login?next=%2Fsites%2Fnew').expect(200);
    expect(login.text).toContain('value="/sites/new"');
  });
});
