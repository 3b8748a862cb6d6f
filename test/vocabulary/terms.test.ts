import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderStickersToBuffer } from '../../src/sticker-pdf/index.js';
import { stallsExportTable } from '../../src/exports/stalls-export.js';
import { STALL_IMPORT_HEADERS } from '../../src/imports/stall-columns.js';
import { decode } from '../../src/vietqr/index.js';
import { STICKER_STATUS_LABELS, TERMS } from '../../src/vocabulary/terms.js';
import { pdfText } from '../helpers/pdf-tools.js';
import { hoaLuSticker } from '../sticker-pdf/helpers/sticker-fixtures.js';

/**
 * One name per thing (issue 17): the words that named a thing a second time, each with the one name that
 * replaced it. A new "Mã kiểm tra" anywhere a user can read it fails here.
 */
const BANNED: readonly { readonly pattern: RegExp; readonly use: string }[] = [
  { pattern: /mã kiểm tra/iu, use: `"${TERMS.verificationCode}" (sticker) or "${TERMS.crc}" (VietQR field 63)` },
  { pattern: /(?<!\p{L})tem số(?!\p{L})/iu, use: `"${TERMS.stickerSerial}"` },
  { pattern: /sê-ri|(?<!\p{L})seri(?!\p{L})/iu, use: `"${TERMS.stickerSerial}"` },
  { pattern: /(?<!\p{L})TNV(?!\p{L})/u, use: `"${TERMS.volunteer}"` },
  { pattern: /tên chủ hộ/iu, use: `"${TERMS.ownerName}"` },
  { pattern: /SĐT/u, use: `"${TERMS.phone}"` },
  { pattern: /(?<!\p{L})(?<!Tên )Chủ tài khoản/u, use: `"${TERMS.holderName}" (as a field name)` },
  // As a field name (before a tag, a colon or a quote): "Điện thoại, điện tử" is a goods category.
  { pattern: /(?<!\p{L})(?<!Số )Điện thoại(?=\s*(?:<|:|'|"|$))/u, use: `"${TERMS.phone}" (as a field name)` },
  { pattern: /trên thẻ(?!\p{L})/iu, use: '"trên tem" (the sticker; "thẻ" is a bank card or the A6 format)' },
  { pattern: /Mã đang dùng/u, use: `"${STICKER_STATUS_LABELS.valid}"` },
];

const ROOT = path.resolve(import.meta.dirname, '../..');

function filesUnder(folder: string, extensions: readonly string[]): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(path.join(ROOT, folder), { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !extensions.some((ext) => entry.name.endsWith(ext))) continue;
    found.push(path.relative(ROOT, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
  }
  return found.sort();
}

function bannedIn(text: string): string[] {
  const normalised = text.normalize('NFC');
  return BANNED.filter(({ pattern }) => pattern.test(normalised)).map(
    ({ pattern, use }) => `${normalised.match(pattern)![0]} → ${use}`,
  );
}

describe('one name per thing', () => {
  it('when views, source and browser scripts are read, then none uses a replaced name', () => {
    const files = [
      ...filesUnder('views', ['.ejs']),
      ...filesUnder('src', ['.ts']),
      ...filesUnder('assets/public/js', ['.js']),
    ];
    expect(files.length).toBeGreaterThan(100);
    const found: string[] = [];
    for (const file of files) {
      const lines = readFileSync(path.join(ROOT, file), 'utf8').split('\n');
      lines.forEach((line, index) => {
        for (const hit of bannedIn(line)) found.push(`${file}:${index + 1}: ${hit}`);
      });
    }
    expect(found).toEqual([]);
  });

  it('when each pattern meets the old wording, then it catches it (the scan is not vacuous)', () => {
    const old = [
      'Mã kiểm tra 7KQ2M9AB',
      'Tem số 52-23575-000123',
      'Số sê-ri',
      'TNV hoạt động',
      'Tên chủ hộ',
      'SĐT',
      'Chủ tài khoản',
      'Điện thoại',
      'in trên thẻ',
      'Mã đang dùng',
    ];
    expect(old.map((text) => bannedIn(text).length)).toEqual(old.map(() => 1));
    // The names that replaced them, and words that only look alike, pass.
    const fine = [
      TERMS.verificationCode,
      TERMS.stickerSerial,
      TERMS.holderName,
      TERMS.phone,
      TERMS.crc,
      'tnv.hoalu1',
      'số thẻ',
      'serial',
      'tên chủ tài khoản',
      'Điện thoại, điện tử',
    ];
    expect(fine.flatMap(bannedIn)).toEqual([]);
  });

  it('when a sticker is printed, then its PDF says "Số tem:" and "Mã xác minh:" and no replaced name', async () => {
    const sticker = hoaLuSticker();
    const text = pdfText((await renderStickersToBuffer([sticker], 'a6', { now: new Date('2026-12-01') })).pdf);
    const flat = text.replace(/\s+/g, ' ');
    expect(flat).toContain(`Số tem: ${sticker.serial}`);
    expect(flat).toContain(`Mã xác minh: ${sticker.verificationCode}`);
    expect(bannedIn(flat)).toEqual([]);
  });

  it('when exports and import templates are built, then their headers use the page names', () => {
    const headers = [
      ...stallsExportTable([]).columns.map((column) => column.header),
      ...Object.values(STALL_IMPORT_HEADERS),
    ];
    expect(headers).toEqual(expect.arrayContaining([TERMS.stallLabel, TERMS.ownerName, TERMS.phone, TERMS.holderName]));
    expect(headers.flatMap(bannedIn)).toEqual([]);
  });

  it('when a VietQR checksum is wrong, then the message names the CRC, not the sticker code', () => {
    const messages = ['000201010211' + '63041234', '000201010211' + '6304ZZZZ', '000201010211'].flatMap((text) =>
      decode(text).problems.map((problem) => problem.message),
    );
    expect(messages.join(' ')).toContain(TERMS.crc);
    expect(messages.flatMap(bannedIn)).toEqual([]);
  });
});
