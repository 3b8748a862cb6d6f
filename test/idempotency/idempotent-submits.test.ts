import { describe, expect, it } from 'vitest';
import { submitFingerprint } from '../../src/idempotency/submit-fingerprint.js';
import { encode } from '../../src/vietqr/encode.js';
import { qrMatrix } from '../../src/vietqr/qr-matrix.js';
import type { createTestContext } from '../helpers/app.js';
import { contextWithSite } from '../helpers/site-fixture.js';
import { onBackground, renderMatrix, toPng } from '../vietqr/helpers/images.js';

const SITE = { kind: 'market', name: 'Chợ Hoa Lư', commune_code: '23575', target_percent: '70' };
const STALL = { label: 'Sạp 12', business_name: 'Tạp hóa Kim Dung', goods_category: 'tap_hoa', consent: 'yes' };
const BIDV_ACCOUNT = { bank_bin: '970418', account_number: '12010000123456', holder_name: 'NGUYEN THI KIM DUNG' };

let keySeq = 0;
const newKey = () => `idem-test-key-${String(++keySeq).padStart(8, '0')}`;

async function siteWithVolunteers() {
  const { context } = await contextWithSite(SITE);
  const first = await context.loginAs('volunteer', 'tnv1');
  const second = await context.loginAs('volunteer', 'tnv2');
  return { ...context, first, second };
}

type Volunteer = Awaited<ReturnType<typeof siteWithVolunteers>>['first'];

function submit(volunteer: Volunteer, fields: Record<string, string>) {
  return volunteer.agent
    .post('/onboard/sites/1')
    .type('form')
    .send({ ...fields, _csrf: volunteer.csrf });
}

function stalls(db: ReturnType<typeof createTestContext>['db']) {
  return db.prepare('SELECT id, label, business_name FROM stalls ORDER BY id').all() as {
    id: number;
    label: string;
    business_name: string;
  }[];
}

function keyInPage(html: string): string | undefined {
  return /name="idempotency_key" value="([^"]*)"/.exec(html)?.[1];
}

describe('submitFingerprint', () => {
  it('when only field order, token, key, capture times or outer spaces differ, then it is the same', () => {
    const a = submitFingerprint({ label: 'Sạp 12', phone: '0905123456', _csrf: 'a', idempotency_key: 'k1' });
    const b = submitFingerprint({
      phone: ' 0905123456 ',
      label: 'Sạp 12'.normalize('NFD'),
      _csrf: 'b',
      // The same submit resent from the phone's queue carries when it was captured and queued.
      captured_at: '2026-12-01T03:00:00.000Z',
      queued_at: '2026-12-01T03:00:00.000Z',
    });
    expect(a).toBe(b);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
  });

  it('when a field, a ticked box or the photo differs, then the fingerprint differs', () => {
    const base = submitFingerprint({ label: 'Sạp 12' });
    expect(submitFingerprint({ label: 'Sạp 13' })).not.toBe(base);
    expect(submitFingerprint({ label: 'Sạp 12', consent: 'yes' })).not.toBe(base);
    expect(submitFingerprint({ label: 'Sạp 12' }, { buffer: Buffer.from([1]) })).not.toBe(base);
    expect(submitFingerprint({ label: 'Sạp 12' }, { buffer: Buffer.from([1]) })).not.toBe(
      submitFingerprint({ label: 'Sạp 12' }, { buffer: Buffer.from([2]) }),
    );
  });
});

describe('idempotency keys on the onboarding form', () => {
  it('when a user sends the same form twice, then the second lands on the first stall and writes nothing', async () => {
    const { db, first } = await siteWithVolunteers();
    const fields = { ...STALL, ...BIDV_ACCOUNT, idempotency_key: newKey() };
    const one = await submit(first, fields).expect(303);
    const auditRows = (db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n;
    const two = await submit(first, fields).expect(303);
    expect(two.headers.location).toBe(one.headers.location);
    expect(stalls(db)).toHaveLength(1);
    expect((db.prepare('SELECT count(*) AS n FROM audit_log').get() as { n: number }).n).toBe(auditRows);
  });

  it(
    'when a user sends the key again with an edited field, then 409 says so, the edit is kept in the form ' +
      'with a fresh key, and nothing is saved until that form is sent',
    async () => {
      const { db, first } = await siteWithVolunteers();
      const key = newKey();
      await submit(first, { ...STALL, idempotency_key: key }).expect(303);
      const edited = await submit(first, { ...STALL, label: 'Sạp 14', idempotency_key: key }).expect(409);
      expect(edited.text).toContain('Biểu mẫu này đã được gửi và lưu thành một sạp');
      expect(edited.text).toContain('value="Sạp 14"');
      expect(edited.text).toContain('href="/stalls/1">Mở sạp đã lưu');
      const freshKey = keyInPage(edited.text);
      expect(freshKey).toMatch(/^[0-9a-f-]{36}$/);
      expect(freshKey).not.toBe(key);
      expect(stalls(db).map((stall) => stall.label)).toEqual(['Sạp 12']);

      await submit(first, { ...STALL, label: 'Sạp 14', idempotency_key: freshKey! }).expect(303);
      expect(stalls(db).map((stall) => stall.label)).toEqual(['Sạp 12', 'Sạp 14']);
    },
  );

  it('when another user sends a form with a key someone already used, then it is their own new submit', async () => {
    const { db, first, second } = await siteWithVolunteers();
    const key = newKey();
    const mine = await submit(first, { ...STALL, idempotency_key: key }).expect(303);
    const theirs = await submit(second, { ...STALL, label: 'Sạp 15', idempotency_key: key }).expect(303);
    expect(theirs.headers.location).not.toBe(mine.headers.location);
    expect(stalls(db).map((stall) => stall.label)).toEqual(['Sạp 12', 'Sạp 15']);
    expect(db.prepare('SELECT user_id FROM idempotency_keys WHERE key = ? ORDER BY user_id').all(key)).toHaveLength(2);
  });

  it('when the same submit arrives twice at once, then one stall is made and both answers lead to it', async () => {
    const { db, services, first } = await siteWithVolunteers();
    const actor = (await services.users.findWithReach(first.userId))!;
    const volunteer = { id: actor.id, role: actor.role, reach: actor.reach };
    const input = { ...STALL, ...BIDV_ACCOUNT, idempotency_key: newKey() };
    const [a, b] = await Promise.all([
      services.onboarding.onboard(volunteer, 1, input, undefined),
      services.onboarding.onboard(volunteer, 1, input, undefined),
    ]);
    expect(b.resultUrl).toBe(a.resultUrl);
    expect([a.replayed, b.replayed].sort()).toEqual([false, true]);
    expect(stalls(db)).toHaveLength(1);
    expect((db.prepare('SELECT count(*) AS n FROM stall_accounts').get() as { n: number }).n).toBe(1);
  });

  it(
    'when a photo submit is tapped twice, then the second, whose checks wait on the photo while the first ' +
      'commits, lands on the first stall instead of warning about it',
    async () => {
      const { db, first } = await siteWithVolunteers();
      const photo = toPng(
        onBackground(
          renderMatrix(qrMatrix(encode({ bin: '970418', account: '12010000000267' })), 8),
          700,
          700,
          150,
          150,
          0,
        ),
      );
      const send = () =>
        first.agent
          .post('/onboard/sites/1')
          .field({
            ...STALL,
            holder_name: 'NGUYEN THI KIM DUNG',
            idempotency_key: 'photo-double-tap-0001',
            _csrf: first.csrf,
          })
          .attach('qr_photo', photo, { filename: 'qr.png', contentType: 'image/png' });
      const [a, b] = await Promise.all([send(), send()]);
      expect([a.status, b.status]).toEqual([303, 303]);
      expect(b.headers.location).toBe(a.headers.location);
      expect(stalls(db)).toHaveLength(1);
      expect((db.prepare('SELECT count(*) AS n FROM stall_accounts').get() as { n: number }).n).toBe(1);
    },
  );

  it('when two different submits race with one key, then one is saved and the other is refused with 409', async () => {
    const { db, services, first } = await siteWithVolunteers();
    const actor = (await services.users.findWithReach(first.userId))!;
    const volunteer = { id: actor.id, role: actor.role, reach: actor.reach };
    const key = newKey();
    const results = await Promise.allSettled([
      services.onboarding.onboard(volunteer, 1, { ...STALL, idempotency_key: key }, undefined),
      services.onboarding.onboard(volunteer, 1, { ...STALL, label: 'Sạp 16', idempotency_key: key }, undefined),
    ]);
    expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
    const refused = results.find((result) => result.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ status: 409 });
    expect(stalls(db)).toHaveLength(1);
  });

  it('when a key kept before fingerprints existed is sent again, then it is answered as the retry it was', async () => {
    const { db, first } = await siteWithVolunteers();
    const key = newKey();
    await submit(first, { ...STALL, idempotency_key: key }).expect(303);
    db.prepare('UPDATE idempotency_keys SET fingerprint = NULL WHERE key = ?').run(key);
    const again = await submit(first, { ...STALL, label: 'Sạp 17', idempotency_key: key }).expect(303);
    expect(again.headers.location).toBe('/stalls/1?new=1');
    expect(stalls(db)).toHaveLength(1);
  });
});
