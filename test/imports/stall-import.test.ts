import writeXlsxFile from 'write-excel-file/node';
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/actor.js';
import { NotFoundError } from '../../src/http/errors.js';
import { consentDateOf, goodsCategoryOf, recogniseHeader } from '../../src/imports/stall-columns.js';
import type { ImportOptions } from '../../src/imports/stall-import-service.js';
import { readTable } from '../../src/tabular/table.js';
import { COMMUNE_B, communeReach, registryOfTwoCommunes } from '../helpers/registry.js';

const NO_PAPER: ImportOptions = { consentOnPaper: false };
const HEADER = 'Số sạp,Tên chủ hộ,SĐT,Nhóm hàng,Ngân hàng,Số tài khoản,Chủ tài khoản,Ngày đồng ý';

async function importer() {
  const context = await registryOfTwoCommunes();
  const { services, db } = context;
  const volunteer = await context.actor('tnv.import', 'volunteer');
  const count = (table: string) => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  /** Preview then commit of a CSV (text) into site A, as `actor`. */
  async function run(actor: Actor | null, csv: string | Buffer, options = NO_PAPER, siteId = context.ids.siteA) {
    const read = await services.stallImport.readFile(typeof csv === 'string' ? Buffer.from(csv) : csv);
    if (read.problem !== undefined) throw new Error(read.problem);
    const mapping = services.stallImport.defaultMapping(read.table);
    const preview = await services.stallImport.preview(actor, siteId, read.table, mapping, options);
    return {
      preview,
      commit: () =>
        services.stallImport.commit(
          actor,
          siteId,
          { name: 'ds.csv', table: read.table },
          mapping,
          options,
          preview.digest,
        ),
    };
  }
  const outcomes = (rows: readonly { line: number; outcome: string }[]) => rows.map((r) => `${r.line}:${r.outcome}`);
  return { ...context, volunteer, count, run, outcomes };
}

describe('the columns of a stall list', () => {
  it('when headers are written with or without accents and in any case, then each is recognised', () => {
    expect(recogniseHeader('SỐ SẠP')).toBe('label');
    expect(recogniseHeader('so sap')).toBe('label');
    expect(recogniseHeader('Tên cơ sở')).toBe('business_name');
    expect(recogniseHeader('ten chu ho')).toBe('owner_name');
    expect(recogniseHeader('SĐT')).toBe('phone');
    expect(recogniseHeader('Số điện thoại')).toBe('phone');
    expect(recogniseHeader('NGÂN HÀNG')).toBe('bank');
    expect(recogniseHeader('Số tài khoản')).toBe('account_number');
    expect(recogniseHeader('chủ tài khoản')).toBe('holder_name');
    expect(recogniseHeader('Ngày đồng ý')).toBe('consent_date');
    expect(recogniseHeader('Ghi chú')).toBeUndefined();
  });

  it('when goods categories and dates are written as people write them, then they are read', () => {
    expect(goodsCategoryOf('Rau củ')).toBe('rau_cu');
    expect(goodsCategoryOf('hai san')).toBe('hai_san');
    expect(goodsCategoryOf('tap_hoa')).toBe('tap_hoa');
    expect(goodsCategoryOf('xe máy')).toBeUndefined();
    expect(consentDateOf('30/11/2026')).toBe('2026-11-30');
    expect(consentDateOf('2026-11-30')).toBe('2026-11-30');
    expect(consentDateOf('31/02/2026')).toBeUndefined();
  });
});

describe('reading a stall list file', () => {
  it('when a CSV has a UTF-8 byte-order mark and ; as delimiter, then its header and cells are read', async () => {
    const bytes = Buffer.from('\uFEFFSố sạp;Tên chủ hộ\nSạp 5;Lê Thị Hoa\n');
    const read = await readTable({ bytes, maxRecords: 10, windows1258: true });
    expect(read).toMatchObject({
      ok: true,
      encoding: 'utf-8',
      rows: [
        ['Số sạp', 'Tên chủ hộ'],
        ['Sạp 5', 'Lê Thị Hoa'],
      ],
    });
  });

  it('when a CSV is in Windows-1258 (tones as combining marks), then it is decoded and NFC-normalised', async () => {
    // "Số sạp,Tên chủ hộ\nSạp 5,Lê Thị Hoa" as Excel on a Vietnamese Windows saves it: base letter + tone byte.
    const bytes = Buffer.from([
      0x53, 0xf4, 0xec, 0x20, 0x73, 0x61, 0xf2, 0x70, 0x2c, 0x54, 0xea, 0x6e, 0x20, 0x63, 0x68, 0x75, 0xd2, 0x20, 0x68,
      0xf4, 0xf2, 0x0a, 0x53, 0x61, 0xf2, 0x70, 0x20, 0x35, 0x2c, 0x4c, 0xea, 0x20, 0x54, 0x68, 0x69, 0xf2, 0x20, 0x48,
      0x6f, 0x61, 0x0a,
    ]);
    const read = await readTable({ bytes, maxRecords: 10, windows1258: true });
    expect(read).toMatchObject({ ok: true, encoding: 'windows-1258' });
    const rows = (read as { rows: string[][] }).rows;
    expect(rows).toEqual([
      ['Số sạp', 'Tên chủ hộ'],
      ['Sạp 5', 'Lê Thị Hoa'],
    ]);
    expect(rows[1]![1]).toBe('Lê Thị Hoa'.normalize('NFC'));
    expect(recogniseHeader(rows[0]![0]!)).toBe('label');
  });

  it('when an XLSX holds an account number as a number cell, then that cell is marked numeric', async () => {
    const bytes = await writeXlsxFile(
      [
        [{ value: 'Số sạp' }, { value: 'Số tài khoản' }],
        [{ value: 'Sạp 5' }, { value: 12010000123456 }],
        [{ value: 'Sạp 6' }, { value: '0071000111222' }],
      ],
      { sheet: 'Danh sách' },
    ).toBuffer();
    const read = await readTable({ bytes, maxRecords: 10, sheet: 'Danh sách' });
    expect(read).toMatchObject({ ok: true, format: 'xlsx', numericCells: [[1, 1]] });
    expect((read as { rows: string[][] }).rows[2]).toEqual(['Sạp 6', '0071000111222']);
    expect(await readTable({ bytes, maxRecords: 10, sheet: 'Khác' })).toEqual({
      ok: false,
      problem: 'Tệp XLSX không có trang tính “Khác”.',
    });
  });
});

describe('importing stalls into a site', () => {
  it(
    'when a file has new, existing, repeated and wrong rows, ' +
      'then the preview says each with its row number and writes nothing, and the commit writes only the good rows',
    async () => {
      const { run, volunteer, count, db, outcomes, ids, services, admin } = await importer();
      const stall2 = await services.stalls.createStall(admin, ids.siteA, { label: 'Sạp 2', goods_category: 'rau_cu' });
      const csv = [
        HEADER,
        'Sạp 20,Lê Thị Hoa,+84 905 777 888,Rau củ,Vietcombank,0071000999888,LE THI HOA,20/11/2026',
        'Sạp 21,Phạm Văn Nam,0912 345 678,Thịt,,,,',
        'sap 2,,,Trái cây,,,,',
        'Sạp 20,Ai đó,,Rau củ,,,,',
        'Sạp 22,,09abc,Rau củ,,,,20/11/2026',
        'Sạp 23,Ngô Văn Tư,,Rau củ,MB,123,NGO VAN TU,20/11/2026',
        'Sạp 1,,,,BIDV,99990000111,NGUYEN THI KIM DUNG,20/11/2026',
      ].join('\n');
      const stallsBefore = count('stalls');
      const auditBefore = count('audit_log');
      const { preview, commit } = await run(volunteer, csv);
      expect(outcomes(preview.rows)).toEqual([
        '2:new',
        '3:new',
        '4:update',
        '5:duplicate',
        '6:error',
        '7:error',
        '8:conflict',
      ]);
      expect(preview.rows[1]!.notes.join(' ')).toContain('chỉ lưu số sạp và nhóm hàng');
      expect(preview.rows[2]!.stallId).toBe(stall2);
      expect(preview.rows[3]!.reasons).toEqual(['Trùng số sạp với dòng 2: chỉ dòng 2 được dùng.']);
      expect(preview.rows[4]!.reasons.join(' ')).toContain('Số điện thoại: Số điện thoại gồm 10 chữ số');
      expect(preview.rows[5]!.reasons.join(' ')).toMatch(/Số tài khoản: Số tài khoản gồm 6–\d+ chữ số/);
      expect(preview.rows[6]!.reasons.join(' ')).toContain('cần người thứ hai duyệt: dùng trang sạp');
      expect(preview.counts).toEqual({ new: 2, update: 1, unchanged: 0, duplicate: 1, conflict: 1, error: 2 });
      expect(count('stalls')).toBe(stallsBefore);
      expect(count('audit_log')).toBe(auditBefore);

      const result = await commit();
      expect(result).toMatchObject({ written: 3, skipped: 4, changedSincePreview: false });
      expect(
        db
          .prepare(
            'SELECT label, owner_name, phone, goods_category, status, created_by, consent_at IS NOT NULL AS consent ' +
              "FROM stalls WHERE label LIKE 'Sạp 2_' ORDER BY id",
          )
          .all(),
      ).toEqual([
        {
          label: 'Sạp 20',
          owner_name: 'Lê Thị Hoa',
          phone: '0905777888',
          goods_category: 'rau_cu',
          status: 'has_account',
          created_by: volunteer.id,
          consent: 1,
        },
        {
          label: 'Sạp 21',
          owner_name: '',
          phone: null,
          goods_category: 'thit',
          status: 'surveyed',
          created_by: volunteer.id,
          consent: 0,
        },
      ]);
      expect(
        db
          .prepare(
            'SELECT a.bin, a.account_number, a.holder_name, a.verified_at FROM stall_accounts a ' +
              "JOIN stalls s ON s.id = a.stall_id WHERE s.label = 'Sạp 20'",
          )
          .all(),
      ).toEqual([{ bin: '970436', account_number: '0071000999888', holder_name: 'LE THI HOA', verified_at: null }]);
      // The updated stall keeps its label as stored; the conflicting one keeps its account.
      expect(db.prepare('SELECT label, goods_category FROM stalls WHERE id = ?').get(stall2)).toEqual({
        label: 'Sạp 2',
        goods_category: 'trai_cay',
      });
      expect(db.prepare('SELECT count(*) FROM stall_accounts WHERE stall_id = ?').pluck().get(ids.stallA)).toBe(1);
      const importRow = db
        .prepare("SELECT user_id, entity, entity_id, changes FROM audit_log WHERE action = 'site.import_stalls'")
        .get() as { user_id: number; entity: string; entity_id: number; changes: string };
      expect(importRow).toMatchObject({ user_id: volunteer.id, entity: 'site', entity_id: ids.siteA });
      expect(JSON.parse(importRow.changes)).toEqual({
        file_name: { after: 'ds.csv' },
        consent_on_paper: { after: false },
        rows_new: { after: 2 },
        rows_update: { after: 1 },
        rows_unchanged: { after: 0 },
        rows_duplicate: { after: 1 },
        rows_conflict: { after: 1 },
        rows_error: { after: 2 },
      });
      expect(db.prepare("SELECT count(*) FROM audit_log WHERE action = 'stall.create'").pluck().get()).toBe(6);
    },
  );

  it('when the same file is imported again, then every row is unchanged or a duplicate, nothing written', async () => {
    const { run, volunteer, count, outcomes } = await importer();
    const csv = [
      HEADER,
      'Sạp 20,Lê Thị Hoa,0905777888,Rau củ,VCB,0071000999888,LE THI HOA,20/11/2026',
      'Sạp 21,Phạm Văn Nam,,Thịt,,,,',
      'Sạp 21,,,Thịt,,,,',
    ].join('\n');
    await (await run(volunteer, csv)).commit();
    const before = {
      stalls: count('stalls'),
      accounts: count('stall_accounts'),
      audit: count('audit_log'),
      history: count('stall_status_history'),
    };
    const again = await run(volunteer, csv);
    expect(outcomes(again.preview.rows)).toEqual(['2:unchanged', '3:unchanged', '4:duplicate']);
    const result = await again.commit();
    expect(result.written).toBe(0);
    expect({
      stalls: count('stalls'),
      accounts: count('stall_accounts'),
      audit: count('audit_log') - 1,
      history: count('stall_status_history'),
    }).toEqual(before);
  });

  it('when the importer confirms consent on paper, then personal data is kept, and audited so', async () => {
    const { run, volunteer, db } = await importer();
    await (
      await run(volunteer, `${HEADER}\nSạp 30,Đỗ Thị Mai,0988111222,Ăn uống,,,,`, { consentOnPaper: true })
    ).commit();
    expect(db.prepare("SELECT owner_name, phone, consent_by FROM stalls WHERE label = 'Sạp 30'").get()).toEqual({
      owner_name: 'Đỗ Thị Mai',
      phone: '0988111222',
      consent_by: volunteer.id,
    });
    expect(
      db
        .prepare("SELECT count(*) FROM stall_consents c JOIN stalls s ON s.id = c.stall_id WHERE s.label = 'Sạp 30'")
        .pluck()
        .get(),
    ).toBe(1);
    const changes = db
      .prepare("SELECT changes FROM audit_log WHERE action = 'site.import_stalls'")
      .pluck()
      .get() as string;
    expect(JSON.parse(changes).consent_on_paper).toEqual({ after: true });
  });

  it('when banks are written as code, BIN or name, then they match; an ambiguous one names candidates', async () => {
    const { run, volunteer, outcomes } = await importer();
    const rows = [
      'Sạp 40,,,Rau củ,vcb,1000000000401,A,20/11/2026',
      'Sạp 41,,,Rau củ,Ngân hàng TMCP Ngoại thương Việt Nam,1000000000411,B,20/11/2026',
      'Sạp 42,,,Rau củ,970418,1000000000421,C,20/11/2026',
      'Sạp 43,,,Rau củ,Ngân hàng TMCP,1000000000431,D,20/11/2026',
      'Sạp 44,,,Rau củ,Viettel Money,1000000000441,E,20/11/2026',
    ];
    const { preview } = await run(volunteer, [HEADER, ...rows].join('\n'));
    expect(outcomes(preview.rows)).toEqual(['2:new', '3:new', '4:new', '5:error', '6:error']);
    expect(preview.rows[3]!.reasons.join(' ')).toMatch(
      /Ngân hàng: Ngân hàng “Ngân hàng TMCP” khớp nhiều ngân hàng \(.+, .+/,
    );
  });

  it('when an XLSX account cell is a number, then the row is an error asking for a Text column', async () => {
    const { services, volunteer, ids } = await importer();
    const bytes = await writeXlsxFile([
      [
        { value: 'Số sạp' },
        { value: 'Ngân hàng' },
        { value: 'Số tài khoản' },
        { value: 'Chủ tài khoản' },
        { value: 'Ngày đồng ý' },
        { value: 'Nhóm hàng' },
      ],
      [
        { value: 'Sạp 50' },
        { value: 'VCB' },
        { value: 71000999888 },
        { value: 'LE VAN A' },
        { value: new Date('2026-11-20T00:00:00Z'), format: 'dd/mm/yyyy' },
        { value: 'Rau củ' },
      ],
    ]).toBuffer();
    const read = await services.stallImport.readFile(bytes);
    if (read.problem !== undefined) throw new Error(read.problem);
    const preview = await services.stallImport.preview(
      volunteer,
      ids.siteA,
      read.table,
      services.stallImport.defaultMapping(read.table),
      NO_PAPER,
    );
    expect(preview.rows[0]).toMatchObject({ line: 2, outcome: 'error' });
    expect(preview.rows[0]!.reasons.join(' ')).toContain('định dạng cột Số tài khoản là Văn bản (Text)');
  });

  it('when the sticker is printed, then a new account is a conflict, a change of fields an update', async () => {
    const { services, admin, run, volunteer, outcomes } = await importer();
    await services.stickers.forStall(admin, 1, 'a6');
    const { preview } = await run(
      volunteer,
      [HEADER, 'Sạp 1,,,Trái cây,VCB,0071000555666,NGUYEN THI KIM DUNG,20/11/2026'].join('\n'),
    );
    expect(outcomes(preview.rows)).toEqual(['2:conflict']);
    const fields = await run(
      volunteer,
      [HEADER, 'Sạp 1,,0905 123 456,Trái cây,BIDV,12010000123456,NGUYEN THI KIM DUNG,'].join('\n'),
    );
    expect(outcomes(fields.preview.rows)).toEqual(['2:update']);
  });

  it('when the site is outside the importer’s reach, then 404 as a missing site', async () => {
    const { services, actor, ids } = await importer();
    const outsider = await actor('tnv.b', 'volunteer', communeReach(COMMUNE_B));
    const read = await services.stallImport.readFile(Buffer.from(`${HEADER}\nSạp 9,,,Rau củ,,,,`));
    if (read.problem !== undefined) throw new Error(read.problem);
    await expect(
      services.stallImport.preview(
        outsider,
        ids.siteA,
        read.table,
        services.stallImport.defaultMapping(read.table),
        NO_PAPER,
      ),
    ).rejects.toThrow(NotFoundError);
  });
});
