import type TestAgent from 'supertest/lib/agent.js';
import { describe, expect, it } from 'vitest';
import { createTestContext } from '../helpers/app.js';
import { contextWithSite } from '../helpers/site-fixture.js';

/**
 * Text typed into the forms goes through the one input normaliser: what a reader cannot see, what the sticker
 * font cannot print and what is too long is refused next to its field, with the typed value kept and nothing
 * saved; duplicate labels are compared folded.
 */

const SITE = { kind: 'market', name: 'Chợ Hoa Lư', commune_code: '23575', target_percent: '70' };
const STALL = {
  label: 'Sạp 12',
  business_name: 'Tạp hóa Kim Dung',
  owner_name: 'Nguyễn Thị Kim Dung',
  phone: '',
  goods_category: 'tap_hoa',
  consent: 'yes',
};

type Db = ReturnType<typeof createTestContext>['db'];

/** One bad value of each kind, with the words of its message (the field's name is filled in). */
function badValues(fieldName: string, max: number, where = 'trên tem') {
  return [
    ['an ESC control character', '\u001b[31mSạp 12', 'Có ký tự điều khiển không nhìn thấy (U+001B) — hãy gõ lại.'],
    ['a NUL', 'Sạp\u000012', 'Có ký tự điều khiển không nhìn thấy (U+0000) — hãy gõ lại.'],
    ['a bidi override', '\u202eSạp 12', 'Có ký tự đảo chiều chữ không nhìn thấy (U+202E) — hãy gõ lại.'],
    [
      'only zero-width spaces',
      '\u200b\u200b\u200b',
      `${fieldName} chỉ có ký tự không nhìn thấy (U+200B) — hãy gõ lại.`,
    ],
    ['a zero-width space inside', 'Sạp\u200b12', 'Có ký tự không nhìn thấy (U+200B) giữa các chữ — hãy gõ lại.'],
    ['an emoji', 'Sạp 😀 12', `Không in được ký tự “😀” ${where} — hãy bỏ ký tự này.`],
    [
      'an over-long value',
      'ạ'.repeat(max + 17),
      `${fieldName} dài quá ${max} ký tự (đang có ${max + 17}) — hãy viết ngắn lại.`,
    ],
  ] as const;
}

/** The field's error paragraph holds `message`, and the field is drawn again holding what was typed. */
function expectRefusedNextTo(html: string, field: string, message: string, typed: string) {
  const error = new RegExp(`id="f-${field}-error"[^>]*>([^<]*)<`).exec(html);
  expect(error?.[1]).toBe(message);
  expect(html).toContain(`value="${typed}"`);
}

function rows(db: Db, sql: string): unknown[] {
  return db.prepare(sql).all();
}

async function withSite() {
  const { context, lead } = await contextWithSite(SITE);
  return { ...context, ...lead };
}

let keySeq = 0;
const newKey = () => `text-key-${String(++keySeq).padStart(12, '0')}`;

function onboard(agent: TestAgent, csrf: string, fields: Record<string, string>) {
  return agent
    .post('/onboard/sites/1')
    .type('form')
    .send({ ...STALL, idempotency_key: newKey(), ...fields, _csrf: csrf });
}

describe('POST /onboard/sites/:id (the onboarding form)', () => {
  it.each(badValues('Số sạp', 40))(
    'when the label has %s, then 400 with the message next to the label, the value kept, nothing saved',
    async (_case, label, message) => {
      const { agent, csrf, db } = await withSite();
      const response = await onboard(agent, csrf, { label }).expect(400);
      expectRefusedNextTo(response.text, 'label', message, label);
      expect(rows(db, 'SELECT id FROM stalls')).toEqual([]);
      expect(rows(db, 'SELECT id FROM stall_status_history')).toEqual([]);
    },
  );

  it.each(badValues('Tên cơ sở', 120))(
    'when the business name has %s, then 400 with the message next to it, the value kept, nothing saved',
    async (_case, businessName, message) => {
      const { agent, csrf, db } = await withSite();
      const response = await onboard(agent, csrf, { business_name: businessName }).expect(400);
      expectRefusedNextTo(response.text, 'business_name', message, businessName);
      expect(rows(db, 'SELECT id FROM stalls')).toEqual([]);
    },
  );

  it('when the owner name (not printed) has an emoji, then it is kept as typed', async () => {
    const { agent, csrf, db } = await withSite();
    await onboard(agent, csrf, { owner_name: 'Cô Ba 🐟' }).expect(303);
    expect(rows(db, 'SELECT owner_name FROM stalls')).toEqual([{ owner_name: 'Cô Ba 🐟' }]);
  });

  it('when the label has a NBSP and a BOM at its ends and NFD letters, then it is saved trimmed in NFC', async () => {
    const { agent, csrf, db } = await withSite();
    await onboard(agent, csrf, { label: '\ufeff\u00a0Sa\u0323p  12\u200b ' }).expect(303);
    expect(rows(db, 'SELECT label FROM stalls')).toEqual([{ label: 'Sạp 12' }]);
  });

  it('when the holder name has an emoji, then 400 next to the holder name and nothing is saved', async () => {
    const { agent, csrf, db } = await withSite();
    const response = await onboard(agent, csrf, {
      bank_bin: '970418',
      account_number: '12010000123456',
      holder_name: 'Nguyễn Thị 😀',
    }).expect(400);
    expectRefusedNextTo(
      response.text,
      'holder_name',
      'Không in được ký tự “😀” trên tem — hãy bỏ ký tự này.',
      'Nguyễn Thị 😀',
    );
    expect(rows(db, 'SELECT id FROM stalls')).toEqual([]);
    expect(rows(db, 'SELECT id FROM stall_accounts')).toEqual([]);
  });
});

describe('duplicate labels compare folded forms', () => {
  it.each(['SAP DUP 5', 'sạp dup 5', 'Sạp  Dup 5', 'Sa\u0323p dup 5'])(
    'when "SẠP DUP 5" exists and %j is added, then it warns naming the other stall and saves only once confirmed',
    async (label) => {
      const { agent, csrf, db } = await withSite();
      await onboard(agent, csrf, { label: 'SẠP DUP 5' }).expect(303);
      const warned = await onboard(agent, csrf, { label, business_name: 'Rau cô Lan' }).expect(400);
      expect(warned.text).toContain('Địa điểm này đã có &#34;SẠP DUP 5&#34; (Tạp hóa Kim Dung)');
      expect(warned.text).toContain('name="confirm_duplicate_label"');
      expect(rows(db, 'SELECT label FROM stalls')).toEqual([{ label: 'SẠP DUP 5' }]);
      await onboard(agent, csrf, { label, business_name: 'Rau cô Lan', confirm_duplicate_label: 'yes' }).expect(303);
      expect(rows(db, 'SELECT count(*) AS n FROM stalls')).toEqual([{ n: 2 }]);
    },
  );

  it('when an older label holds a zero-width space, then the label typed cleanly is a duplicate', async () => {
    const { agent, csrf, db } = await withSite();
    await onboard(agent, csrf, { label: 'Sạp 7' }).expect(303);
    // Saved before the normaliser refused zero-width characters; its folded key as migration 0026 filled it.
    db.prepare("UPDATE stalls SET label = 'SẠP DUP\u200b 5', label_folded = fold('SẠP DUP\u200b 5')").run();
    const warned = await onboard(agent, csrf, { label: 'SAP DUP 5' }).expect(400);
    expect(warned.text).toContain('Địa điểm này đã có &#34;SẠP DUP\u200b 5&#34;');
    expect(rows(db, 'SELECT count(*) AS n FROM stalls')).toEqual([{ n: 1 }]);
  });

  it('when a stall is edited keeping its own label in another case, then it is not its own duplicate', async () => {
    const { agent, csrf, db } = await withSite();
    await onboard(agent, csrf, { label: 'SẠP DUP 5' }).expect(303);
    await agent
      .post('/stalls/1')
      .type('form')
      .send({ ...STALL, label: 'Sạp dup 5', _csrf: csrf })
      .expect(303);
    expect(rows(db, 'SELECT label FROM stalls')).toEqual([{ label: 'Sạp dup 5' }]);
  });
});

describe('POST /stalls/:id (edit)', () => {
  it.each(badValues('Số sạp', 40))(
    'when the new label has %s, then 400 next to the label, the value kept, the stall unchanged',
    async (_case, label, message) => {
      const { agent, csrf, db } = await withSite();
      await onboard(agent, csrf, {}).expect(303);
      const before = rows(db, 'SELECT * FROM stalls');
      const response = await agent
        .post('/stalls/1')
        .type('form')
        .send({ ...STALL, label, _csrf: csrf })
        .expect(400);
      expectRefusedNextTo(response.text, 'label', message, label);
      expect(rows(db, 'SELECT * FROM stalls')).toEqual(before);
      expect(rows(db, "SELECT id FROM audit_log WHERE action = 'stall.update'")).toEqual([]);
    },
  );

  it('when a business name over the limit was stored before, then the stall page shows it whole', async () => {
    const { agent, csrf, db } = await withSite();
    await onboard(agent, csrf, {}).expect(303);
    // A limit applies at entry: what was saved before a limit was lowered still shows whole.
    db.prepare('UPDATE stalls SET business_name = ? WHERE id = 1').run(`Tạp hóa ${'Kim Dung '.repeat(14)}`.trim());
    const page = await agent.get('/stalls/1').expect(200);
    expect(page.text).toContain(`Tạp hóa ${'Kim Dung '.repeat(14)}`.trim());
  });
});

describe('POST /sites and POST /sites/:id', () => {
  it.each(badValues('Tên địa điểm', 120))(
    'when a new site name has %s, then 400 next to the name, the value kept, no site saved',
    async (_case, name, message) => {
      const context = createTestContext();
      const { agent, csrf } = await context.loginAs('team_lead');
      const response = await agent
        .post('/sites')
        .type('form')
        .send({ ...SITE, name, _csrf: csrf })
        .expect(400);
      expectRefusedNextTo(response.text, 'name', message, name);
      expect(rows(context.db, 'SELECT id FROM sites')).toEqual([]);
    },
  );

  it.each(badValues('Tên địa điểm', 120))(
    'when an edited site name has %s, then 400 next to the name, the value kept, the site unchanged',
    async (_case, name, message) => {
      const { agent, csrf, db } = await withSite();
      const before = rows(db, 'SELECT * FROM sites');
      const response = await agent
        .post('/sites/1')
        .type('form')
        .send({ ...SITE, name, _csrf: csrf })
        .expect(400);
      expectRefusedNextTo(response.text, 'name', message, name);
      expect(rows(db, 'SELECT * FROM sites')).toEqual(before);
    },
  );

  it('when the site note (a textarea) has line breaks, then they are kept', async () => {
    const { agent, csrf, db } = await withSite();
    await agent
      .post('/sites/1')
      .type('form')
      .send({ ...SITE, note: 'Họp chợ sáng.\r\nTổ trưởng: cô Lan.', _csrf: csrf })
      .expect(303);
    expect(rows(db, 'SELECT note FROM sites')).toEqual([{ note: 'Họp chợ sáng.\nTổ trưởng: cô Lan.' }]);
  });

  it('when the site address (not printed) has an emoji, then it is kept', async () => {
    const { agent, csrf, db } = await withSite();
    await agent
      .post('/sites/1')
      .type('form')
      .send({ ...SITE, address: 'Cổng chính 🚪', _csrf: csrf })
      .expect(303);
    expect(rows(db, 'SELECT address FROM sites')).toEqual([{ address: 'Cổng chính 🚪' }]);
  });
});

describe('POST /campaigns', () => {
  it.each(badValues('Tên đợt', 120, 'trên báo cáo PDF'))(
    'when the campaign name has %s, then 400 next to the name, the value kept, no campaign saved',
    async (_case, name, message) => {
      const { agent, csrf, db } = await withSite();
      const response = await agent
        .post('/campaigns')
        .type('form')
        .send({
          name,
          target_percent: '80',
          starts_on: '2026-12-01',
          deadline: '2027-04-30',
          site_ids: '1',
          _csrf: csrf,
        })
        .expect(400);
      expectRefusedNextTo(response.text, 'name', message, name);
      expect(rows(db, 'SELECT id FROM campaigns')).toEqual([]);
    },
  );
});

describe('POST /stalls/:id/status and /follow-up (one-line notes)', () => {
  it('when a status note holds a bidi override, then 400 next to the note and no history row is added', async () => {
    const { agent, csrf, db } = await withSite();
    await onboard(agent, csrf, {}).expect(303);
    const before = rows(db, 'SELECT id FROM stall_status_history');
    const response = await agent
      .post('/stalls/1/status')
      .type('form')
      .send({ status: 'refused', refusal_reason: 'other', note: 'Không \u202edùng', _csrf: csrf })
      .expect(400);
    expect(response.text).toMatch(/id="f-note-error"[^>]*>Có ký tự đảo chiều chữ không nhìn thấy \(U\+202E\)/);
    expect(rows(db, 'SELECT id FROM stall_status_history')).toEqual(before);
  });
});
