import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { createTestContext } from '../helpers/app.js';
import { pngHeaderClaiming } from '../vietqr/helpers/images.js';

/** Two app processes on one database: each its own express, services and memory, as behind a load balancer. */
function twoProcesses() {
  const first = createTestContext();
  const second = createTestContext(first.db);
  return { first, second, db: first.db };
}

const hits = (db: ReturnType<typeof createTestContext>['db']) =>
  db.prepare('SELECT key, hits, resets_at FROM rate_limit_hits ORDER BY key').all();

describe('rate limits kept in the database', () => {
  it('when lookups of /v are spread over two processes, then the 31st in the minute is refused by either', async () => {
    const { first, second, db } = twoProcesses();
    for (let i = 0; i < 30; i++) {
      await request(i % 2 === 0 ? first.app : second.app)
        .get('/v/KHONGCO1')
        .expect(404);
    }
    const refused = await request(second.app).get('/v/KHONGCO1');
    expect(refused.status).toBe(429);
    expect(refused.text).toContain('Bạn đã tra cứu quá nhiều lần.');
    expect(hits(db)).toEqual([
      { key: expect.stringMatching(/^v-page:.*127\.0\.0\.1/), hits: 31, resets_at: '2026-11-22T03:01:00.000Z' },
    ]);
  });

  it("when the window is over, then the count starts again from the clock's now", async () => {
    const { first, db } = twoProcesses();
    for (let i = 0; i < 31; i++) await request(first.app).get('/v/KHONGCO1');
    expect((await request(first.app).get('/v/KHONGCO1')).status).toBe(429);

    first.clock.advance(60_000);

    await request(first.app).get('/v/KHONGCO1').expect(404);
    expect(hits(db)).toEqual([expect.objectContaining({ hits: 1, resets_at: '2026-11-22T03:02:00.000Z' })]);
  });
});

describe('photo uploads to the code reader', () => {
  it('when a user sends more than 60 photos in 10 minutes, then the next is refused (429) in words', async () => {
    const { first, second } = twoProcesses();
    const volunteer = await first.loginAs('volunteer', 'tnv.lan');
    // Header-only photos: refused by their size at once, so the count, not the decoding, is what is tested.
    const photo = pngHeaderClaiming(30_000, 30_000);
    for (let i = 0; i < 60; i++) {
      await volunteer.agent
        .post('/api/v1/vietqr/decode')
        .field('_csrf', volunteer.csrf)
        .attach('qr_photo', photo, 'photo.png')
        .expect(422);
    }
    const refused = await volunteer.agent
      .post('/api/v1/vietqr/decode')
      .field('_csrf', volunteer.csrf)
      .attach('qr_photo', photo, 'photo.png')
      .expect(429);
    expect(refused.body.problems[0].message).toMatch(/^Bạn đã gửi quá nhiều ảnh trong 10 phút/);
    // Pasted text costs nothing and stays open.
    await volunteer.agent
      .post('/api/v1/vietqr/decode')
      .set('X-CSRF-Token', volunteer.csrf)
      .send({ text: 'abc' })
      .expect(200);
    expect(second.db.prepare("SELECT hits FROM rate_limit_hits WHERE key LIKE 'photo-decode:%'").pluck().get()).toBe(
      61,
    );
  });
});
