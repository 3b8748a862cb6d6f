import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/actor.js';
import { PatchFormatError, parseAdminUnitPatch } from '../../src/admin-units/admin-unit-patch.js';
import { PatchRefusedError } from '../../src/admin-units/admin-unit-patches-service.js';
import { describePatchReport } from '../../src/cli/admin-units-command.js';
import { WHOLE_COUNTRY } from '../../src/vocabulary/reach.js';
import { ForbiddenError } from '../../src/http/errors.js';
import { createDemoTestContext } from '../helpers/app.js';
import { printDelivered, verifiedStall } from '../helpers/stickers.js';

/** Before the patch's effective date: the figures of that day must not move. */
const BEFORE = '2026-11-15';
const EFFECTIVE = '2026-11-21';
const NQ = 'Nghị quyết số 9999/NQ-UBTVQH15 (thử nghiệm)';

const decided = { resolution: NQ, effective_on: EFFECTIVE };

/**
 * Every kind of change once, on the Gia Lai demo (sites 4, 5 in Phường Bồng Sơn 21640; 6 in Phường Tam Quan
 * 21637; 7 in Phường Hoài Nhơn Bắc 21655) and a test province 99 made by the patch itself.
 */
const EVERY_KIND = {
  id: 'thu-nghiem-moi-loai',
  title: 'Thử mọi loại thay đổi',
  changes: [
    { kind: 'rename_commune', code: '23575', from: 'Phường Pleiku', to: 'Phường Pleiku Trung Tâm', ...decided },
    {
      kind: 'retype_commune',
      code: '23887',
      from_type: 'xa',
      to_type: 'phuong',
      from: 'Xã Chư Prông',
      to: 'Phường Chư Prông',
      ...decided,
    },
    {
      kind: 'merge_communes',
      from: ['21640', '21637'],
      into: { code: '21637', name: 'Phường Tam Quan Bồng Sơn' },
      ...decided,
    },
    {
      kind: 'split_commune',
      code: '21655',
      into: [
        { code: '21655', sites: [] },
        { code: '99001', name: 'Phường Hoài Châu Bắc', unit_type: 'phuong', sites: [7] },
      ],
      ...decided,
    },
    {
      kind: 'rename_site',
      site_id: 4,
      from: 'Tuyến phố Quang Trung (Bồng Sơn)',
      to: 'Tuyến phố Quang Trung (Tam Quan Bồng Sơn)',
      ...decided,
    },
    { kind: 'add_province', code: '99', name: 'Thử Nghiệm', unit_type: 'tinh', ...decided },
    { kind: 'rename_province', code: '99', from: 'Thử Nghiệm', to: 'Thử Nghiệm Mới', ...decided },
    {
      kind: 'retype_province',
      code: '99',
      from_type: 'tinh',
      to_type: 'thanh_pho',
      from: 'Thử Nghiệm Mới',
      to: 'Thành phố Thử Nghiệm',
      ...decided,
    },
    { kind: 'add_commune', code: '99002', province_code: '99', name: 'Xã Một', unit_type: 'xa', ...decided },
    { kind: 'add_commune', code: '99003', province_code: '99', name: 'Xã Hai', unit_type: 'xa', ...decided },
    { kind: 'add_commune', code: '99004', province_code: '99', name: 'Xã Ba', unit_type: 'xa', ...decided },
    {
      kind: 'merge_communes',
      from: ['99003', '99004'],
      into: { code: '99005', name: 'Xã Hai Ba', unit_type: 'xa' },
      ...decided,
    },
    { kind: 'remove_commune', code: '99002', from: 'Xã Một', ...decided },
    { kind: 'add_province', code: '98', name: 'Tạm', unit_type: 'tinh', ...decided },
    { kind: 'remove_province', code: '98', from: 'Tạm', ...decided },
    { kind: 'merge_provinces', from: ['99'], into: { code: '52' }, ...decided },
  ],
};

async function demo() {
  const context = await createDemoTestContext();
  const { services, db } = context;
  const admin = (await services.users.findWithReach(await context.createUser('quantri.dvhc', 'admin')))!;
  const actor: Actor = { id: admin.id, role: admin.role, reach: admin.reach };
  // Printed stickers on the site the patch renames (4) and on one it only moves (5).
  const renamedStall = await verifiedStall(context, actor, 4, 1);
  const movedStall = await verifiedStall(context, actor, 5, 2);
  await printDelivered(services.stickers, actor, renamedStall);
  await printDelivered(services.stickers, actor, movedStall);
  await services.campaigns.create(actor, {
    name: 'Đợt Bồng Sơn',
    target_percent: '60',
    starts_on: '2026-11-01',
    deadline: '2026-12-31',
    site_ids: ['4', '5'],
  });
  const tnvBongSon = await context.createUser('tnv.bongson', 'volunteer', [{ kind: 'commune', code: '21640' }]);
  const tnvHoaiNhon = await context.createUser('tnv.hoainhon', 'volunteer', [{ kind: 'commune', code: '21655' }]);
  const serialOf = (stallId: number) =>
    db.prepare('SELECT serial FROM stickers WHERE stall_id = ?').pluck().get(stallId) as string;
  return { ...context, actor, tnvBongSon, tnvHoaiNhon, renamedSerial: serialOf(renamedStall) };
}

type Ctx = Awaited<ReturnType<typeof demo>>;

const text = (patch: unknown) => JSON.stringify(patch);

/** Every saved row a patch may touch, to show that a refused one wrote nothing. */
function snapshotOf(db: Ctx['db']) {
  const all = (sql: string) => db.prepare(sql).all();
  return {
    communes: all('SELECT * FROM communes ORDER BY code'),
    provinces: all('SELECT * FROM provinces ORDER BY code'),
    sites: all('SELECT id, name, commune_code FROM sites ORDER BY id'),
    reach: all('SELECT * FROM user_reach ORDER BY id'),
    mappings: all('SELECT count(*) AS n FROM commune_mappings'),
    patches: all('SELECT * FROM admin_unit_patches ORDER BY id'),
    audit: all('SELECT count(*) AS n FROM audit_log'),
  };
}

async function figuresEverywhere(context: Ctx, asOf: string) {
  const { adoption } = context.services;
  const provinces = context.db.prepare('SELECT code FROM provinces WHERE retired_on IS NULL').pluck().all() as string[];
  // Everything but the names and the number of communes (counted on today's units: a merged commune is one).
  const comparable = async (scope: Parameters<typeof adoption.figures>[1]) => {
    const { scope: _scope, communes: _communes, ...rest } = await adoption.figures(WHOLE_COUNTRY, scope, asOf);
    return rest;
  };
  const byProvince: Record<string, unknown> = {};
  for (const code of provinces) byProvince[code] = await comparable({ kind: 'province', code });
  return { national: await comparable({ kind: 'all' }), byProvince };
}

describe('admin-unit patches', () => {
  it('when a patch of every kind is committed, then units, sites, reaches, old names, audit follow', async () => {
    const context = await demo();
    const { db, services, actor } = context;
    const report = await services.adminUnitPatches.apply(actor, text(EVERY_KIND), true);
    expect(report.committed).toBe(true);
    expect(report.changes).toHaveLength(EVERY_KIND.changes.length);

    const commune = (code: string) =>
      db
        .prepare('SELECT name, unit_type, province_code, retired_on, name_folded FROM communes WHERE code = ?')
        .get(code);
    expect(commune('23575')).toMatchObject({ name: 'Phường Pleiku Trung Tâm', name_folded: 'phuong pleiku trung tam' });
    expect(commune('23887')).toMatchObject({ name: 'Phường Chư Prông', unit_type: 'phuong' });
    expect(commune('21637')).toMatchObject({ name: 'Phường Tam Quan Bồng Sơn', retired_on: null });
    expect(commune('21640')).toMatchObject({ retired_on: EFFECTIVE });
    expect(commune('99001')).toMatchObject({ name: 'Phường Hoài Châu Bắc', province_code: '52' });
    expect(commune('99002')).toMatchObject({ retired_on: EFFECTIVE });
    expect(commune('99005')).toMatchObject({ name: 'Xã Hai Ba', province_code: '52', retired_on: null });
    expect(commune('99003')).toMatchObject({ retired_on: EFFECTIVE, province_code: '52' });
    expect(
      db.prepare("SELECT retired_on FROM provinces WHERE code IN ('98', '99') ORDER BY code").pluck().all(),
    ).toEqual([EFFECTIVE, EFFECTIVE]);

    // Sites follow: Bồng Sơn's two to Tam Quan, Hoài Nhơn Bắc's to its new part; one renamed.
    const sites = db.prepare(
      'SELECT id, name, name_folded, commune_code FROM sites WHERE id IN (4, 5, 6, 7) ORDER BY id',
    );
    expect(sites.all()).toEqual([
      {
        id: 4,
        name: 'Tuyến phố Quang Trung (Tam Quan Bồng Sơn)',
        name_folded: 'tuyen pho quang trung (tam quan bong son)',
        commune_code: '21637',
      },
      { id: 5, name: 'Tuyến đường Đào Duy Từ (Bồng Sơn)', name_folded: expect.any(String), commune_code: '21637' },
      { id: 6, name: 'Tuyến phố Trần Hưng Đạo (Tam Quan)', name_folded: expect.any(String), commune_code: '21637' },
      { id: 7, name: 'Tuyến đường trung tâm Hoài Châu Bắc', name_folded: expect.any(String), commune_code: '99001' },
    ]);
    // Reaches: a merged commune's to the commune it joined; a split one's to every part.
    const reachOf = (userId: number) =>
      db.prepare('SELECT commune_code FROM user_reach WHERE user_id = ? ORDER BY commune_code').pluck().all(userId);
    expect(reachOf(context.tnvBongSon)).toEqual(['21637']);
    expect(reachOf(context.tnvHoaiNhon)).toEqual(['21655', '99001']);
    // Campaign memberships are by site, so they stay with the moved sites.
    expect(db.prepare('SELECT site_id FROM campaign_sites ORDER BY site_id').pluck().all()).toEqual([4, 5]);
    // Old names, for the picker's "trước đây".
    const oldNames = db
      .prepare(
        'SELECT old_code, old_name, old_name_folded, new_commune_code FROM commune_mappings ' +
          "WHERE old_district_name = '' ORDER BY id",
      )
      .all();
    expect(oldNames).toEqual(
      expect.arrayContaining([
        { old_code: '23575', old_name: 'Phường Pleiku', old_name_folded: 'phuong pleiku', new_commune_code: '23575' },
        { old_code: '23887', old_name: 'Xã Chư Prông', old_name_folded: 'xa chu prong', new_commune_code: '23887' },
        {
          old_code: '21637',
          old_name: 'Phường Tam Quan',
          old_name_folded: 'phuong tam quan',
          new_commune_code: '21637',
        },
        {
          old_code: '21640',
          old_name: 'Phường Bồng Sơn',
          old_name_folded: 'phuong bong son',
          new_commune_code: '21637',
        },
        {
          old_code: '21655',
          old_name: 'Phường Hoài Nhơn Bắc',
          old_name_folded: 'phuong hoai nhon bac',
          new_commune_code: '99001',
        },
      ]),
    );
    // The picker finds the commune by its old name, and no longer offers the one that ended.
    const found = await services.adminUnits.searchCommunes('bong son', '52', 20);
    expect(found.map((c) => c.code)).toContain('21637');
    expect(found.map((c) => c.code)).not.toContain('21640');
    expect(await services.adminUnits.findCommune('21640')).toBeUndefined();
    // The pre-2025 names that led to Bồng Sơn now lead to Tam Quan Bồng Sơn.
    expect(db.prepare("SELECT count(*) FROM commune_mappings WHERE new_commune_code = '21640'").pluck().get()).toBe(0);
    expect(
      db
        .prepare('SELECT old_name FROM province_former_names WHERE patch_id = ? ORDER BY id')
        .pluck()
        .all(EVERY_KIND.id),
    ).toEqual(['Thử Nghiệm', 'Thử Nghiệm Mới', 'Thành phố Thử Nghiệm']);
    // Applied patches and the audit trail, in the same transaction.
    expect(
      db.prepare('SELECT id, applied_by, applied_via FROM admin_unit_patches WHERE id = ?').get(EVERY_KIND.id),
    ).toEqual({
      id: EVERY_KIND.id,
      applied_by: actor.id,
      applied_via: 'command',
    });
    const entry = db
      .prepare("SELECT user_id, entity, changes FROM audit_log WHERE action = 'admin_units.update'")
      .get() as { user_id: number; entity: string; changes: string };
    expect(entry.user_id).toBe(actor.id);
    expect(entry.entity).toBe('admin_unit_patch');
    expect(JSON.parse(entry.changes)).toMatchObject({
      patch_id: { after: EVERY_KIND.id },
      sites_moved: { after: 3 },
      stickers_to_reprint: { after: 1 },
    });
    expect(
      db
        .prepare("SELECT count(*) FROM audit_log WHERE action = 'site.update' AND entity_id IN (4, 5, 7)")
        .pluck()
        .get(),
    ).toBe(4);
    // The reprint list: only the renamed site's printed sticker (a sticker prints the site's name, not the commune's).
    expect(report.reprint).toEqual([
      {
        serial: context.renamedSerial,
        stall: 'Sạp 1',
        siteId: 4,
        before: 'Tuyến phố Quang Trung (Bồng Sơn)',
        after: 'Tuyến phố Quang Trung (Tam Quan Bồng Sơn)',
      },
    ]);
  });

  it('when a non-admin or a one-province admin applies a patch, then it is forbidden, nothing written', async () => {
    const context = await demo();
    const volunteer = (await context.services.users.findWithReach(context.tnvBongSon))!;
    const provinceAdminId = await context.createUser('quantri.gialai', 'admin', [{ kind: 'province', code: '52' }]);
    const provinceAdmin = (await context.services.users.findWithReach(provinceAdminId))!;
    const before = snapshotOf(context.db);
    for (const user of [volunteer, provinceAdmin]) {
      const actor: Actor = { id: user.id, role: user.role, reach: user.reach };
      await expect(context.services.adminUnitPatches.apply(actor, text(EVERY_KIND), true)).rejects.toThrow(
        ForbiddenError,
      );
    }
    expect(snapshotOf(context.db)).toEqual(before);
  });

  it('when run without commit, then it prints the diff and what follows from it, and writes nothing', async () => {
    const context = await demo();
    const before = snapshotOf(context.db);
    const report = await context.services.adminUnitPatches.apply(context.actor, text(EVERY_KIND), false);
    expect(report.committed).toBe(false);
    expect(snapshotOf(context.db)).toEqual(before);
    const printed = describePatchReport(report);
    expect(printed).toContain('1. Đổi tên xã 23575: Phường Pleiku → Phường Pleiku Trung Tâm');
    expect(printed).toContain('2. Đổi loại xã 23887: xã → phường (Xã Chư Prông → Phường Chư Prông)');
    expect(printed).toContain(
      '3. Nhập xã Phường Bồng Sơn (21640), Phường Tam Quan (21637) → Phường Tam Quan Bồng Sơn (21637)',
    );
    expect(printed).toContain(
      '  Địa điểm chuyển sang xã 21637: Tuyến phố Quang Trung (Bồng Sơn) (#4), Tuyến đường Đào Duy Từ (Bồng Sơn) (#5).',
    );
    expect(printed).toContain('  Đợt "Đợt Bồng Sơn": địa điểm #4 vẫn trong đợt, nay thuộc xã 21637.');
    expect(printed).toContain('  Phạm vi của tnv.bongson: xã 21640 → xã 21637.');
    expect(printed).toContain(
      '  Tên cũ giữ lại: "Phường Bồng Sơn" → tìm thấy xã 21637 ("trước đây: Phường Bồng Sơn").',
    );
    expect(printed).toContain(
      '4. Chia xã Phường Hoài Nhơn Bắc (21655) → Phường Hoài Nhơn Bắc (21655), Phường Hoài Châu Bắc (99001)',
    );
    expect(printed).toContain('  Phạm vi của tnv.hoainhon: xã 21655 → xã 21655, xã 99001.');
    expect(printed).toContain('12. Nhập xã Xã Hai (99003), Xã Ba (99004) → Xã Hai Ba (99005, xã mới)');
    expect(printed).toContain('13. Bỏ xã 99002: Xã Một');
    expect(printed).toContain('16. Nhập tỉnh Thành phố Thử Nghiệm (99) → Gia Lai (52)');
    expect(printed).toContain(`  Căn cứ: ${NQ}; hiệu lực ${EFFECTIVE}.`);
    expect(printed).toContain('Tem cần in lại (1):');
    expect(printed).toContain(
      `  ${context.renamedSerial} · Sạp 1 · địa điểm #4: "Tuyến phố Quang Trung (Bồng Sơn)" → ` +
        '"Tuyến phố Quang Trung (Tam Quan Bồng Sơn)"',
    );
    expect(printed).toContain('Chưa ghi gì (xem trước). Thêm --commit để áp dụng.');
  });

  it('when a patch is applied, then figures before its date stay, and the running snapshot sees it', async () => {
    const context = await demo();
    const { adoption } = context.services;
    const before = await figuresEverywhere(context, BEFORE);
    const partsBefore = await Promise.all(
      ['21637', '21640'].map((code) => adoption.figures(WHOLE_COUNTRY, { kind: 'commune', code }, BEFORE)),
    );
    await context.services.adminUnitPatches.apply(context.actor, text(EVERY_KIND), true);
    const after = await figuresEverywhere(context, BEFORE);
    expect(after.national).toEqual(before.national);
    // Province 99 was made and merged into 52 by the patch; every other province is as it was.
    expect(after.byProvince).toEqual(before.byProvince);
    // The merged commune's past is the sum of its parts; the same snapshot, no restart.
    const merged = await adoption.figures(WHOLE_COUNTRY, { kind: 'commune', code: '21637' }, BEFORE);
    const [tamQuan, bongSon] = partsBefore as [typeof merged, typeof merged];
    for (const status of Object.keys(merged.counts) as (keyof typeof merged.counts)[]) {
      expect(merged.counts[status]).toBe(tamQuan.counts[status] + bongSon.counts[status]);
    }
    expect(merged.coverage.census).toBe(tamQuan.coverage.census + bongSon.coverage.census);
    expect(merged.coverage.census).toBeGreaterThan(0);
    expect(merged.coverage.installed).toBe(tamQuan.coverage.installed + bongSon.coverage.installed);
    expect(merged.sites.total).toBe(3);
    expect(merged.scope.name).toContain('Phường Tam Quan Bồng Sơn');
    const sites = await adoption.sites(WHOLE_COUNTRY, { kind: 'commune', code: '99001' }, BEFORE);
    expect(sites.map((s) => [s.key, s.commune.name])).toEqual([['7', 'Phường Hoài Châu Bắc']]);
    await expect(adoption.figures(WHOLE_COUNTRY, { kind: 'commune', code: '21640' }, BEFORE)).rejects.toThrow();
  });

  describe('refusals: nothing is written', () => {
    const cases: [string, unknown[], RegExp][] = [
      [
        'an unknown code',
        [{ kind: 'rename_commune', code: '00001', from: 'Xã Không', to: 'Xã Có', ...decided }],
        /Thay đổi 1 \(đổi tên xã\): không có xã mã 00001\./,
      ],
      [
        'a name that is not the current one',
        [{ kind: 'rename_commune', code: '23575', from: 'Phường Hoa Lư', to: 'Phường X', ...decided }],
        /Xã 23575 hiện tên "Phường Pleiku", bản cập nhật ghi "Phường Hoa Lư"/,
      ],
      [
        'a split that does not place every site',
        [
          {
            kind: 'split_commune',
            code: '21640',
            into: [
              { code: '21640', sites: [4] },
              { code: '99001', name: 'Phường Mới', unit_type: 'phuong', sites: [] },
            ],
            ...decided,
          },
        ],
        /chưa nói địa điểm Tuyến đường Đào Duy Từ \(Bồng Sơn\) \(#5\) về phần nào/,
      ],
      [
        'a removal that would orphan a site',
        [{ kind: 'remove_commune', code: '21637', from: 'Phường Tam Quan', ...decided }],
        /Thay đổi 1 \(bỏ xã\): xã 21637 còn 1 địa điểm \(#6\)/,
      ],
      [
        'a later change that would orphan a site',
        [
          { kind: 'add_commune', code: '99001', province_code: '52', name: 'Xã Mới', unit_type: 'xa', ...decided },
          { kind: 'remove_commune', code: '23575', from: 'Phường Pleiku', ...decided },
        ],
        /Thay đổi 2 \(bỏ xã\): xã 23575 còn 1 địa điểm/,
      ],
      [
        'a province removal that would orphan its communes',
        [{ kind: 'remove_province', code: '52', from: 'Gia Lai', ...decided }],
        /tỉnh 52 còn \d+ xã; dùng nhập tỉnh/,
      ],
      [
        'a merge across provinces',
        [{ kind: 'merge_communes', from: ['26743'], into: { code: '23575' }, ...decided }],
        /các xã 26743 không cùng tỉnh với xã nhận/,
      ],
      [
        'a new commune on a code that exists',
        [{ kind: 'add_commune', code: '23575', province_code: '52', name: 'Xã Trùng', unit_type: 'xa', ...decided }],
        /mã xã 23575 đã có \(Phường Pleiku\); mã không được dùng lại/,
      ],
    ];
    for (const [what, changes, message] of cases) {
      it(`when the patch has ${what}, then the whole patch is refused and nothing is written`, async () => {
        const context = await demo();
        const before = snapshotOf(context.db);
        const patch = { id: 'tu-choi', title: 'Bị từ chối', changes: [...changes, EVERY_KIND.changes[0]] };
        const error = await context.services.adminUnitPatches.apply(context.actor, text(patch), true).catch((e) => e);
        expect(error).toBeInstanceOf(PatchRefusedError);
        expect((error as PatchRefusedError).problems.join('\n')).toMatch(message);
        expect(snapshotOf(context.db)).toEqual(before);
      });
    }

    it('when a reach would be orphaned by a removal, then the users are named', async () => {
      const context = await demo();
      await context.db.prepare("UPDATE sites SET commune_code = '21637' WHERE commune_code = '21640'").run();
      const patch = {
        id: 'bo-xa-co-pham-vi',
        title: 'Bỏ xã còn người phụ trách',
        changes: [{ kind: 'remove_commune', code: '21640', from: 'Phường Bồng Sơn', ...decided }],
      };
      const error = (await context.services.adminUnitPatches
        .apply(context.actor, text(patch), true)
        .catch((e) => e)) as PatchRefusedError;
      expect(error.problems).toEqual([
        'Thay đổi 1 (bỏ xã): phạm vi của tnv.bongson, tnv.bongson1, tnv.bongson2, totruong.bongson là xã 21640; ' +
          'đổi phạm vi của họ, hoặc nhập xã vào xã khác, trước khi bỏ.',
      ]);
    });

    it('when a patch was already applied, then applying it again is refused', async () => {
      const context = await demo();
      await context.services.adminUnitPatches.apply(context.actor, text(EVERY_KIND), true);
      const before = snapshotOf(context.db);
      const error = await context.services.adminUnitPatches
        .apply(context.actor, text(EVERY_KIND), true)
        .catch((e) => e);
      expect((error as PatchRefusedError).problems).toEqual([
        'Bản cập nhật "thu-nghiem-moi-loai" đã được áp dụng trước đây; không áp dụng lại.',
      ]);
      expect(snapshotOf(context.db)).toEqual(before);
    });
  });
});

describe('the patch format', () => {
  const problemsOf = (patch: unknown): string[] => {
    try {
      parseAdminUnitPatch(JSON.stringify(patch));
    } catch (error) {
      if (error instanceof PatchFormatError) return [...error.problems];
      throw error;
    }
    return [];
  };

  it('when fields are missing, unknown or malformed, then every problem names its change and field', () => {
    expect(
      problemsOf({
        id: 'X',
        title: '',
        extra: 1,
        changes: [
          { kind: 'rename_commune', code: '2357', from: 'A', to: 'A', effective_on: '2026-02-30' },
          { kind: 'split_commune', code: '21655', into: [{ code: '99001', sites: [1] }], ...decided },
          { kind: 'teleport', ...decided },
          { kind: 'add_province', code: '99', name: 'Thử', unit_type: 'bang', colour: 'red', ...decided },
        ],
      }),
    ).toEqual([
      'Trường "extra" không có trong định dạng.',
      'Trường "id": phải là 3–80 ký tự chữ thường không dấu, số, ".", "_" hoặc "-" (ví dụ "2026-06-gia-lai").',
      'Trường "title": thiếu tên của bản cập nhật.',
      'Thay đổi 1 (đổi tên xã), trường "resolution": thiếu.',
      'Thay đổi 1 (đổi tên xã), trường "effective_on": phải là ngày có hiệu lực dạng "YYYY-MM-DD".',
      'Thay đổi 1 (đổi tên xã), trường "code": mã xã phải là chuỗi 5 chữ số (ví dụ "23575").',
      'Thay đổi 1 (đổi tên xã), trường "to": trùng với tên cũ.',
      'Thay đổi 2 (chia xã), trường "into": ' +
        'phải là danh sách ít nhất hai phần {"code", "name"?, "unit_type"?, "sites"}.',
      'Thay đổi 3, trường "kind": phải là một trong ' +
        'rename_province, rename_commune, retype_province, retype_commune, ' +
        'merge_communes, split_commune, add_commune, add_province, remove_commune, remove_province, merge_provinces, ' +
        'rename_site.',
      'Thay đổi 4 (thêm tỉnh), trường "colour": không có trong định dạng của loại này.',
      'Thay đổi 4 (thêm tỉnh), trường "unit_type": phải là một trong "tinh", "thanh_pho".',
    ]);
  });

  it('when the effective date is null, then only a patch whose note says why is accepted', () => {
    const change = { kind: 'rename_province', code: '75', from: 'A', to: 'B', resolution: NQ, effective_on: null };
    expect(problemsOf({ id: 'khong-ngay', title: 'T', changes: [change] })).toEqual([
      'Thay đổi 1 (đổi tên tỉnh), trường "effective_on": ' +
        'chỉ được để null khi "note" của bản cập nhật giải thích vì sao.',
    ]);
    expect(problemsOf({ id: 'khong-ngay', title: 'T', note: 'Chưa tìm được văn bản.', changes: [change] })).toEqual([]);
  });
});
