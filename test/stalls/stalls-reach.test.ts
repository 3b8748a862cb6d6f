import { describe, expect, it } from 'vitest';
import { ForbiddenError, NotFoundError, ValidationError } from '../../src/http/errors.js';
import {
  ACCOUNT_B,
  COMMUNE_A,
  communeReach,
  PERSONAL_A,
  PERSONAL_B,
  provinceReach,
  registryOfTwoCommunes,
  siteReach,
  STALL_A,
  STALL_B,
} from '../helpers/registry.js';

type Db = Awaited<ReturnType<typeof registryOfTwoCommunes>>['db'];

/** What a write could change about a stall: if this is the same before and after, nothing was written. */
function stallState(db: Db, stallId: number) {
  return {
    stall: db.prepare('SELECT * FROM stalls WHERE id = ?').get(stallId),
    history: db.prepare('SELECT count(*) AS n FROM stall_status_history WHERE stall_id = ?').get(stallId),
    accounts: db.prepare('SELECT * FROM stall_accounts WHERE stall_id = ? ORDER BY id').all(stallId),
    visits: db.prepare('SELECT count(*) AS n FROM visits WHERE stall_id = ?').get(stallId),
    stickers: db.prepare('SELECT count(*) AS n FROM stickers WHERE stall_id = ?').get(stallId),
  };
}

/** Every way to change a stall or its accounts, as the stall page's forms post them. */
const WRITES: [string, Record<string, string>][] = [
  ['', { ...STALL_B, owner_name: 'Đổi tên' }],
  ['/status', { status: 'refused', refusal_reason: 'prefers_cash' }],
  ['/installed', {}],
  ['/follow-up', { sticker_displayed: 'no' }],
  ['/accounts', { bank_bin: '970436', account_number: '0011001234567', holder_name: 'TRAN THI LAN' }],
  ['/accounts/ACCOUNT/primary', {}],
  ['/accounts/ACCOUNT/retire', { reason: 'new_account', confirm: 'yes' }],
  ['/accounts/ACCOUNT/name-check', { name_seen: 'TRAN THI LAN' }],
  ['/sticker', { format: 'a6' }],
];

describe('stalls service: reach', () => {
  it(
    'when a volunteer of commune A asks for a stall of commune B, ' +
      'then it is a 404 with the message of a stall that does not exist, for reads and writes',
    async () => {
      const { services, actor, ids, db } = await registryOfTwoCommunes();
      const volunteer = await actor('tnv.a', 'volunteer', communeReach(COMMUNE_A));
      const before = stallState(db, ids.stallB);
      const { stalls, accounts, stickers } = services;
      const attempts = [
        stalls.getStall(volunteer, ids.stallB),
        stalls.history(volunteer, ids.stallB),
        stalls.visits(volunteer, ids.stallB),
        stalls.stallForEdit(volunteer, ids.stallB),
        stalls.listForSite(volunteer, ids.siteB, {}),
        stalls.updateStall(volunteer, ids.stallB, STALL_B),
        stalls.changeStatus(volunteer, ids.stallB, { status: 'closed' }),
        stalls.markInstalled(volunteer, ids.stallB),
        stalls.recordFollowUp(volunteer, ids.stallB, { sticker_displayed: 'no' }),
        stalls.createStall(volunteer, ids.siteB, { label: 'Sạp 9', goods_category: 'rau_cu' }),
        accounts.accountsOf(volunteer, ids.stallB),
        accounts.accountToCheck(volunteer, ids.stallB, undefined),
        accounts.addAccount(volunteer, ids.stallB, ACCOUNT_B, undefined),
        accounts.checkName(volunteer, ids.stallB, 2, { name_seen: 'TRAN THI LAN' }),
        accounts.setPrimary(volunteer, ids.stallB, 2),
        accounts.retireAccount(volunteer, ids.stallB, 2, { reason: 'new_account', confirm: 'yes' }),
        accounts.banksForSite(volunteer, ids.siteB),
        stickers.listForStall(volunteer, ids.stallB),
        stickers.forStall(volunteer, ids.stallB, 'a6'),
        stickers.forSite(volunteer, ids.siteB, 'a6', 'verified'),
        stickers.countPrintable(volunteer, ids.siteB),
      ];
      for (const attempt of attempts) await expect(attempt).rejects.toThrow(NotFoundError);
      await expect(stalls.getStall(volunteer, ids.stallB)).rejects.toThrow('Không tìm thấy sạp này.');
      await expect(stalls.getStall(volunteer, 999)).rejects.toThrow('Không tìm thấy sạp này.');
      expect(stallState(db, ids.stallB)).toEqual(before);
      expect((await stalls.getStall(volunteer, ids.stallA)).owner_name).toBe(STALL_A.owner_name);
    },
  );

  it('when a team lead’s reach is one site, then a stall of another site of the same commune is a 404', async () => {
    const { services, actor, ids } = await registryOfTwoCommunes();
    const lead = await actor('totruong.site', 'team_lead', siteReach(ids.siteA));
    expect((await services.stalls.getStall(lead, ids.stallA)).label).toBe('Sạp 1');
    await expect(services.stalls.getStall(lead, ids.stallA2)).rejects.toThrow(NotFoundError);
  });

  it(
    'when a viewer or a leader reads a stall inside their reach, ' +
      'then the owner name and phone are removed and accounts are masked, without holder name',
    async () => {
      const { services, actor, ids } = await registryOfTwoCommunes();
      for (const role of ['viewer', 'leader'] as const) {
        const reader = await actor(`${role}.52`, role, provinceReach('52'));
        expect(await services.stalls.getStall(reader, ids.stallA)).toMatchObject({
          label: 'Sạp 1',
          business_name: 'Tạp hóa Kim Dung',
          status: 'qr_verified',
          owner_name: '',
          phone: null,
          personalDataHidden: true,
        });
        const [listed] = await services.stalls.listForSite(reader, ids.siteA, {});
        expect(listed).toMatchObject({ owner_name: '', phone: null, personalDataHidden: true });
        expect(await services.accounts.accountsOf(reader, ids.stallA)).toEqual([
          expect.objectContaining({
            bin: '970418',
            masked: '•••• 3456',
            account_number: null,
            holder_name: null,
            verified_name_seen: null,
          }),
        ]);
        const stickers = await services.stickers.listForStall(reader, ids.stallA);
        expect(stickers.every((sticker) => !('payload' in sticker))).toBe(true);
      }
    },
  );

  it(
    'when a volunteer reads a stall of their commune, ' + 'then they get the owner name, phone and full account',
    async () => {
      const { services, actor, ids } = await registryOfTwoCommunes();
      const volunteer = await actor('tnv.a', 'volunteer', communeReach(COMMUNE_A));
      expect(await services.stalls.getStall(volunteer, ids.stallA)).toMatchObject({
        owner_name: STALL_A.owner_name,
        phone: STALL_A.phone,
        personalDataHidden: false,
      });
      expect(await services.accounts.accountsOf(volunteer, ids.stallA)).toEqual([
        expect.objectContaining({
          masked: '•••• 3456',
          account_number: '12010000123456',
          holder_name: 'NGUYEN THI KIM DUNG',
        }),
      ]);
    },
  );

  it(
    'when a viewer or a leader searches a site’s stalls, then the owner name finds nothing; ' +
      'the label and the business name still do',
    async () => {
      const { services, actor, ids } = await registryOfTwoCommunes();
      const viewer = await actor('xem.52', 'viewer', provinceReach('52'));
      const volunteer = await actor('tnv.a', 'volunteer', communeReach(COMMUNE_A));
      const search = (who: typeof viewer, query: string) =>
        services.stalls.listForSite(who, ids.siteA, { query }).then((rows) => rows.map((row) => row.label));
      expect(await search(volunteer, 'nguyen thi')).toEqual(['Sạp 1']);
      expect(await search(viewer, 'nguyen thi')).toEqual([]);
      expect(await search(viewer, 'tap hoa')).toEqual(['Sạp 1']);
      expect(await search(viewer, 'sạp 1')).toEqual(['Sạp 1']);
      expect(await search(viewer, '0905123456')).toEqual([]);
    },
  );

  it(
    'when a viewer or a leader tries any write on a stall inside their reach, ' + 'then 403 and nothing changes',
    async () => {
      const { services, actor, ids, db } = await registryOfTwoCommunes();
      const before = stallState(db, ids.stallA);
      for (const role of ['viewer', 'leader'] as const) {
        const reader = await actor(`${role}.52`, role, provinceReach('52'));
        const { stalls, accounts, stickers, onboarding } = services;
        const attempts = [
          stalls.stallForEdit(reader, ids.stallA),
          stalls.updateStall(reader, ids.stallA, STALL_A),
          stalls.changeStatus(reader, ids.stallA, { status: 'closed' }),
          stalls.markInstalled(reader, ids.stallA),
          stalls.recordFollowUp(reader, ids.stallA, { sticker_displayed: 'no' }),
          stalls.createStall(reader, ids.siteA, { label: 'Sạp 9', goods_category: 'rau_cu' }),
          accounts.accountToCheck(reader, ids.stallA, undefined),
          accounts.addAccount(reader, ids.stallA, ACCOUNT_B, undefined),
          accounts.checkName(reader, ids.stallA, 1, { name_seen: 'NGUYEN THI KIM DUNG' }),
          accounts.setPrimary(reader, ids.stallA, 1),
          accounts.retireAccount(reader, ids.stallA, 1, { reason: 'new_account', confirm: 'yes' }),
          stickers.forStall(reader, ids.stallA, 'a6'),
          stickers.forSite(reader, ids.siteA, 'a6', 'verified'),
          onboarding.pickSite(reader, ''),
          onboarding.onboard(reader, ids.siteA, { label: 'Sạp 9', goods_category: 'rau_cu' }, undefined),
        ];
        for (const attempt of attempts) await expect(attempt).rejects.toThrow(ForbiddenError);
      }
      expect(stallState(db, ids.stallA)).toEqual(before);
      expect(db.prepare('SELECT count(*) AS n FROM stalls').get()).toEqual({ n: 3 });
    },
  );

  it(
    'when a volunteer of commune A gives the phone of a stall of commune B, ' +
      'then the warning does not name that stall and still asks for "Vẫn lưu"',
    async () => {
      const { services, actor, ids, db } = await registryOfTwoCommunes();
      const volunteer = await actor('tnv.a', 'volunteer', communeReach(COMMUNE_A));
      const fields = { label: 'Sạp 20', business_name: 'Quán nước', goods_category: 'an_uong', consent: 'yes' };
      const warned = await services.stalls
        .createStall(volunteer, ids.siteA, { ...fields, phone: STALL_B.phone })
        .catch((error: unknown) => error);
      expect(warned).toBeInstanceOf(ValidationError);
      const errors = (warned as ValidationError).fieldErrors;
      expect(errors.phone).toBe(
        'Số điện thoại này đã đăng ký cho một sạp ngoài phạm vi bạn phụ trách. ' +
          'Kiểm tra lại; nếu đúng, đánh dấu "Vẫn lưu".',
      );
      expect(errors.confirm_duplicate_phone).toBe('outside');
      for (const secret of [STALL_B.label, STALL_B.business_name, 'Chợ Chư Prông', String(ids.stallB)]) {
        expect(Object.values(errors).join(' ')).not.toContain(secret);
      }
      expect(db.prepare('SELECT count(*) AS n FROM stalls').get()).toEqual({ n: 3 });
      await services.stalls.createStall(volunteer, ids.siteA, {
        ...fields,
        phone: STALL_B.phone,
        confirm_duplicate_phone: 'yes',
      });
      expect(db.prepare('SELECT count(*) AS n FROM stalls WHERE phone = ?').get(STALL_B.phone)).toEqual({ n: 2 });
    },
  );

  it(
    'when a volunteer of commune A adds the account of a stall of commune B, ' +
      'then the fraud warning does not name that stall and still asks for "Vẫn lưu"',
    async () => {
      const { services, actor, ids, db } = await registryOfTwoCommunes();
      const volunteer = await actor('tnv.a', 'volunteer', communeReach(COMMUNE_A));
      const warned = await services.accounts
        .addAccount(volunteer, ids.stallA, ACCOUNT_B, undefined)
        .catch((error: unknown) => error);
      expect(warned).toBeInstanceOf(ValidationError);
      const errors = (warned as ValidationError).fieldErrors;
      expect(errors.account_number).toContain('đã đăng ký cho một sạp ngoài phạm vi bạn phụ trách');
      expect(errors.confirm_duplicate_account).toBe('outside');
      expect(errors.account_number).not.toContain(STALL_B.label);
      expect(errors.account_number).not.toContain('Chợ Chư Prông');
      expect(db.prepare('SELECT count(*) AS n FROM stall_accounts WHERE stall_id = ?').get(ids.stallA)).toEqual({
        n: 1,
      });
      // A whole-province team lead sees the other stall: the warning names it, as before.
      const lead = await actor('totruong.52', 'team_lead', provinceReach('52'));
      const named = await services.accounts
        .addAccount(lead, ids.stallA, ACCOUNT_B, undefined)
        .catch((error: unknown) => error as ValidationError);
      expect((named as ValidationError).fieldErrors.account_number).toContain(
        'đã đăng ký cho sạp "Sạp 7" (Rau sạch Chư Prông) ở Chợ Chư Prông',
      );
      expect((named as ValidationError).fieldErrors.confirm_duplicate_account).toBe(String(ids.stallB));
    },
  );
});

describe('stall pages: reach and who sees what', () => {
  it(
    'when a volunteer of commune A opens or posts to a stall of commune B, ' +
      'then every route answers 404 and nothing is written',
    async () => {
      const { loginAs, ids, db } = await registryOfTwoCommunes();
      const { agent, csrf } = await loginAs('volunteer', 'tnv.a', communeReach(COMMUNE_A));
      const before = stallState(db, ids.stallB);
      for (const path of ['', '/edit', '/name-check', '/name-check?account=2']) {
        const response = await agent.get(`/stalls/${ids.stallB}${path}`).expect(404);
        expect(response.text).toContain('Không tìm thấy sạp này.');
        for (const secret of [...PERSONAL_B, STALL_B.business_name]) expect(response.text).not.toContain(secret);
      }
      for (const [path, fields] of WRITES) {
        await agent
          .post(`/stalls/${ids.stallB}${path.replace('ACCOUNT', '2')}`)
          .type('form')
          .send({ ...fields, _csrf: csrf })
          .expect(404);
      }
      expect(stallState(db, ids.stallB)).toEqual(before);
      const missing = await agent.get('/stalls/999').expect(404);
      expect(missing.text).toContain('Không tìm thấy sạp này.');
    },
  );

  it(
    'when a viewer or a leader opens a stall inside their reach, ' +
      'then the page shows label, business name, status and the masked account, and nothing personal',
    async () => {
      const { loginAs, ids } = await registryOfTwoCommunes();
      for (const role of ['viewer', 'leader'] as const) {
        const { agent } = await loginAs(role, `${role}.52`, provinceReach('52'));
        const page = await agent.get(`/stalls/${ids.stallA}`).expect(200);
        expect(page.text).toContain('Sạp 1 · Tạp hóa Kim Dung');
        expect(page.text).toContain('data-stall-status="qr_verified"');
        expect(page.text).toContain('BIDV •••• 3456');
        for (const personal of PERSONAL_A) expect(page.text).not.toContain(personal);
        expect(page.text).not.toContain('<svg');
      }
    },
  );

  it(
    'when a viewer or a leader opens a stall inside their reach, ' +
      'then no form to change it is offered, and the edit and name-check pages answer 403',
    async () => {
      const { loginAs, ids, db } = await registryOfTwoCommunes();
      const before = stallState(db, ids.stallA);
      for (const role of ['viewer', 'leader'] as const) {
        const { agent, csrf } = await loginAs(role, `${role}.52`, provinceReach('52'));
        const page = await agent.get(`/stalls/${ids.stallA}`).expect(200);
        expect(page.text).not.toMatch(/<form[^>]*action="\/stalls\//);
        expect(page.text).not.toContain(`/stalls/${ids.stallA}/edit`);
        expect(page.text).not.toContain(`/stalls/${ids.stallA}/name-check`);
        expect(page.text).not.toContain('In mã QR');
        const edit = await agent.get(`/stalls/${ids.stallA}/edit`).expect(403);
        const check = await agent.get(`/stalls/${ids.stallA}/name-check?account=1`).expect(403);
        for (const refused of [edit, check]) {
          expect(refused.text).toContain('Vai trò của bạn chỉ được xem, không được sửa sạp.');
          for (const personal of PERSONAL_A) expect(refused.text).not.toContain(personal);
          expect(refused.text).not.toContain('<svg');
        }
        for (const [path, fields] of WRITES) {
          const response = await agent
            .post(`/stalls/${ids.stallA}${path.replace('ACCOUNT', '1')}`)
            .type('form')
            .send({ ...fields, _csrf: csrf })
            .expect(403);
          for (const personal of PERSONAL_A) expect(response.text).not.toContain(personal);
        }
        await agent
          .post(`/sites/${ids.siteA}/stalls`)
          .type('form')
          .send({ label: 'Sạp 9', goods_category: 'rau_cu', _csrf: csrf })
          .expect(403);
      }
      expect(stallState(db, ids.stallA)).toEqual(before);
    },
  );

  it('when a viewer searches the site page by the owner’s name, then the stall is not found', async () => {
    const { loginAs, ids } = await registryOfTwoCommunes();
    const viewer = await loginAs('viewer', 'xem.52', provinceReach('52'));
    const byOwner = await viewer.agent.get(`/sites/${ids.siteA}?q=nguyen%20thi`).expect(200);
    expect(byOwner.text).toContain('Chưa có sạp nào khớp bộ lọc');
    const byBusiness = await viewer.agent.get(`/sites/${ids.siteA}?q=tap%20hoa`).expect(200);
    expect(byBusiness.text).toContain('Sạp 1 · Tạp hóa Kim Dung');
    const volunteer = await loginAs('volunteer', 'tnv.a', communeReach(COMMUNE_A));
    const found = await volunteer.agent.get(`/sites/${ids.siteA}?q=nguyen%20thi`).expect(200);
    expect(found.text).toContain('Sạp 1 · Tạp hóa Kim Dung');
  });

  it('when a whole-country admin opens a stall anywhere, then the owner, phone and name-check are there', async () => {
    const { loginAs, ids } = await registryOfTwoCommunes();
    const { agent } = await loginAs('admin', 'quantri2');
    const page = await agent.get(`/stalls/${ids.stallB}`).expect(200);
    expect(page.text).toContain('Trần Thị Lan');
    expect(page.text).toContain('0912000111');
    expect(page.text).toContain('TRAN THI LAN');
    const check = await agent.get(`/stalls/${ids.stallB}/name-check`).expect(200);
    expect(check.text).toContain('5102205999888');
    expect(check.text).toContain('<svg');
  });

  it(
    'when a volunteer of commune A types the phone of a stall of commune B on the form, ' +
      'then the warning neither names nor links that stall',
    async () => {
      const { loginAs, ids } = await registryOfTwoCommunes();
      const { agent, csrf } = await loginAs('volunteer', 'tnv.a', communeReach(COMMUNE_A));
      const warned = await agent
        .post(`/sites/${ids.siteA}/stalls`)
        .type('form')
        .send({ label: 'Sạp 20', goods_category: 'an_uong', phone: STALL_B.phone, consent: 'yes', _csrf: csrf })
        .expect(400);
      expect(warned.text).toContain('đã đăng ký cho một sạp ngoài phạm vi bạn phụ trách');
      expect(warned.text).toContain('name="confirm_duplicate_phone"');
      expect(warned.text).not.toContain(`href="/stalls/${ids.stallB}"`);
      expect(warned.text).not.toContain('href="/stalls/outside"');
      expect(warned.text).not.toContain(STALL_B.label);
    },
  );
});
