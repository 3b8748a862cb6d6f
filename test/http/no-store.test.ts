import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { LOGOUT_CLEAR_SITE_DATA } from '../../src/auth/auth-routes.js';
import { SESSION_COOKIE } from '../../src/auth/session.js';
import { createDemoTestContext, createTestContext, csrfFrom } from '../helpers/app.js';

async function demo() {
  const context = await createDemoTestContext();
  // A volunteer: the role that opens every kind of page, onboarding included, and the trader's data on them.
  const volunteer = await context.loginAs('volunteer', 'tnv.nostore');
  const siteId = (context.db.prepare("SELECT id FROM sites WHERE name = 'Chợ Hoa Lư'").get() as { id: number }).id;
  const stallId = (context.db.prepare('SELECT id FROM stalls WHERE site_id = ? LIMIT 1').get(siteId) as { id: number })
    .id;
  return { ...context, ...volunteer, siteId, stallId };
}

describe('Cache-Control for a logged-in user', () => {
  it('when a logged-in user opens pages, exports or the API, then every answer says no-store', async () => {
    const { agent, siteId, stallId } = await demo();
    const paths = [
      '/',
      `/sites/${siteId}`,
      `/stalls/${stallId}`,
      `/onboard/sites/${siteId}`,
      '/dashboard/table.csv?scope=province:52',
      '/dashboard/table.xlsx?scope=province:52',
      '/dashboard/report.pdf?scope=province:52',
      '/api/v1/adoption?scope=province:52',
    ];
    for (const path of paths) {
      const answer = await agent.get(path).buffer(true).expect(200);
      expect(answer.headers['cache-control'], path).toBe('no-store');
    }
    // An error page for a logged-in user, too.
    const missing = await agent.get('/stalls/999999').set('Accept', 'text/html').expect(404);
    expect(missing.headers['cache-control']).toBe('no-store');
  });

  it('when a logged-in user loads /static, then it keeps its own caching and is not no-store', async () => {
    const { agent } = await demo();
    const css = await agent.get('/static/app.css').expect(200);
    expect(css.headers['cache-control']).toBe('public, max-age=0');
    const script = await agent.get('/static/js/logout.js').expect(200);
    expect(script.headers['cache-control']).not.toContain('no-store');
  });

  it('when a logged-in user opens a page, then it names the user as draft owner and loads logout.js', async () => {
    const { agent, userId, csrf } = await demo();
    const page = await agent.get('/').expect(200);
    expect(page.text).toContain(`<body data-draft-owner="${userId}">`);
    expect(page.text).toMatch(/<script src="\/static\/[0-9a-f]{8}\/js\/logout\.js" defer><\/script>/);
    expect(page.text).not.toContain(`data-draft-owner="${csrf}"`);
  });

  it('when nobody is logged in, then the login page has no draft owner and no logout script', async () => {
    const { app } = createTestContext();
    const page = await request(app).get('/login').expect(200);
    expect(page.text).toContain('<body>');
    expect(page.text).not.toContain('data-draft-owner');
    expect(page.text).not.toContain('logout.js');
  });
});

describe('POST /logout', () => {
  it(
    'when a user logs out, then the answer is no-store, asks to clear site storage, clears the cookie, ' +
      'and Back to a page they saw lands on the login',
    async () => {
      const { agent, csrf, db, siteId } = await demo();
      const response = await agent.post('/logout').type('form').send({ _csrf: csrf }).expect(303);
      expect(response.headers.location).toBe('/login');
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.headers['clear-site-data']).toBe(LOGOUT_CLEAR_SITE_DATA);
      expect(LOGOUT_CLEAR_SITE_DATA).toBe('"storage"');
      const cookie = (response.headers['set-cookie'] as unknown as string[]).find((c) =>
        c.startsWith(`${SESSION_COOKIE}=`),
      );
      expect(cookie).toMatch(new RegExp(`^${SESSION_COOKIE}=;.*Expires=Thu, 01 Jan 1970`));
      expect(db.prepare('SELECT count(*) AS n FROM sessions WHERE user_id IS NOT NULL').get()).toEqual({ n: 0 });
      const back = await agent.get(`/sites/${siteId}`).set('Accept', 'text/html').expect(302);
      expect(back.headers.location).toBe(`/login?next=%2Fsites%2F${siteId}`);
      expect(back.text).not.toContain('Chợ Hoa Lư');
      // The login page it lands on still works: a fresh session and CSRF token for the next person.
      expect(csrfFrom((await agent.get('/login').expect(200)).text)).not.toBe(csrf);
    },
  );
});
