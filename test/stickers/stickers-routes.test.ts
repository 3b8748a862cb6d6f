import type TestAgent from 'supertest/lib/agent.js';
import { describe, expect, it } from 'vitest';
import { createTestContext } from '../helpers/app.js';
import { contextWithSite } from '../helpers/site-fixture.js';
import { binaryBody, pdfText } from '../helpers/pdf-tools.js';
import { approveAsLead } from '../helpers/payee-changes.js';

const SITE = { kind: 'market', name: 'Chợ Hoa Lư', commune_code: '23575', target_percent: '70' };
let keySeq = 0;

async function siteWithVerifiedStalls(count: number) {
  const { context, lead } = await contextWithSite(SITE);
  for (let i = 1; i <= count; i++) await onboardVerified(lead.agent, lead.csrf, i);
  return { ...context, ...lead };
}

async function onboardVerified(agent: TestAgent, csrf: string, i: number) {
  await agent
    .post('/onboard/sites/1')
    .type('form')
    .send({
      label: `Sạp ${i}`,
      business_name: `Tạp hóa Đặc sản Pleiku ${i}`,
      owner_name: 'Nguyễn Thị Kim Dung',
      goods_category: 'tap_hoa',
      bank_bin: '970418',
      account_number: `120100001234${String(i).padStart(2, '0')}`,
      holder_name: 'NGUYEN THI KIM DUNG',
      consent: 'yes',
      idempotency_key: `sticker-test-key-${String(++keySeq).padStart(8, '0')}`,
      _csrf: csrf,
    })
    .expect(303);
  await agent
    .post(`/stalls/${i}/accounts/${i}/name-check`)
    .type('form')
    .send({ name_seen: 'NGUYEN THI KIM DUNG', _csrf: csrf })
    .expect(303);
}

describe('printing stickers', () => {
  it(
    'a stall’s sticker is a PDF with the serial, logged as a print; ' + 'a reprint keeps the serial and counts',
    async () => {
      const { agent, csrf, db, userId, services } = await siteWithVerifiedStalls(1);
      const first = await binaryBody(
        agent.post('/stalls/1/sticker').type('form').send({ format: 'a6', _csrf: csrf }),
      ).expect(200);
      expect(first.headers['content-type']).toBe('application/pdf');
      expect(first.headers['content-disposition']).toContain('phoqr-cho-hoa-lu-sap-1-1-ma-qr-a6.pdf');
      const text = pdfText(first.body as Buffer, { layout: true });
      expect(text).toContain('QUÉT MÃ ĐỂ THANH TOÁN');
      expect(text).toContain('NGUYEN THI KIM DUNG');
      expect(text).toContain('52-23575-000001');
      await binaryBody(agent.post('/stalls/1/sticker').type('form').send({ format: 'small', _csrf: csrf })).expect(200);
      // A print is recorded on the response's 'finish', which may come after the client has read the end.
      await services.stickers.settled();
      expect(db.prepare('SELECT serial, print_count, status FROM stickers').all()).toEqual([
        { serial: '52-23575-000001', print_count: 2, status: 'valid' },
      ]);
      expect(db.prepare('SELECT format, printed_by FROM sticker_prints ORDER BY id').all()).toEqual([
        { format: 'a6', printed_by: userId },
        { format: 'small', printed_by: userId },
      ]);
    },
  );

  it('a stall without a verified account cannot be printed, with the reason on the page', async () => {
    const { context, lead } = await contextWithSite(SITE);
    await lead.agent
      .post('/sites/1/stalls')
      .type('form')
      .send({ label: 'Sạp 1', goods_category: 'rau_cu', _csrf: lead.csrf })
      .expect(303);
    const response = await lead.agent
      .post('/stalls/1/sticker')
      .type('form')
      .send({ format: 'a6', _csrf: lead.csrf })
      .expect(400);
    expect(response.text).toContain('Cần kiểm tra tên người nhận của tài khoản chính trước khi in mã.');
    expect(context.db.prepare('SELECT count(*) AS n FROM stickers').get()).toEqual({ n: 0 });
  });

  it(
    'a site batch has every verified stall, the count in the file name, ' + 'and "only unprinted" skips printed ones',
    async () => {
      const { agent, csrf, db, services } = await siteWithVerifiedStalls(3);
      await binaryBody(agent.post('/stalls/2/sticker').type('form').send({ format: 'a6', _csrf: csrf })).expect(200);
      const all = await binaryBody(
        agent.post('/sites/1/stickers').type('form').send({ format: 'a4-2x2', scope: 'verified', _csrf: csrf }),
      ).expect(200);
      expect(all.headers['content-disposition']).toContain('phoqr-cho-hoa-lu-3-ma-qr-a4-2x2.pdf');
      await services.stickers.settled();
      const unprinted = await binaryBody(
        agent.post('/sites/1/stickers').type('form').send({ format: 'a4-8', scope: 'unprinted', _csrf: csrf }),
      ).expect(400);
      expect(unprinted.body.toString()).toContain('Không có sạp nào để in');
      const selected = await binaryBody(
        agent
          .post('/sites/1/stickers')
          .type('form')
          .send({ format: 'a4-8', scope: 'selected', stall_ids: ['1', '3'], _csrf: csrf }),
      ).expect(200);
      expect(selected.headers['content-disposition']).toContain('-2-ma-qr-a4-8.pdf');
      expect(db.prepare('SELECT serial FROM stickers ORDER BY sequence').all()).toEqual([
        { serial: '52-23575-000001' },
        { serial: '52-23575-000002' },
        { serial: '52-23575-000003' },
      ]);
    },
  );
});

describe('GET /v/:code (public)', () => {
  it('when a stall label saved before the text checks holds a bidi override, then the page shows it as �', async () => {
    const { agent, csrf, db, app, services } = await siteWithVerifiedStalls(1);
    await binaryBody(agent.post('/stalls/1/sticker').type('form').send({ format: 'a6', _csrf: csrf })).expect(200);
    await services.stickers.settled();
    db.prepare("UPDATE stalls SET label = 'Sạp \u202E21' WHERE id = 1").run();
    const { verification_code: code } = db.prepare('SELECT verification_code FROM stickers').get() as {
      verification_code: string;
    };
    const { default: request } = await import('supertest');
    const page = await request(app).get(`/v/${code}`).expect(200);
    expect(page.text).toContain('Sạp \uFFFD21');
    expect(page.text).not.toContain('\u202E');
  });

  it('shows site, stall, bank, masked account and holder, without login; retiring the account revokes it', async () => {
    const context = await siteWithVerifiedStalls(1);
    const { agent, csrf, db, app, services } = context;
    await binaryBody(agent.post('/stalls/1/sticker').type('form').send({ format: 'a6', _csrf: csrf })).expect(200);
    await services.stickers.settled();
    const { verification_code: code } = db.prepare('SELECT verification_code FROM stickers').get() as {
      verification_code: string;
    };
    const { default: request } = await import('supertest');
    const valid = await request(app).get(`/v/${code}`).expect(200);
    expect(valid.text).toContain('Mã hợp lệ');
    expect(valid.text).toContain('Chợ Hoa Lư');
    expect(valid.text).toContain('•••• 3401');
    expect(valid.text).not.toContain('12010000123401');
    expect(valid.text).not.toContain('Nguyễn Thị Kim Dung');
    await agent
      .post('/stalls/1/accounts/1/retire')
      .type('form')
      .send({ _csrf: csrf, reason: 'new_account', confirm: 'yes', change_reason: 'Chủ sạp đổi ngân hàng' })
      .expect(303);
    // The sticker is printed: retiring its account waits for a second person, and the code stays valid meanwhile.
    expect((await request(app).get(`/v/${code}`).expect(200)).text).toContain('Mã hợp lệ');
    await approveAsLead(context, 1);
    const revoked = await request(app).get(`/v/${code.toLowerCase()}`).expect(200);
    expect(revoked.text).toContain('Mã đã thu hồi');
  });

  it('an unknown code says so plainly with 404', async () => {
    const { app } = createTestContext();
    const { default: request } = await import('supertest');
    const response = await request(app).get('/v/ZZZZ9999').expect(404);
    expect(response.text).toContain('Không có mã xác minh "ZZZZ9999"');
  });

  it('is rate limited', async () => {
    const { app } = createTestContext();
    const { default: request } = await import('supertest');
    for (let i = 0; i < 30; i++) await request(app).get('/v/ZZZZ9999');
    await request(app).get('/v/ZZZZ9999').expect(429);
  });
});
