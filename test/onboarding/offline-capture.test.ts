import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { describe, expect, it } from 'vitest';
import { createTestContext, TEST_NOW } from '../helpers/app.js';
import { contextWithSite } from '../helpers/site-fixture.js';

const SITE = { kind: 'market', name: 'Chợ Hoa Lư', commune_code: '23575', target_percent: '70' };
const HOUR = 60 * 60 * 1000;
const at = (offsetMs: number) => new Date(Date.parse(TEST_NOW) + offsetMs).toISOString();

let keySeq = 0;
const newKey = () => `offline-key-${String(++keySeq).padStart(12, '0')}`;

async function volunteerAtSite() {
  const { context } = await contextWithSite(SITE);
  const volunteer = await context.loginAs('volunteer', 'tnv1');
  const count = (table: string) => (context.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  const queuedSubmit = (times: Record<string, string>, fields: Record<string, string> = {}) =>
    volunteer.agent
      .post('/onboard/sites/1')
      .type('form')
      .send({ idempotency_key: newKey(), label: 'Sạp 7', goods_category: 'tap_hoa', ...times, ...fields })
      .send({ _csrf: volunteer.csrf });
  return { ...context, ...volunteer, count, queuedSubmit };
}

/** Stalls of the site as of a day, from the adoption figures (the same ones the dashboard shows). */
async function stallsAsOf(agent: TestAgent, day: string): Promise<number> {
  const answer = await agent.get(`/api/v1/adoption?scope=site:1&asOf=${day}`).expect(200);
  const counts = answer.body.figures.counts as Record<string, number>;
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

describe('a submit from the offline queue (captured_at, queued_at)', () => {
  it('when captured yesterday, then the stall, its history and its visit are dated from the capture', async () => {
    const { queuedSubmit, db } = await volunteerAtSite();
    const captured = at(-20 * HOUR);
    await queuedSubmit({ captured_at: captured, queued_at: at(-19 * HOUR) }).expect(303);
    expect(db.prepare('SELECT created_at FROM stalls').pluck().get()).toBe(captured);
    expect(db.prepare('SELECT changed_at FROM stall_status_history').pluck().all()).toEqual([captured]);
    expect(db.prepare('SELECT visited_at FROM visits').pluck().all()).toEqual([captured]);
  });

  it('when a stall captured yesterday arrives today, then yesterday’s figure counts it', async () => {
    const { queuedSubmit, agent } = await volunteerAtSite();
    // 2026-11-21 11:00 in Vietnam: yesterday for TEST_NOW (2026-11-22 10:00 in Vietnam).
    expect(await stallsAsOf(agent, '2026-11-21')).toBe(0);
    await queuedSubmit({ captured_at: at(-23 * HOUR), queued_at: at(-23 * HOUR) }).expect(303);
    expect(await stallsAsOf(agent, '2026-11-21')).toBe(1);
    expect(await stallsAsOf(agent, '2026-11-20')).toBe(0);
  });

  it.each([
    ['in the future', { captured_at: at(10 * 60 * 1000), queued_at: at(10 * 60 * 1000) }, 'ở tương lai'],
    ['queued in the future', { captured_at: at(-HOUR), queued_at: at(HOUR) }, 'ở tương lai'],
    ['older than 30 days', { captured_at: at(-31 * 24 * HOUR), queued_at: at(-31 * 24 * HOUR) }, 'hơn 30 ngày'],
    ['after it was queued', { captured_at: at(-HOUR), queued_at: at(-2 * HOUR) }, 'sau thời điểm đưa vào hàng chờ'],
    ['without its queue time', { captured_at: at(-HOUR) }, 'thiếu thời điểm đưa vào hàng chờ'],
    ['not a time', { captured_at: 'hôm qua', queued_at: at(-HOUR) }, 'bị hỏng'],
  ])('when captured %s, then 400 with the reason and nothing is saved', async (_case, times, reason) => {
    const { queuedSubmit, count } = await volunteerAtSite();
    const answer = await queuedSubmit(times).set('Accept', 'application/json').expect(400);
    expect(answer.body.error).toContain(reason);
    expect([count('stalls'), count('visits'), count('idempotency_keys')]).toEqual([0, 0, 0]);
  });

  it('when the phone clock is a little ahead, then the stall counts from when the server received it', async () => {
    const { queuedSubmit, db } = await volunteerAtSite();
    await queuedSubmit({ captured_at: at(2 * 60 * 1000), queued_at: at(3 * 60 * 1000) }).expect(303);
    expect(db.prepare('SELECT created_at FROM stalls').pluck().get()).toBe(TEST_NOW);
  });

  it('when the queue sends as JSON, then it learns where the stall landed, and a resend the same', async () => {
    const { agent, csrf, count } = await volunteerAtSite();
    const body = {
      idempotency_key: newKey(),
      label: 'Sạp 9',
      goods_category: 'tap_hoa',
      captured_at: at(-HOUR),
      queued_at: at(-HOUR),
      _csrf: csrf,
    };
    const send = () => agent.post('/onboard/sites/1').set('Accept', 'application/json').type('form').send(body);
    const first = await send().expect(200);
    expect(first.body).toEqual({ stallId: 1, resultUrl: '/stalls/1?new=1', replayed: false });
    const again = await send().expect(200);
    expect(again.body).toEqual({ stallId: 1, resultUrl: '/stalls/1?new=1', replayed: true });
    expect(count('stalls')).toBe(1);
  });

  it('when a duplicate label is sent as JSON, then 400 names the field to confirm and nothing is saved', async () => {
    const { queuedSubmit, count } = await volunteerAtSite();
    await queuedSubmit({ captured_at: at(-HOUR), queued_at: at(-HOUR) }).expect(303);
    const answer = await queuedSubmit({ captured_at: at(-HOUR), queued_at: at(-HOUR) })
      .set('Accept', 'application/json')
      .expect(400);
    expect(answer.body.fields.confirm_duplicate_label).toBe('1');
    expect(count('stalls')).toBe(1);
  });
});

describe('GET /api/v1/session', () => {
  it('when logged in, then it answers the user and the CSRF token, not stored', async () => {
    const { agent, csrf, db } = await volunteerAtSite();
    const answer = await agent.get('/api/v1/session').expect(200);
    const id = db.prepare("SELECT id FROM users WHERE username = 'tnv1'").pluck().get();
    expect(answer.body).toEqual({ userId: id, csrf });
    expect(answer.headers['cache-control']).toBe('no-store');
  });

  it('when not logged in, then 401 and no token', async () => {
    const { app } = createTestContext();
    const answer = await request(app).get('/api/v1/session').set('Accept', 'application/json').expect(401);
    expect(answer.body.csrf).toBeUndefined();
  });
});

describe('GET /sw.js', () => {
  it('when asked without a login, then the service worker is served from the root, checked at every load', async () => {
    const { app } = createTestContext();
    const answer = await request(app).get('/sw.js').expect(200);
    expect(answer.headers['content-type']).toContain('javascript');
    expect(answer.headers['cache-control']).toBe('no-cache');
  });
});

describe('POST /logout with stalls still queued on the phone', () => {
  it('when logout.js says the queue must stay, then the session ends but no Clear-Site-Data wipes it', async () => {
    const { agent, csrf, db } = await volunteerAtSite();
    const answer = await agent.post('/logout').type('form').send({ _csrf: csrf, keep_offline_queue: '1' }).expect(303);
    expect(answer.headers['clear-site-data']).toBeUndefined();
    expect(answer.headers.location).toBe('/login');
    const volunteer = db.prepare("SELECT id FROM users WHERE username = 'tnv1'").pluck().get();
    expect(db.prepare('SELECT count(*) FROM sessions WHERE user_id = ?').pluck().get(volunteer)).toBe(0);
  });
});
