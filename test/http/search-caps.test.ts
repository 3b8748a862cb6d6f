import { describe, expect, it } from 'vitest';
import { createDemoTestContext } from '../helpers/app.js';

/** 990 one-letter words: the query that blocked the server for 14 s; 1,100 gave a 500. */
const HUGE = Array.from({ length: 1100 }, (_, i) => String.fromCharCode(97 + (i % 26))).join(' ');
const NOTICE = 'Từ khóa quá dài nên chỉ tìm theo &#34;a b c d e f&#34; (tối đa 6 từ, 100 ký tự).';

async function adminOnDemo() {
  const context = await createDemoTestContext();
  const { agent, csrf } = await context.loginAs('admin', 'quan.tri');
  const hoaLu = (context.db.prepare("SELECT id FROM sites WHERE name = 'Chợ Hoa Lư'").get() as { id: number }).id;
  return { ...context, agent, csrf, hoaLu };
}

describe('every search box caps its query and says so', () => {
  it('when the commune picker is sent 1,100 words, then it answers the first six, marked as cut', async () => {
    const { agent } = await adminOnDemo();
    const response = await agent.get('/api/v1/communes').query({ q: HUGE }).expect(200);
    expect(response.headers['x-search-cut']).toBe('1');
    expect(Array.isArray(response.body)).toBe(true);
    const plain = await agent.get('/api/v1/communes').query({ q: 'pleiku' }).expect(200);
    expect(plain.headers['x-search-cut']).toBeUndefined();
    expect(plain.body.map((c: { code: string }) => c.code)).toContain('23575');
  });

  it('when the site list is searched with 1,100 words, then the page says what it searched', async () => {
    const { agent } = await adminOnDemo();
    const page = await agent.get('/sites').query({ q: HUGE }).expect(200);
    expect(page.text).toContain(NOTICE);
    expect(page.text).toContain('value="a b c d e f"');
    const found = await agent.get('/sites').query({ q: 'hoa lu' }).expect(200);
    expect(found.text).not.toContain('Từ khóa quá dài');
    expect(found.text).toContain('Chợ Hoa Lư');
  });

  it("when a site's stalls are searched with 1,100 words, then the page says what it searched", async () => {
    const { agent, hoaLu } = await adminOnDemo();
    const page = await agent.get(`/sites/${hoaLu}`).query({ q: HUGE }).expect(200);
    expect(page.text).toContain(NOTICE);
  });

  it('when the onboarding site picker is searched with 1,100 words, then it says what it searched', async () => {
    const { agent } = await adminOnDemo();
    const page = await agent.get('/onboard').query({ q: HUGE }).expect(200);
    expect(page.text).toContain(NOTICE);
  });

  it('when the user list is searched with 1,100 words, then it says what it searched', async () => {
    const { agent } = await adminOnDemo();
    const page = await agent.get('/admin/users').query({ q: HUGE }).expect(200);
    expect(page.text).toContain(NOTICE);
  });

  it('when a site form names its commune with 1,100 words, then the field asks for less, nothing saved', async () => {
    const { agent, csrf, db } = await adminOnDemo();
    const before = db.prepare('SELECT count(*) AS n FROM sites').get();
    const page = await agent
      .post('/sites')
      .type('form')
      .send({ _csrf: csrf, kind: 'market', name: 'Chợ thử', commune_query: HUGE, target_percent: '70' })
      .expect(400);
    expect(page.text).toMatch(/id="f-commune_query-error"[^>]*>Tên xã\/phường dài quá \(tối đa 6 từ, 100 ký tự\)/);
    expect(db.prepare('SELECT count(*) AS n FROM sites').get()).toEqual(before);
  });
});
