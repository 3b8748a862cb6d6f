import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/http/errors.js';
import { COMMUNE_A, COMMUNE_B, PERSONAL_A, registryOfTwoCommunes, STALL_A } from '../helpers/registry.js';
import { printDelivered } from '../helpers/stickers.js';

type Db = Awaited<ReturnType<typeof registryOfTwoCommunes>>['db'];

interface LoggedRow {
  id: number;
  user_id: number | null;
  action: string;
  entity: string;
  entity_id: number | null;
  site_id: number | null;
  commune_code: string | null;
  changes: Record<string, unknown>;
}

/** The audit rows written after row `afterId`, oldest first, with their changes parsed. */
function rowsAfter(db: Db, afterId: number): LoggedRow[] {
  const rows = db
    .prepare(
      'SELECT id, user_id, action, entity, entity_id, site_id, commune_code, changes FROM audit_log ' +
        'WHERE id > ? ORDER BY id',
    )
    .all(afterId) as (Omit<LoggedRow, 'changes'> & { changes: string })[];
  return rows.map((row) => ({ ...row, changes: JSON.parse(row.changes) as Record<string, unknown> }));
}

function lastId(db: Db): number {
  return (db.prepare('SELECT coalesce(max(id), 0) FROM audit_log').pluck().get() as number) ?? 0;
}

/** A registry, and a function giving the audit rows each step wrote since the previous call. */
async function audited() {
  const context = await registryOfTwoCommunes();
  let mark = lastId(context.db);
  const written = () => {
    const rows = rowsAfter(context.db, mark);
    mark = lastId(context.db);
    return rows;
  };
  return { ...context, written };
}

describe('audit of sites', () => {
  it('when a site is created and updated, then each write has its row with the place and plain values', async () => {
    const { services, admin, written } = await audited();
    const id = await services.sites.createSite(admin, {
      kind: 'market',
      name: 'Chợ Thống Nhất',
      commune_code: COMMUNE_A,
      target_percent: '60',
      note: 'Gặp chị Hoa ở quầy 3',
    });
    const [created, ...more] = written();
    expect(more).toEqual([]);
    expect(created).toMatchObject({
      user_id: admin.id,
      action: 'site.create',
      entity: 'site',
      entity_id: id,
      site_id: id,
      commune_code: COMMUNE_A,
    });
    expect(created!.changes).toMatchObject({
      kind: { after: 'market' },
      name: { after: 'Chợ Thống Nhất' },
      commune_code: { after: COMMUNE_A },
      target_percent: { after: 60 },
      note: { changed: true },
    });

    await services.sites.updateSite(admin, id, {
      kind: 'market',
      name: 'Chợ Thống Nhất',
      commune_code: COMMUNE_B,
      target_percent: '80',
      target_deadline: '2027-04-30',
      note: 'Gặp anh Tú',
    });
    expect(written()).toEqual([
      expect.objectContaining({
        action: 'site.update',
        entity_id: id,
        site_id: id,
        commune_code: COMMUNE_B,
        changes: {
          commune_code: { before: COMMUNE_A, after: COMMUNE_B },
          target_percent: { before: 60, after: 80 },
          target_deadline: { before: null, after: '2027-04-30' },
          note: { changed: true },
        },
      }),
    ]);
  });

  it('when a site update fails validation, then no audit row is written', async () => {
    const { services, admin, ids, written } = await audited();
    await expect(
      services.sites.updateSite(admin, ids.siteA, { kind: 'market', name: '', commune_code: COMMUNE_A }),
    ).rejects.toThrow(ValidationError);
    expect(written()).toEqual([]);
  });
});

describe('audit of stalls', () => {
  it('when a stall is created, then its row marks owner name and phone as changed, never their values', async () => {
    const { services, admin, ids, db, written } = await audited();
    const id = await services.stalls.createStall(admin, ids.siteA, {
      ...STALL_A,
      label: 'Sạp 40',
      phone: '0905 777 888',
    });
    const rows = written();
    expect(rows).toEqual([
      expect.objectContaining({
        action: 'stall.create',
        entity: 'stall',
        entity_id: id,
        site_id: ids.siteA,
        commune_code: COMMUNE_A,
        changes: {
          label: { after: 'Sạp 40' },
          business_name: { after: STALL_A.business_name },
          goods_category: { after: 'tap_hoa' },
          status: { after: 'surveyed' },
          consent: { after: true },
          owner_name: { changed: true },
          phone: { changed: true },
        },
      }),
    ]);
    const stored = db.prepare('SELECT changes FROM audit_log').pluck().all().join('\n');
    for (const value of [...PERSONAL_A, '0905777888']) expect(stored).not.toContain(value);
  });

  it('when a stall fails validation, or its transaction rolls back, then no audit row remains', async () => {
    const { services, admin, ids, data, db, written } = await audited();
    await expect(services.stalls.createStall(admin, ids.siteA, { ...STALL_A, label: '' })).rejects.toThrow(
      ValidationError,
    );
    const stallsBefore = db.prepare('SELECT count(*) FROM stalls').pluck().get();
    await expect(
      data.transaction(async () => {
        await services.stalls.createStall(admin, ids.siteA, { ...STALL_A, label: 'Sạp 41', phone: '' });
        throw new Error('a later step of the same change failed');
      }),
    ).rejects.toThrow('a later step');
    expect(db.prepare('SELECT count(*) FROM stalls').pluck().get()).toBe(stallsBefore);
    expect(written()).toEqual([]);
  });

  it('when a stall is edited, then only what changed is recorded; a save that changes nothing has no row', async () => {
    const { services, admin, ids, written } = await audited();
    await services.stalls.updateStall(admin, ids.stallA, { ...STALL_A, label: 'Sạp 1A', owner_name: 'Lê Văn Tám' });
    expect(written()).toEqual([
      expect.objectContaining({
        action: 'stall.update',
        entity_id: ids.stallA,
        site_id: ids.siteA,
        commune_code: COMMUNE_A,
        changes: { label: { before: 'Sạp 1', after: 'Sạp 1A' }, owner_name: { changed: true } },
      }),
    ]);
    await services.stalls.updateStall(admin, ids.stallA, { ...STALL_A, label: 'Sạp 1A', owner_name: 'Lê Văn Tám' });
    expect(written()).toEqual([]);
  });

  it('when a stall is refused with a note, then its row keeps the reason, the note only as changed', async () => {
    const { services, admin, ids, written } = await audited();
    await services.stalls.changeStatus(admin, ids.stallA2, {
      status: 'refused',
      refusal_reason: 'other',
      note: 'Chồng chị Lan không đồng ý',
    });
    expect(written()).toEqual([
      expect.objectContaining({
        action: 'stall.status',
        entity_id: ids.stallA2,
        changes: {
          status: { before: 'surveyed', after: 'refused' },
          refusal_reason: { before: null, after: 'other' },
          note: { changed: true },
        },
      }),
    ]);
    await expect(services.stalls.changeStatus(admin, ids.stallA2, { status: 'nonsense' })).rejects.toThrow(
      ValidationError,
    );
    expect(written()).toEqual([]);
  });

  it('when a stall is marked installed and then followed up without its sticker, then both are recorded', async () => {
    const { services, admin, ids, written } = await audited();
    await services.stalls.markInstalled(admin, ids.stallA);
    expect(written()).toEqual([
      expect.objectContaining({
        action: 'stall.installed',
        entity_id: ids.stallA,
        changes: { status: { before: 'qr_verified', after: 'installed' } },
      }),
    ]);
    await services.stalls.recordFollowUp(admin, ids.stallA, {
      sticker_displayed: 'no',
      transfer_share: '30',
      note: 'Chị Dung gọi 0905123456',
    });
    expect(written()).toEqual([
      expect.objectContaining({
        action: 'stall.follow_up',
        entity_id: ids.stallA,
        changes: { sticker_displayed: { after: 'no' }, transfer_share: { after: 30 }, note: { changed: true } },
      }),
      expect.objectContaining({
        action: 'stall.status',
        entity_id: ids.stallA,
        changes: { status: { before: 'installed', after: 'qr_verified' }, note: { changed: true } },
      }),
    ]);
    await expect(
      services.stalls.recordFollowUp(admin, ids.stallA, { sticker_displayed: 'maybe', note: 'x' }),
    ).rejects.toThrow(ValidationError);
    expect(written()).toEqual([]);
  });
});

describe('audit of accounts and stickers', () => {
  it('when an account is added, then the number is masked and the holder name only marked', async () => {
    const { services, admin, ids, written } = await audited();
    // Stall A2 has no consent yet: the consent given with the account is its own row.
    const accountId = await services.accounts.addAccount(
      admin,
      ids.stallA2,
      { bank_bin: '970436', account_number: '0071000999777', holder_name: 'PHAM VAN HUNG', consent: 'yes' },
      undefined,
    );
    expect(written()).toEqual([
      expect.objectContaining({
        action: 'stall.consent',
        entity_id: ids.stallA2,
        changes: { consent: { before: false, after: true } },
      }),
      expect.objectContaining({
        action: 'account.add',
        entity: 'account',
        entity_id: accountId,
        site_id: ids.siteA2,
        commune_code: COMMUNE_A,
        changes: {
          bin: { after: '970436' },
          service: { after: 'account' },
          source: { after: 'typed' },
          is_primary: { after: true },
          verified: { after: false },
          retired: { after: false },
          holder_name: { changed: true },
          account_number: { after: '•••• 9777' },
        },
      }),
      expect.objectContaining({
        action: 'stall.status',
        entity_id: ids.stallA2,
        changes: { status: { before: 'surveyed', after: 'has_account' } },
      }),
    ]);
    await expect(
      services.accounts.addAccount(admin, ids.stallA2, { bank_bin: '970436', account_number: '12ab' }, undefined),
    ).rejects.toThrow(ValidationError);
    expect(written()).toEqual([]);
  });

  it('when a name check fails, then nothing is recorded; when it matches, then verified, names marked', async () => {
    const { services, admin, ids, written } = await audited();
    const accountId = await services.accounts.addAccount(admin, ids.stallA, ACCOUNT_A_OTHER, undefined);
    written();
    await expect(
      services.accounts.checkName(admin, ids.stallA, accountId, { name_seen: 'NGUYEN VAN KHAC' }),
    ).rejects.toThrow(ValidationError);
    expect(written()).toEqual([]);
    await services.accounts.checkName(admin, ids.stallA, accountId, { name_seen: ACCOUNT_A_OTHER.holder_name });
    expect(written()).toEqual([
      expect.objectContaining({
        action: 'account.name_check',
        entity_id: accountId,
        changes: { verified: { before: false, after: true }, verified_name_seen: { changed: true } },
      }),
    ]);
  });

  it('when stickers are printed, reprinted, the account replaced and retired, then each is recorded', async () => {
    const { services, admin, actor, ids, written, db } = await audited();
    await printDelivered(services.stickers, admin, ids.stallA, 'a6');
    const stickerId = db.prepare('SELECT id FROM stickers').pluck().get() as number;
    const serial = db.prepare('SELECT serial FROM stickers').pluck().get() as string;
    expect(written()).toEqual([
      expect.objectContaining({
        action: 'sticker.issue',
        entity: 'sticker',
        entity_id: stickerId,
        site_id: ids.siteA,
        commune_code: COMMUNE_A,
        changes: { serial: { after: serial }, status: { after: 'valid' } },
      }),
      expect.objectContaining({
        action: 'sticker.print',
        entity_id: stickerId,
        changes: { print_count: { before: 0, after: 1 }, format: { before: null, after: 'a6' } },
      }),
    ]);
    await printDelivered(services.stickers, admin, ids.stallA, 'a5');
    expect(written()).toEqual([
      expect.objectContaining({
        action: 'sticker.print',
        entity_id: stickerId,
        changes: { print_count: { before: 1, after: 2 }, format: { before: null, after: 'a5' } },
      }),
    ]);
    await expect(services.stickers.forStall(admin, ids.stallA, 'a3')).rejects.toThrow(ValidationError);
    expect(written()).toEqual([]);

    const second = await services.accounts.addAccount(admin, ids.stallA, ACCOUNT_A_OTHER, undefined);
    written();
    // The sticker is printed: the admin's change is a request, and another person's approval performs it.
    await services.accounts.setPrimary(admin, ids.stallA, second, { change_reason: 'Chủ sạp đổi ngân hàng' });
    const requestId = db.prepare('SELECT id FROM payee_changes').pluck().get() as number;
    expect(written().map((row) => [row.action, row.entity, row.entity_id, row.user_id, row.changes])).toEqual([
      [
        'payee_change.request',
        'payee_change',
        requestId,
        admin.id,
        {
          kind: { after: 'set_primary' },
          request_status: { after: 'pending' },
          reason: { changed: true },
          account_number: { after: '•••• 1222' },
          from_account_number: { after: expect.stringMatching(/^•••• \d{4}$/) },
        },
      ],
    ]);
    const lead = await actor('totruong.duyet', 'team_lead');
    written(); // the lead's own user.create row
    await services.accounts.approvePayeeChange(lead, requestId);
    const primaryRows = written();
    expect(primaryRows.every((row) => row.user_id === lead.id)).toBe(true);
    expect(primaryRows.map((row) => [row.action, row.entity_id, row.changes])).toEqual([
      [
        'sticker.revoke',
        stickerId,
        {
          status: { before: 'valid', after: 'replaced' },
          status_reason: expect.objectContaining({ after: 'Sạp đã đổi tài khoản chính' }),
        },
      ],
      ['account.primary', 1, { is_primary: { before: true, after: false } }],
      ['account.primary', second, { is_primary: { before: false, after: true } }],
      [
        'stall.status',
        ids.stallA,
        { status: { before: 'qr_verified', after: 'has_account' }, note: { changed: true } },
      ],
      ['payee_change.approve', requestId, { request_status: { before: 'pending', after: 'approved' } }],
    ]);

    // The old primary's sticker was replaced already: retiring that account revokes nothing more.
    await services.accounts.retireAccount(admin, ids.stallA, 1, { reason: 'new_account', confirm: 'yes' });
    expect(written().map((row) => [row.action, row.entity_id, row.changes])).toEqual([
      [
        'account.retire',
        1,
        { retired: { before: false, after: true }, retired_reason: { before: null, after: 'new_account' } },
      ],
    ]);
  });

  it('when an account with a valid sticker is retired, then the sticker revocation is recorded with it', async () => {
    const { services, admin, actor, ids, written, db } = await audited();
    await printDelivered(services.stickers, admin, ids.stallB, 'a6');
    const stickerId = db.prepare('SELECT id FROM stickers').pluck().get() as number;
    written();
    const input = { reason: 'new_account', confirm: 'yes', change_reason: 'Chủ sạp chuyển tài khoản' };
    await services.accounts.retireAccount(admin, ids.stallB, 2, input);
    const requestId = db.prepare('SELECT id FROM payee_changes').pluck().get() as number;
    expect(written().map((row) => [row.action, row.site_id, row.changes])).toEqual([
      [
        'payee_change.request',
        ids.siteB,
        {
          kind: { after: 'retire_primary' },
          request_status: { after: 'pending' },
          reason: { changed: true },
          retire_reason: { after: 'new_account' },
          account_number: { after: expect.stringMatching(/^•••• \d{4}$/) },
          from_account_number: { after: expect.stringMatching(/^•••• \d{4}$/) },
        },
      ],
    ]);
    const lead = await actor('totruong.duyet', 'team_lead');
    written(); // the lead's own user.create row
    await services.accounts.approvePayeeChange(lead, requestId);
    expect(written().map((row) => [row.action, row.entity_id, row.site_id, row.changes])).toEqual([
      [
        'account.retire',
        2,
        ids.siteB,
        { retired: { before: false, after: true }, retired_reason: { before: null, after: 'new_account' } },
      ],
      [
        'sticker.revoke',
        stickerId,
        ids.siteB,
        {
          status: { before: 'valid', after: 'revoked' },
          status_reason: { before: null, after: 'Tài khoản đã ngừng dùng: chủ sạp chuyển sang tài khoản khác' },
        },
      ],
      [
        'stall.status',
        ids.stallB,
        ids.siteB,
        { status: { before: 'qr_verified', after: 'surveyed' }, note: { changed: true } },
      ],
      ['payee_change.approve', requestId, ids.siteB, { request_status: { before: 'pending', after: 'approved' } }],
    ]);
  });
});

const ACCOUNT_A_OTHER = { bank_bin: '970436', account_number: '0071000111222', holder_name: 'NGUYEN THI KIM DUNG' };

describe('audit of campaigns', () => {
  it('when a campaign is created and its sites change, then the rows keep the values and no place', async () => {
    const { services, admin, ids, written } = await audited();
    const input = { name: 'Đợt 30/4', target_percent: '70', starts_on: '2026-12-01', deadline: '2027-04-30' };
    const id = await services.campaigns.create(admin, { ...input, site_ids: [String(ids.siteB), String(ids.siteA)] });
    expect(written()).toEqual([
      expect.objectContaining({
        action: 'campaign.create',
        entity: 'campaign',
        entity_id: id,
        site_id: null,
        commune_code: null,
        changes: {
          name: { after: 'Đợt 30/4' },
          target_percent: { after: 70 },
          starts_on: { after: '2026-12-01' },
          deadline: { after: '2027-04-30' },
          site_ids: { after: [ids.siteA, ids.siteB].sort((a, b) => a - b).join(',') },
        },
      }),
    ]);
    await services.campaigns.update(admin, id, { ...input, target_percent: '80', site_ids: String(ids.siteA) });
    expect(written()).toEqual([
      expect.objectContaining({
        action: 'campaign.update',
        entity_id: id,
        changes: {
          target_percent: { before: 70, after: 80 },
          site_ids: { before: [ids.siteA, ids.siteB].sort((a, b) => a - b).join(','), after: String(ids.siteA) },
        },
      }),
    ]);
    await expect(services.campaigns.update(admin, id, { ...input, site_ids: [] })).rejects.toThrow(ValidationError);
    expect(written()).toEqual([]);
  });
});

describe('audit of campaigns losing sites', () => {
  it('when a new campaign takes a site from another, then the other campaign records the site leaving', async () => {
    const { services, admin, ids, written } = await audited();
    const input = { name: 'Đợt 1', target_percent: '70', starts_on: '2026-12-01', deadline: '2027-04-30' };
    const first = await services.campaigns.create(admin, {
      ...input,
      site_ids: [String(ids.siteA), String(ids.siteB)],
    });
    written();
    const second = await services.campaigns.create(admin, { ...input, name: 'Đợt 2', site_ids: String(ids.siteB) });
    expect(written().map((row) => [row.action, row.entity_id, row.changes.site_ids])).toEqual([
      ['campaign.create', second, { after: String(ids.siteB) }],
      ['campaign.update', first, { before: `${ids.siteA},${ids.siteB}`, after: String(ids.siteA) }],
    ]);
  });
});

describe('audit of onboarding and redaction', () => {
  it('when a stall is onboarded with an account, then its rows are written; a refused submit writes none', async () => {
    const { services, actor, ids, written } = await audited();
    const volunteer = await actor('tnv.audit', 'volunteer', [{ kind: 'commune', code: COMMUNE_A }]);
    written(); // creating the user is audited too; this test is about what onboarding writes
    const input = {
      label: 'Sạp 50',
      owner_name: 'Võ Thị Mai',
      phone: '0935000111',
      goods_category: 'rau_cu',
      bank_bin: '970436',
      account_number: '0071000555666',
      holder_name: 'VO THI MAI',
      idempotency_key: 'key-audit-00000001',
    };
    await expect(services.onboarding.onboard(volunteer, ids.siteA, input, undefined)).rejects.toThrow(ValidationError);
    expect(written()).toEqual([]);
    const { stallId } = await services.onboarding.onboard(
      volunteer,
      ids.siteA,
      { ...input, consent: 'yes' },
      undefined,
    );
    const rows = written();
    expect(rows.map((row) => [row.action, row.user_id, row.site_id, row.commune_code])).toEqual([
      ['stall.create', volunteer.id, ids.siteA, COMMUNE_A],
      ['account.add', volunteer.id, ids.siteA, COMMUNE_A],
      ['stall.status', volunteer.id, ids.siteA, COMMUNE_A],
    ]);
    expect(rows[0]!.entity_id).toBe(stallId);
    expect(JSON.stringify(rows)).not.toMatch(/Võ Thị Mai|0935000111|0071000555666|VO THI MAI/);
  });

  it('when a stall onboarding transaction rolls back, then none of its audit rows remain', async () => {
    const { services, actor, ids, data, written } = await audited();
    const volunteer = await actor('tnv.audit', 'volunteer', [{ kind: 'commune', code: COMMUNE_A }]);
    written(); // creating the user is audited too; this test is about what onboarding writes
    const input = { label: 'Sạp 51', goods_category: 'rau_cu', idempotency_key: 'key-audit-00000002' };
    await expect(
      data.transaction(async () => {
        await services.onboarding.onboard(volunteer, ids.siteA, input, undefined);
        throw new Error('the request failed after onboarding');
      }),
    ).rejects.toThrow('the request failed');
    expect(written()).toEqual([]);
  });

  it('when a stall’s notes are redacted, then the row names the tables, rows and field, never the text', async () => {
    const { services, admin, ids, db, written } = await audited();
    await services.stalls.changeStatus(admin, ids.stallA2, {
      status: 'refused',
      refusal_reason: 'other',
      note: 'Chồng chị Lan không đồng ý',
    });
    written();
    const historyId = db.prepare("SELECT id FROM stall_status_history WHERE note <> ''").pluck().get() as number;
    const visitId = db.prepare("SELECT id FROM visits WHERE note <> ''").pluck().get() as number;
    await expect(services.redaction.redactStallFreeText(admin, { stallId: ids.stallA2, reason: ' ' })).rejects.toThrow(
      ValidationError,
    );
    expect(written()).toEqual([]);
    await services.redaction.redactStallFreeText(admin, {
      stallId: ids.stallA2,
      reason: 'Yêu cầu xoá số 12 của chị Lan',
    });
    expect(written()).toEqual([
      expect.objectContaining({
        action: 'redaction.apply',
        entity: 'stall',
        entity_id: ids.stallA2,
        site_id: ids.siteA2,
        commune_code: COMMUNE_A,
        changes: {
          field: { after: 'note' },
          stall_status_history: { after: String(historyId) },
          visits: { after: String(visitId) },
          reason: { changed: true },
        },
      }),
    ]);
    expect(db.prepare('SELECT changes FROM audit_log').pluck().all().join('\n')).not.toMatch(/chị Lan/);
  });
});
