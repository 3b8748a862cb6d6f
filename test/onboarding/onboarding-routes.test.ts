import type TestAgent from 'supertest/lib/agent.js';
import { describe, expect, it } from 'vitest';
import { crc16, crcHex } from '../../src/vietqr/crc16.js';
import { encode } from '../../src/vietqr/encode.js';
import { qrMatrix } from '../../src/vietqr/qr-matrix.js';
import type { createTestContext } from '../helpers/app.js';
import { contextWithSite } from '../helpers/site-fixture.js';
import { onBackground, pngHeaderClaiming, renderMatrix, rotate, toJpeg, toPng } from '../vietqr/helpers/images.js';
import { approveAsLead } from '../helpers/payee-changes.js';

const SITE = { kind: 'market', name: 'Chợ Hoa Lư', commune_code: '23575', target_percent: '70' };
const STALL = {
  label: 'Sạp 12',
  business_name: 'Tạp hóa Kim Dung',
  owner_name: 'Nguyễn Thị Kim Dung',
  phone: '0905123456',
  goods_category: 'tap_hoa',
};
const BIDV_ACCOUNT = { bank_bin: '970418', account_number: '12010000123456', holder_name: 'Nguyễn Thị Kim Dung' };
const VNPAY_QR =
  '00020101021126280010A000000775011001087990425204597753037045802VN' +
  '5909MYPHAMHER6005HANOI62260311MY PHAM HER0707MPHER0163041C50';

let keySeq = 0;
const withCrc = (body: string) => body + crcHex(crc16(body));

/** A static VietQR that adds a fixed 2,000 đ fee (55 = 02, 56 = 2000): valid per EMVCo, not for a sticker. */
const FEE_QR = withCrc(
  '00020101021138570010A00000072701270006970436011300110012345670208QRIBFTTA5303704550202560420005802VN6304',
);
const newKey = () => `test-key-${String(++keySeq).padStart(12, '0')}`;

async function volunteerAtSite() {
  const { context } = await contextWithSite(SITE);
  const volunteer = await context.loginAs('volunteer', 'tnv1');
  return { ...context, ...volunteer };
}

function onboard(agent: TestAgent, csrf: string, fields: Record<string, string>) {
  return agent
    .post('/onboard/sites/1')
    .type('form')
    .send({ idempotency_key: newKey(), consent: 'yes', ...fields, _csrf: csrf });
}

function count(db: ReturnType<typeof createTestContext>['db'], table: string): number {
  return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
}

function qrPhoto(payload: string, format: 'png' | 'jpeg'): Buffer {
  const image = onBackground(rotate(renderMatrix(qrMatrix(payload), 8), 11), 900, 1200, 180, 260, 7);
  return format === 'png' ? toPng(image) : toJpeg(image, 60);
}

describe('GET /onboard', () => {
  it('offers the sites this volunteer worked on first, then search without accents', async () => {
    const { agent, csrf } = await volunteerAtSite();
    const before = await agent.get('/onboard').expect(200);
    expect(before.text).not.toContain('Địa điểm gần đây của bạn');
    await onboard(agent, csrf, STALL).expect(303);
    const after = await agent.get('/onboard').expect(200);
    expect(after.text).toContain('Địa điểm gần đây của bạn');
    const search = await agent.get('/onboard?q=hoa%20lu').expect(200);
    expect(search.text).toContain('href="/onboard/sites/1"');
  });

  it(
    'serves the form with an idempotency key, ' + 'the three ways to give an account, and an unticked consent',
    async () => {
      const { agent } = await volunteerAtSite();
      const page = await agent.get('/onboard/sites/1').expect(200);
      expect(page.text).toMatch(/name="idempotency_key" value="[0-9a-f-]{36}"/);
      expect(page.text).toContain('name="bank_bin"');
      expect(page.text).toContain('name="qr_text"');
      expect(page.text).toContain('accept="image/*" capture="environment"');
      expect(page.text).toMatch(/<input type="checkbox" name="consent" value="yes"\s+aria-describedby/);
    },
  );

  it('when the volunteer worked at two sites, then both are offered, one line each', async () => {
    const { context, lead } = await contextWithSite(SITE);
    await lead.agent
      .post('/sites')
      .type('form')
      .send({ ...SITE, name: 'Phố Hùng Vương', kind: 'street', _csrf: lead.csrf })
      .expect(303);
    const { agent, csrf } = await context.loginAs('volunteer', 'tnv1');
    await onboard(agent, csrf, STALL).expect(303);
    await agent
      .post('/onboard/sites/2')
      .type('form')
      .send({ idempotency_key: newKey(), label: 'số 4', goods_category: 'tap_hoa', _csrf: csrf })
      .expect(303);
    await onboard(agent, csrf, { label: 'Sạp 13', goods_category: 'tap_hoa' }).expect(303);
    const page = await agent.get('/onboard').expect(200);
    const links = [...page.text.matchAll(/class="title big-link" href="\/onboard\/sites\/(\d+)"/g)].map((m) => m[1]);
    // Both sites were worked on at the same (fixed) time: the tie keeps one line per site.
    expect(links.sort()).toEqual(['1', '2']);
    expect(context.db.prepare('SELECT site_id FROM user_recent_sites ORDER BY site_id').pluck().all()).toEqual([1, 2]);
  });
});

describe('POST /onboard/sites/:id', () => {
  it(
    'when the bank is typed, ' + 'then stall, consent, account, history, visits are saved and the name check follows',
    async () => {
      const { agent, csrf, db, userId } = await volunteerAtSite();
      const response = await onboard(agent, csrf, { ...STALL, ...BIDV_ACCOUNT }).expect(303);
      expect(response.headers.location).toBe('/stalls/1/name-check?new=1');
      expect(db.prepare('SELECT status, consent_at, consent_by FROM stalls').get()).toEqual({
        status: 'has_account',
        consent_at: '2026-11-22T03:00:00.000Z',
        consent_by: userId,
      });
      expect(
        db
          .prepare(
            'SELECT bin, account_number, service, holder_name, source, is_primary, verified_at FROM stall_accounts',
          )
          .get(),
      ).toEqual({
        bin: '970418',
        account_number: '12010000123456',
        service: 'account',
        holder_name: 'NGUYEN THI KIM DUNG',
        source: 'typed',
        is_primary: 1,
        verified_at: null,
      });
      expect(db.prepare('SELECT action FROM visits ORDER BY id').all()).toEqual([
        { action: 'onboarded' },
        { action: 'account_added' },
      ]);
      const check = await agent.get('/stalls/1/name-check?new=1').expect(200);
      expect(check.text).toContain('Quét mã này bằng ứng dụng ngân hàng của bạn và nhập tên người nhận hiển thị');
      expect(check.text).toContain('data-copy-account="12010000123456"');
      expect(check.text).toContain('<svg');
      expect(check.text).toContain('data-clear-draft="onboard-site-1"');
    },
  );

  it(
    'when the same form is submitted twice (double tap, retry), ' +
      'then one stall is created and both land on the same page',
    async () => {
      const { agent, csrf, db } = await volunteerAtSite();
      const fields = { ...STALL, ...BIDV_ACCOUNT, idempotency_key: 'double-tap-key-000001' };
      const [first, second] = await Promise.all([onboard(agent, csrf, fields), onboard(agent, csrf, fields)]);
      expect(first.status).toBe(303);
      expect(second.status).toBe(303);
      expect(second.headers.location).toBe(first.headers.location);
      const third = await onboard(agent, csrf, fields).expect(303);
      expect(third.headers.location).toBe(first.headers.location);
      expect(count(db, 'stalls')).toBe(1);
      expect(count(db, 'stall_accounts')).toBe(1);
    },
  );

  it(
    'when the trader has not consented, ' + 'then the form comes back with the consent message and nothing is saved',
    async () => {
      const { agent, csrf, db } = await volunteerAtSite();
      const response = await onboard(agent, csrf, { ...STALL, ...BIDV_ACCOUNT, consent: '' }).expect(400);
      expect(response.text).toMatch(/id="f-consent-error"[^>]*>Chưa có đồng ý của tiểu thương/);
      expect(response.text).toContain('value="Tạp hóa Kim Dung"');
      expect(count(db, 'stalls')).toBe(0);
      expect(count(db, 'stall_accounts')).toBe(0);
    },
  );

  it(
    'when there is no consent and only the label and goods are given, ' +
      'then the stall is saved with no personal data',
    async () => {
      const { agent, csrf, db } = await volunteerAtSite();
      await onboard(agent, csrf, { label: 'Sạp 40', goods_category: 'rau_cu', consent: '' }).expect(303);
      expect(
        db.prepare('SELECT label, owner_name, phone, business_name, status, consent_at FROM stalls').get(),
      ).toEqual({
        label: 'Sạp 40',
        owner_name: '',
        phone: null,
        business_name: '',
        status: 'surveyed',
        consent_at: null,
      });
    },
  );

  it('when the bank is not in the directory, then "Ngân hàng…" is shown next to the bank field', async () => {
    const { agent, csrf, db } = await volunteerAtSite();
    const response = await onboard(agent, csrf, { ...STALL, ...BIDV_ACCOUNT, bank_bin: '999999' }).expect(400);
    expect(response.text).toMatch(/id="f-bank_bin-error"[^>]*>Ngân hàng này không có trong danh mục VietQR\./);
    expect(count(db, 'stalls')).toBe(0);
  });

  it('when the account has letters for a bank, then the message says bank accounts are digits', async () => {
    const { agent, csrf, db } = await volunteerAtSite();
    const response = await onboard(agent, csrf, { ...STALL, ...BIDV_ACCOUNT, account_number: '1201ABC0123' }).expect(
      400,
    );
    expect(response.text).toMatch(/id="f-account_number-error"[^>]*>Số tài khoản ngân hàng chỉ gồm chữ số/);
    expect(response.text).toContain('value="1201ABC0123"');
    expect(count(db, 'stalls')).toBe(0);
  });

  it('when the trader’s QR text is pasted, then bank and account come from the code', async () => {
    const { agent, csrf, db } = await volunteerAtSite();
    const payload = encode({ bin: '970436', account: '0011001234567' });
    await onboard(agent, csrf, { ...STALL, qr_text: payload, holder_name: 'NGUYEN THI KIM DUNG' }).expect(303);
    expect(db.prepare('SELECT bin, account_number, source FROM stall_accounts').get()).toEqual({
      bin: '970436',
      account_number: '0011001234567',
      source: 'pasted',
    });
  });

  it(
    'when a VNPAY-QR merchant code is pasted, ' + 'then it says in words that it is not a VietQR transfer code',
    async () => {
      const { agent, csrf, db } = await volunteerAtSite();
      const response = await onboard(agent, csrf, {
        ...STALL,
        qr_text: VNPAY_QR,
        holder_name: 'NGUYEN THI KIM DUNG',
      }).expect(400);
      expect(response.text).toMatch(
        /id="f-qr_text-error"[^>]*>Đây là mã QR thanh toán của hệ thống khác \(VNPAY-QR\), không phải mã VietQR chuyển khoản/,
      );
      expect(count(db, 'stalls')).toBe(0);
    },
  );

  it('when a MoMo link is pasted, then the form is back (400) saying so, and nothing is saved', async () => {
    const { agent, csrf, db } = await volunteerAtSite();
    const response = await onboard(agent, csrf, {
      ...STALL,
      qr_text: 'https://me.momo.vn/qr3Xy7pTbD',
      holder_name: 'NGUYEN THI KIM DUNG',
    }).expect(400);
    expect(response.text).toMatch(/id="f-qr_text-error"[^>]*>Đây là liên kết MoMo, không phải mã VietQR chuyển khoản/);
    expect(response.text).not.toContain('CRC');
    expect(count(db, 'stalls')).toBe(0);
    expect(count(db, 'stall_accounts')).toBe(0);
  });

  it('when a link carrying the trader’s VietQR is pasted, then the code inside is used', async () => {
    const { agent, csrf, db } = await volunteerAtSite();
    const payload = encode({ bin: '970436', account: '0011001234567' });
    const link = `https://example.vn/pay?qr=${encodeURIComponent(payload)}`;
    await onboard(agent, csrf, { ...STALL, qr_text: link, holder_name: 'NGUYEN THI KIM DUNG' }).expect(303);
    expect(db.prepare('SELECT bin, account_number, source FROM stall_accounts').get()).toEqual({
      bin: '970436',
      account_number: '0011001234567',
      source: 'pasted',
    });
  });

  it('when the pasted code ends in a BOM, an NBSP and a newline, then it is read as the CLI reads it', async () => {
    const { agent, csrf, db } = await volunteerAtSite();
    const payload = encode({ bin: '970436', account: '0011001234567' });
    await onboard(agent, csrf, {
      ...STALL,
      qr_text: `\uFEFF${payload}\u00A0\u200B\r\n`,
      holder_name: 'NGUYEN THI KIM DUNG',
    }).expect(303);
    expect(count(db, 'stall_accounts')).toBe(1);
  });

  it('when the pasted code adds a fixed fee (55 = 02), then it is refused for a sticker, nothing saved', async () => {
    const { agent, csrf, db } = await volunteerAtSite();
    const response = await onboard(agent, csrf, {
      ...STALL,
      qr_text: FEE_QR,
      holder_name: 'NGUYEN THI KIM DUNG',
    }).expect(400);
    expect(response.text).toMatch(/id="f-qr_text-error"[^>]*>Mã này có kèm tiền tip hoặc phí/);
    expect(count(db, 'stalls')).toBe(0);
  });

  it('when a photo of the trader’s QR is uploaded, then it is decoded on the server', async () => {
    const { agent, csrf, db } = await volunteerAtSite();
    const payload = encode({ bin: '970405', account: '5102205123456' });
    await agent
      .post('/onboard/sites/1')
      .field({ ...STALL, holder_name: 'Nguyễn Thị Kim Dung', consent: 'yes', idempotency_key: newKey(), _csrf: csrf })
      .attach('qr_photo', qrPhoto(payload, 'jpeg'), { filename: 'qr.jpg', contentType: 'image/jpeg' })
      .expect(303);
    expect(db.prepare('SELECT bin, account_number, source FROM stall_accounts').get()).toEqual({
      bin: '970405',
      account_number: '5102205123456',
      source: 'photo',
    });
  });

  it(
    'when the photo has no QR, ' + 'then the message is next to the photo field and the typed values are kept',
    async () => {
      const { agent, csrf, db } = await volunteerAtSite();
      const blank = toPng(
        onBackground(
          renderMatrix({ size: 1, modules: new Uint8Array([0]), version: 1 } as never, 4),
          400,
          300,
          10,
          10,
          3,
        ),
      );
      const response = await agent
        .post('/onboard/sites/1')
        .field({ ...STALL, holder_name: 'Nguyễn Thị Kim Dung', consent: 'yes', idempotency_key: newKey(), _csrf: csrf })
        .attach('qr_photo', blank, { filename: 'blank.png', contentType: 'image/png' })
        .expect(400);
      expect(response.text).toMatch(/id="f-qr_photo-error"[^>]*>Không tìm thấy mã QR trong ảnh/);
      expect(response.text).toContain('value="Nguyễn Thị Kim Dung"');
      expect(count(db, 'stalls')).toBe(0);
    },
  );

  it('when the photo is over 12 MB, then the form is back (413), message at the photo', async () => {
    const { agent, csrf, db } = await volunteerAtSite();
    const response = await agent
      .post('/onboard/sites/1')
      .field({ ...STALL, holder_name: 'Nguyễn Thị Kim Dung', consent: 'yes', idempotency_key: newKey(), _csrf: csrf })
      .attach('qr_photo', Buffer.alloc(13 * 1024 * 1024, 1), { filename: 'big.jpg', contentType: 'image/jpeg' })
      .expect(413);
    expect(response.text).toMatch(/id="f-qr_photo-error"[^>]*>Ảnh lớn hơn 12 MB/);
    expect(response.text).toContain('value="Nguyễn Thị Kim Dung"');
    expect(count(db, 'stalls')).toBe(0);
  });

  it('when a text field of the photo form is over 16 KB, then the form is back (413), message at it', async () => {
    const { agent, csrf, db } = await volunteerAtSite();
    const response = await agent
      .post('/onboard/sites/1')
      .field({ ...STALL, holder_name: 'Nguyễn Thị Kim Dung', idempotency_key: newKey(), _csrf: csrf })
      .field('business_name', 'x'.repeat(20_000))
      .expect(413);
    expect(response.text).toMatch(/id="f-business_name-error"[^>]*>Nội dung quá dài \(hơn 16 KB\)/);
    expect(response.text).toContain('value="Nguyễn Thị Kim Dung"');
    expect(count(db, 'stalls')).toBe(0);
  });

  it('when a second file is sent in another field, then the form is back (400) saying so, nothing saved', async () => {
    const { agent, csrf, db } = await volunteerAtSite();
    const response = await agent
      .post('/onboard/sites/1')
      .field({ ...STALL, holder_name: 'Nguyễn Thị Kim Dung', idempotency_key: newKey(), _csrf: csrf })
      .attach('other_file', Buffer.from('x'), 'x.txt')
      .expect(400);
    expect(response.text).toContain('Chưa lưu: biểu mẫu chỉ nhận một ảnh, ở ô chụp ảnh mã QR.');
    expect(response.text).toContain('value="Nguyễn Thị Kim Dung"');
    expect(count(db, 'stalls')).toBe(0);
  });

  it('when the photo claims 30000 × 30000 pixels, then the form is back (422) saying it is too large', async () => {
    const { agent, csrf, db } = await volunteerAtSite();
    const response = await agent
      .post('/onboard/sites/1')
      .field({ ...STALL, holder_name: 'Nguyễn Thị Kim Dung', consent: 'yes', idempotency_key: newKey(), _csrf: csrf })
      .attach('qr_photo', pngHeaderClaiming(30_000, 30_000), { filename: 'bomb.png', contentType: 'image/png' })
      .expect(422);
    expect(response.text).toMatch(
      /id="f-qr_photo-error"[^>]*>Ảnh quá lớn \(30000 × 30000 điểm ảnh, tối đa 20 megapixel\)/,
    );
    expect(response.text).toContain('value="Nguyễn Thị Kim Dung"');
    expect(count(db, 'stalls')).toBe(0);
  });

  it(
    'when the same account is on another stall, ' + 'then it warns naming that stall and saves only once confirmed',
    async () => {
      const { agent, csrf, db } = await volunteerAtSite();
      await onboard(agent, csrf, { ...STALL, ...BIDV_ACCOUNT }).expect(303);
      const fields = { ...STALL, label: 'Sạp 99', phone: '0912000111', ...BIDV_ACCOUNT, idempotency_key: newKey() };
      const warned = await onboard(agent, csrf, fields).expect(400);
      expect(warned.text).toContain('đã đăng ký cho sạp &#34;Sạp 12&#34; (Tạp hóa Kim Dung) ở Chợ Hoa Lư');
      expect(warned.text).toContain('name="confirm_duplicate_account"');
      expect(count(db, 'stalls')).toBe(1);
      await onboard(agent, csrf, { ...fields, confirm_duplicate_account: 'yes' }).expect(303);
      expect(count(db, 'stalls')).toBe(2);
    },
  );

  it('when the same phone is on another stall, then it warns and asks for a confirmation', async () => {
    const { agent, csrf, db } = await volunteerAtSite();
    await onboard(agent, csrf, STALL).expect(303);
    const warned = await onboard(agent, csrf, { ...STALL, label: 'Sạp 50' }).expect(400);
    expect(warned.text).toMatch(/id="f-phone-error"[^>]*>Số điện thoại này đã đăng ký cho sạp/);
    expect(count(db, 'stalls')).toBe(1);
  });

  it('when the label already exists on the site, then it offers to open that stall instead', async () => {
    const { agent, csrf } = await volunteerAtSite();
    await onboard(agent, csrf, STALL).expect(303);
    const warned = await onboard(agent, csrf, { ...STALL, phone: '' }).expect(400);
    expect(warned.text).toContain('href="/stalls/1">Mở sạp đã có</a>');
  });
});

describe('name check and installation', () => {
  async function onboarded() {
    const context = await volunteerAtSite();
    await onboard(context.agent, context.csrf, { ...STALL, ...BIDV_ACCOUNT }).expect(303);
    return context;
  }

  it(
    'when the name the bank app showed matches, ' + 'then the account is verified with who, when and the name seen',
    async () => {
      const { agent, csrf, db, userId } = await onboarded();
      await agent
        .post('/stalls/1/accounts/1/name-check')
        .type('form')
        .send({ name_seen: 'nguyen thi kim dung', _csrf: csrf })
        .expect(303);
      expect(db.prepare('SELECT verified_at, verified_by, verified_name_seen FROM stall_accounts').get()).toEqual({
        verified_at: '2026-11-22T03:00:00.000Z',
        verified_by: userId,
        verified_name_seen: 'NGUYEN THI KIM DUNG',
      });
      expect(db.prepare('SELECT status FROM stalls').get()).toEqual({ status: 'qr_verified' });
      const page = await agent.get('/stalls/1').expect(200);
      expect(page.text).toContain('In mã QR');
      expect(page.text).toContain('Đã dán mã tại quầy');
    },
  );

  it('when the name does not match, then the mismatch is shown and nothing is verified', async () => {
    const { agent, csrf, db } = await onboarded();
    const response = await agent
      .post('/stalls/1/accounts/1/name-check')
      .type('form')
      .send({ name_seen: 'TRAN VAN BAY', _csrf: csrf })
      .expect(400);
    expect(response.text).toContain(
      'Không khớp: ứng dụng hiển thị &#34;TRAN VAN BAY&#34;, ' +
        'còn tên chủ tài khoản đã lưu là &#34;NGUYEN THI KIM DUNG&#34;',
    );
    expect(db.prepare('SELECT verified_at FROM stall_accounts').get()).toEqual({ verified_at: null });
    expect(db.prepare('SELECT status FROM stalls').get()).toEqual({ status: 'has_account' });
  });

  it('when installed before the name check, then it is refused', async () => {
    const { agent, csrf, db } = await onboarded();
    await agent.post('/stalls/1/installed').type('form').send({ _csrf: csrf }).expect(400);
    expect(db.prepare('SELECT status FROM stalls').get()).toEqual({ status: 'has_account' });
  });

  it('from site to installed: coverage counts the stall and every step is a visit', async () => {
    const { agent, csrf, db } = await onboarded();
    await agent
      .post('/stalls/1/accounts/1/name-check')
      .type('form')
      .send({ name_seen: 'NGUYEN THI KIM DUNG', _csrf: csrf })
      .expect(303);
    await agent.post('/stalls/1/installed').type('form').send({ _csrf: csrf }).expect(303);
    expect(db.prepare('SELECT status FROM stalls').get()).toEqual({ status: 'installed' });
    expect(
      db
        .prepare('SELECT action FROM visits ORDER BY id')
        .all()
        .map((v) => (v as { action: string }).action),
    ).toEqual(['onboarded', 'account_added', 'name_checked', 'installed']);
    const site = await agent.get('/sites/1').expect(200);
    expect(site.text).toContain('1/1 (100 %)');
  });
});

describe('accounts and other outcomes', () => {
  async function installed() {
    const context = await volunteerAtSite();
    await onboard(context.agent, context.csrf, { ...STALL, ...BIDV_ACCOUNT }).expect(303);
    await context.agent
      .post('/stalls/1/accounts/1/name-check')
      .type('form')
      .send({ name_seen: 'NGUYEN THI KIM DUNG', _csrf: context.csrf })
      .expect(303);
    await context.agent.post('/stalls/1/installed').type('form').send({ _csrf: context.csrf }).expect(303);
    return context;
  }

  it('a second account can be added, made primary, and the stall page shows accounts masked', async () => {
    const context = await installed();
    const { agent, csrf, db } = context;
    const added = await agent
      .post('/stalls/1/accounts')
      .type('form')
      .send({ bank_bin: '970405', account_number: '5102205999888', holder_name: 'NGUYEN THI KIM DUNG', _csrf: csrf })
      .expect(303);
    expect(added.headers.location).toBe('/stalls/1/name-check?account=2');
    const page = await agent.get('/stalls/1').expect(200);
    expect(page.text).toContain('•••• 3456');
    expect(page.text).toContain('•••• 9888');
    expect(page.text).not.toContain('12010000123456');
    // The stall is installed: making the new account primary is a request until a second person approves it.
    await agent
      .post('/stalls/1/accounts/2/primary')
      .type('form')
      .send({ _csrf: csrf, change_reason: 'Chủ sạp đổi sang tài khoản VietinBank' })
      .expect(303);
    expect(db.prepare('SELECT status FROM stalls').get()).toEqual({ status: 'installed' });
    await approveAsLead(context, 1);
    expect(db.prepare('SELECT id, is_primary FROM stall_accounts ORDER BY id').all()).toEqual([
      { id: 1, is_primary: 0 },
      { id: 2, is_primary: 1 },
    ]);
    // The sticker on the counter shows the old primary: the stall leaves coverage until the new one is up.
    expect(db.prepare('SELECT status FROM stalls').get()).toEqual({ status: 'has_account' });
  });

  it(
    'retiring the primary account keeps it and its verification in history ' + 'and takes the stall out of coverage',
    async () => {
      const context = await installed();
      const { agent, csrf, db } = context;
      await agent
        .post('/stalls/1/accounts/1/retire')
        .type('form')
        .send({ _csrf: csrf, reason: 'new_account', confirm: 'yes', change_reason: 'Tài khoản bị khóa' })
        .expect(303);
      await approveAsLead(context, 1);
      expect(
        db
          .prepare(
            'SELECT is_primary, retired_at IS NOT NULL AS retired, verified_at IS NOT NULL AS verified ' +
              'FROM stall_accounts',
          )
          .get(),
      ).toEqual({ is_primary: 0, retired: 1, verified: 1 });
      expect(db.prepare('SELECT status FROM stalls').get()).toEqual({ status: 'surveyed' });
    },
  );

  it(
    'when the form is sent with "Tiểu thương từ chối" and a reason, then the stall is saved as refused ' +
      'with its visit and the stall page says so',
    async () => {
      const { agent, csrf, db } = await volunteerAtSite();
      const saved = await onboard(agent, csrf, {
        label: 'Sạp 41',
        goods_category: 'rau_cu',
        consent: '',
        refused: 'yes',
        refusal_reason: 'prefers_cash',
      }).expect(303);
      expect(saved.headers.location).toBe('/stalls/1?new=1&saved=refused');
      expect(db.prepare('SELECT label, status, refusal_reason, owner_name FROM stalls').get()).toEqual({
        label: 'Sạp 41',
        status: 'refused',
        refusal_reason: 'prefers_cash',
        owner_name: '',
      });
      expect(db.prepare('SELECT action FROM visits ORDER BY id').all()).toEqual([
        { action: 'onboarded' },
        { action: 'refused' },
      ]);
      const page = await agent.get(saved.headers.location!).expect(200);
      expect(page.text).toContain('Đã lưu Sạp 41: tiểu thương từ chối (Thích dùng tiền mặt)');
    },
  );

  it(
    'when a refusal has no reason, comes with an account, or has a reason without the box, then the form ' +
      'is back with the message ' +
      'next to the field and nothing is saved',
    async () => {
      const { agent, csrf, db } = await volunteerAtSite();
      const noReason = await onboard(agent, csrf, { ...STALL, refused: 'yes', refusal_reason: '' }).expect(400);
      expect(noReason.text).toMatch(/id="f-refusal_reason-error"[^>]*>Chọn lý do từ chối/);
      expect(noReason.text).toMatch(/<details class="card stack" open>\s*<summary>Tiểu thương từ chối tham gia\?/);
      const withAccount = await onboard(agent, csrf, {
        ...STALL,
        ...BIDV_ACCOUNT,
        refused: 'yes',
        refusal_reason: 'fears_fraud',
      }).expect(400);
      expect(withAccount.text).toMatch(/id="f-refused-error"[^>]*>Tiểu thương từ chối thì không ghi tài khoản/);
      const notTicked = await onboard(agent, csrf, { ...STALL, refusal_reason: 'fears_fraud' }).expect(400);
      expect(notTicked.text).toMatch(/id="f-refused-error"[^>]*>Đã ghi lý do từ chối nhưng chưa đánh dấu/);
      expect(count(db, 'stalls')).toBe(0);
      expect(count(db, 'visits')).toBe(0);
    },
  );

  it('a refusal with its reason is recorded as a visit', async () => {
    const { agent, csrf, db } = await volunteerAtSite();
    await onboard(agent, csrf, STALL).expect(303);
    await agent
      .post('/stalls/1/status')
      .type('form')
      .send({ status: 'refused', refusal_reason: 'fears_fraud', _csrf: csrf })
      .expect(303);
    expect(db.prepare("SELECT action FROM visits WHERE action = 'refused'").all()).toHaveLength(1);
    expect(db.prepare('SELECT refusal_reason FROM stalls').get()).toEqual({ refusal_reason: 'fears_fraud' });
  });

  it(
    'a follow-up records the sticker check and the transfer share; ' +
      'a replaced sticker takes the stall out of coverage',
    async () => {
      const { agent, csrf, db } = await installed();
      await agent
        .post('/stalls/1/follow-up')
        .type('form')
        .send({ sticker_displayed: 'yes', transfer_share: '70', _csrf: csrf })
        .expect(303);
      expect(db.prepare('SELECT status FROM stalls').get()).toEqual({ status: 'installed' });
      const replaced = await agent
        .post('/stalls/1/follow-up')
        .type('form')
        .send({ sticker_displayed: 'replaced', note: 'Mã lạ dán đè', _csrf: csrf })
        .expect(303);
      expect(replaced.headers.location).toBe('/stalls/1?followup=replaced');
      expect(
        db.prepare("SELECT sticker_displayed, transfer_share FROM visits WHERE action = 'follow_up' ORDER BY id").all(),
      ).toEqual([
        { sticker_displayed: 'yes', transfer_share: 70 },
        { sticker_displayed: 'replaced', transfer_share: null },
      ]);
      expect(db.prepare('SELECT status FROM stalls').get()).toEqual({ status: 'qr_verified' });
      const page = await agent.get('/stalls/1?followup=replaced').expect(200);
      expect(page.text).toContain('có thể là lừa đảo');
    },
  );

  it('a follow-up with a share over 100 % is refused next to the field', async () => {
    const { agent, csrf, db } = await installed();
    const response = await agent
      .post('/stalls/1/follow-up')
      .type('form')
      .send({ sticker_displayed: 'yes', transfer_share: '140', _csrf: csrf })
      .expect(400);
    expect(response.text).toMatch(
      /id="f-transfer_share-error"[^>]*>Tỷ lệ khách chuyển khoản là số nguyên từ 0 đến 100/,
    );
    expect(db.prepare("SELECT count(*) AS n FROM visits WHERE action = 'follow_up'").get()).toEqual({ n: 0 });
  });
});

describe('POST /api/v1/vietqr/decode', () => {
  it('reads pasted text and photos for the live preview', async () => {
    const { agent, csrf } = await volunteerAtSite();
    const payload = encode({ bin: '970418', account: '12010000123456' });
    const text = await agent
      .post('/api/v1/vietqr/decode')
      .set('X-CSRF-Token', csrf)
      .send({ text: payload })
      .expect(200);
    expect(text.body).toMatchObject({
      valid: true,
      fields: { bin: '970418', account: '12010000123456', bank: { shortName: 'BIDV' } },
    });
    const photo = await agent
      .post('/api/v1/vietqr/decode')
      .field('_csrf', csrf)
      .attach('qr_photo', qrPhoto(payload, 'png'), 'qr.png')
      .expect(200);
    expect(photo.body).toMatchObject({ valid: true, payload });
    const bomb = await agent
      .post('/api/v1/vietqr/decode')
      .field('_csrf', csrf)
      .attach('qr_photo', pngHeaderClaiming(30_000, 30_000), 'bomb.png')
      .expect(422);
    expect(bomb.body).toMatchObject({ valid: false, problems: [{ code: 'TOO_LARGE' }] });
    expect(bomb.body.problems[0].message).toMatch(/^Ảnh quá lớn \(30000 × 30000 điểm ảnh/);
    const vnpay = await agent
      .post('/api/v1/vietqr/decode')
      .set('X-CSRF-Token', csrf)
      .send({ text: VNPAY_QR })
      .expect(200);
    expect(vnpay.body).toMatchObject({ valid: false, verdict: 'not_vietqr' });
  });

  it('when the live preview gets a MoMo link or a link with a code, then it answers in the form’s words', async () => {
    const { agent, csrf } = await volunteerAtSite();
    const momo = await agent
      .post('/api/v1/vietqr/decode')
      .set('X-CSRF-Token', csrf)
      .send({ text: ' https://me.momo.vn/qr3Xy7pTbD\n' })
      .expect(200);
    expect(momo.body).toMatchObject({
      valid: false,
      verdict: 'not_vietqr',
      problems: [{ code: 'NOT_EMV', lookslike: 'momo' }],
    });
    expect(momo.body.message).toMatch(/^Đây là liên kết MoMo, không phải mã VietQR chuyển khoản/);
    const payload = encode({ bin: '970418', account: '12010000123456' });
    const link = await agent
      .post('/api/v1/vietqr/decode')
      .set('X-CSRF-Token', csrf)
      .send({ text: `https://example.vn/pay?qr=${encodeURIComponent(payload)}` })
      .expect(200);
    expect(link.body).toMatchObject({
      valid: true,
      extractedFrom: 'url',
      extractedPayload: payload,
      message: 'Đã lấy mã VietQR từ trong liên kết.',
      fields: { bin: '970418', account: '12010000123456' },
    });
  });
});

describe('the form drawn again after a failed submit', () => {
  const frequentBanks = (html: string) =>
    [
      ...(/<optgroup label="Hay dùng ở địa điểm này">([\s\S]*?)<\/optgroup>/.exec(html)?.[1] ?? '').matchAll(
        /<option value="(\d{6})"/g,
      ),
    ].map((m) => m[1]);

  it('when refused, then the form is back with the site’s most used banks first and what was typed', async () => {
    const { agent, csrf, db } = await volunteerAtSite();
    await onboard(agent, csrf, { ...STALL, ...BIDV_ACCOUNT }).expect(303);
    await onboard(agent, csrf, {
      ...STALL,
      label: 'Sạp 13',
      phone: '0905123457',
      bank_bin: '970436',
      account_number: '0071000123456',
      holder_name: 'Nguyễn Thị Kim Dung',
    }).expect(303);
    await onboard(agent, csrf, {
      ...STALL,
      label: 'Sạp 14',
      phone: '0905123458',
      ...BIDV_ACCOUNT,
      account_number: '12010000999999',
    }).expect(303);
    expect(frequentBanks((await agent.get('/onboard/sites/1').expect(200)).text)).toEqual(['970418', '970436']);
    // The same label again, not confirmed: refused, and the form is drawn as GET drew it, with what was typed.
    const refused = await onboard(agent, csrf, { ...STALL, phone: '', label: 'SAP 12' }).expect(400);
    expect(refused.text).toContain('Địa điểm này đã có &#34;Sạp 12&#34;');
    expect(frequentBanks(refused.text)).toEqual(['970418', '970436']);
    expect(refused.text).toContain('value="SAP 12"');
    expect(refused.text).toContain('Thêm sạp · Chợ Hoa Lư');
    expect(db.prepare('SELECT count(*) FROM stalls').pluck().get()).toBe(3);
  });
});
