import type TestAgent from 'supertest/lib/agent.js';
import { describe, expect, it } from 'vitest';
import writeXlsxFile from 'write-excel-file/node';
import { linesFromTable, USER_LIST_MAX_BYTES } from '../../src/admin-users/user-list.js';
import { readTable } from '../../src/tabular/table.js';
import { verifyPassword } from '../../src/users/password.js';
import type { ReachUnit } from '../../src/vocabulary/reach.js';
import { createTestContext } from '../helpers/app.js';

const PLEIKU: ReachUnit[] = [{ kind: 'commune', code: '23575' }];

type Context = ReturnType<typeof createTestContext>;

const usernames = (context: Context) =>
  context.db.prepare("SELECT username FROM users WHERE username LIKE 'tnv.%' ORDER BY username").pluck().all();

function upload(agent: TestAgent, csrf: string, file: Buffer, name: string, fields: Record<string, string> = {}) {
  let post = agent.post('/admin/users/import').field('_csrf', csrf);
  for (const [field, value] of Object.entries(fields)) post = post.field(field, value);
  return post.attach('user_list', file, { filename: name, contentType: 'application/octet-stream' });
}

function unescapeHtml(text: string): string {
  return text
    .replace(/&#34;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The preview's hidden payload, as the browser would send it back. */
function payloadOf(html: string): string {
  const match = /name="payload" value="([^"]*)"/.exec(html);
  if (!match) throw new Error('no confirmation form on the preview');
  return unescapeHtml(match[1]!);
}

function confirm(agent: TestAgent, csrf: string, payload: string) {
  return agent.post('/admin/users/import/confirm').field('_csrf', csrf).field('payload', payload);
}

/** Each slip of the printed sheet: username and one-time password. */
function slipsOf(html: string): { username: string; password: string }[] {
  return [...html.matchAll(/<dd class="code">([^<]+)<\/dd>[\s\S]*?<dd class="otp"[^>]*>([^<]+)<\/dd>/g)].map((m) => ({
    username: m[1]!,
    password: m[2]!,
  }));
}

const GOOD_CSV =
  '\uFEFFTên đăng nhập;Họ tên;Số điện thoại;Phạm vi\r\n' +
  'tnv.lan;Nguyễn Thị Lan;0905 123 456;commune:23575\r\n' +
  '\r\n' +
  'TNV.Minh;Trần Văn Minh;;Phường Pleiku\r\n' +
  'tnv.hoa;Lê Thị Hoa;;\r\n';

describe('creating many volunteers from a list', () => {
  it(
    'when a team lead uploads a CSV with problems, then the preview shows each line’s problems by column, ' +
      'offers no confirmation, and nobody is created',
    async () => {
      const context = createTestContext();
      await context.createUser('tnv.cu', 'volunteer', PLEIKU);
      const { agent, csrf } = await context.loginAs('team_lead', 'totruong.pleiku', PLEIKU);
      const csv = [
        'username,name,phone,reach,password',
        'tnv.lan,Nguyễn Thị Lan,0905123456,commune:23575,abc',
        'Tnv Sai!,Sai Tên,,commune:23575,',
        'tnv.lan,Lan Khác,,commune:23575,',
        'tnv.cu,Người Cũ,,commune:23575,',
        'tnv.xa,Không Xã,,commune:99999,',
        'tnv.ngoai,Ngoài Phạm Vi,,commune:23887,',
        'tnv.sdt,Sai Số,12345,commune:23575,',
        'tnv.ten,,,commune:23575,',
        'tnv.mo,Mơ Hồ,,Phường Không Có,',
      ].join('\n');

      const preview = await upload(agent, csrf, Buffer.from(csv), 'ds.csv').expect(200);
      expect(preview.headers['cache-control']).toBe('no-store');
      const text = unescapeHtml(preview.text);
      expect(text).toContain('9</strong> người');
      expect(text).toContain('8 dòng có lỗi');
      expect(text).toContain('Cột mật khẩu được bỏ qua');
      expect(text).toContain('Tên đăng nhập: Tên đăng nhập gồm 3–32 ký tự');
      expect(text).toContain('Tên đăng nhập: Trùng tên đăng nhập với dòng 2.');
      expect(text).toContain('Tên đăng nhập: Tên đăng nhập này đã có người dùng.');
      expect(text).toContain('Phạm vi: Không có xã, phường này trong danh mục (commune:99999).');
      expect(text).toContain('Phạm vi: Ngoài phạm vi của bạn: Xã Chư Prông (Gia Lai).');
      expect(text).toContain('Số điện thoại: Số điện thoại gồm 10 chữ số');
      expect(text).toContain('Họ tên: Nhập họ tên.');
      expect(text).toContain('Phạm vi: Không tìm thấy xã/phường "Phường Không Có" trong phạm vi của bạn.');
      expect(text).not.toContain('name="payload"');
      expect(usernames(context)).toEqual(['tnv.cu']);
    },
  );

  it('when a name in the list holds a hidden control or bidi character, then its line is refused', async () => {
    const context = createTestContext();
    const { agent, csrf } = await context.loginAs('team_lead', 'totruong.pleiku', PLEIKU);
    const csv = [
      'username,name,phone,reach',
      'tnv.an,Nguyễn \u202eAn,,commune:23575',
      'tnv.ba,Trần\u001bBa,,commune:23575',
    ];
    const preview = await upload(agent, csrf, Buffer.from(csv.join('\n')), 'ds.csv').expect(200);
    const text = unescapeHtml(preview.text);
    expect(text).toContain('2 dòng có lỗi');
    expect(text).toContain('Họ tên: Có ký tự đảo chiều chữ không nhìn thấy (U+202E) — hãy gõ lại.');
    expect(text).toContain('Họ tên: Có ký tự điều khiển không nhìn thấy (U+001B) — hãy gõ lại.');
    expect(text).not.toContain('name="payload"');
    expect(usernames(context)).toEqual([]);
  });

  it(
    'when a good CSV is previewed and confirmed, then all are created at once as volunteers who must change ' +
      'their password, and a printable sheet shows each one-time password once',
    async () => {
      const context = createTestContext();
      const { agent, csrf } = await context.loginAs('team_lead', 'totruong.pleiku', PLEIKU);
      const preview = await upload(agent, csrf, Buffer.from(GOOD_CSV), 'ds.csv', {
        default_reach: 'commune:23575',
      }).expect(200);
      expect(preview.text).toContain('Tạo 3 tài khoản');
      expect(preview.text).toContain('Dòng 4');
      expect(usernames(context)).toEqual([]);

      const sheet = await confirm(agent, csrf, payloadOf(preview.text)).expect(200);
      expect(sheet.headers['cache-control']).toBe('no-store');
      expect(sheet.text).toContain('Đã tạo 3 tài khoản');
      expect(sheet.text).toContain('http://localhost:3000/login');
      expect(sheet.text).toContain('Đổi mật khẩu ở lần đăng nhập đầu.');
      const slips = slipsOf(sheet.text);
      expect(slips.map((slip) => slip.username)).toEqual(['tnv.lan', 'tnv.minh', 'tnv.hoa']);

      const rows = context.db
        .prepare(
          `SELECT u.username, u.display_name, u.role, u.must_change_password, u.phone, u.password_hash, r.commune_code
             FROM users u JOIN user_reach r ON r.user_id = u.id WHERE u.username LIKE 'tnv.%' ORDER BY u.id`,
        )
        .all() as { username: string; password_hash: string }[];
      expect(rows.map(({ password_hash: _hash, ...row }) => row)).toEqual([
        {
          username: 'tnv.lan',
          display_name: 'Nguyễn Thị Lan',
          role: 'volunteer',
          must_change_password: 1,
          phone: '0905123456',
          commune_code: '23575',
        },
        {
          username: 'tnv.minh',
          display_name: 'Trần Văn Minh',
          role: 'volunteer',
          must_change_password: 1,
          phone: null,
          commune_code: '23575',
        },
        {
          username: 'tnv.hoa',
          display_name: 'Lê Thị Hoa',
          role: 'volunteer',
          must_change_password: 1,
          phone: null,
          commune_code: '23575',
        },
      ]);
      for (const [index, slip] of slips.entries()) {
        expect(await verifyPassword(slip.password, rows[index]!.password_hash)).toBe(true);
      }
      // Confirming the same list again creates nobody: the names are taken now.
      const again = await confirm(agent, csrf, payloadOf(preview.text)).expect(400);
      expect(unescapeHtml(again.text)).toContain('Chưa tạo tài khoản nào');
      expect(usernames(context)).toHaveLength(3);
    },
  );

  it('when an admin uploads an XLSX and chooses the role, then its lines are created with that role', async () => {
    const context = createTestContext();
    const { agent, csrf } = await context.loginAs('admin', 'quan.tri');
    const cell = (value: string | number | null) => (value === null ? null : { value });
    const xlsx = await writeXlsxFile(
      [
        ['Tên đăng nhập', 'Họ và tên', 'SĐT', 'Phạm vi'].map(cell),
        ['tnv.an', 'Phạm Văn An', 905123456, 'commune:23575;commune:23887'].map(cell),
        ['tnv.binh', 'Đỗ Thị Bình', null, '23575'].map(cell),
      ],
      { sheet: 'Danh sách' },
    ).toBuffer();

    const preview = await upload(agent, csrf, xlsx, 'ds.xlsx', { role: 'viewer' }).expect(200);
    expect(preview.text).toContain('Phường Pleiku (Gia Lai); Xã Chư Prông (Gia Lai)');
    expect(preview.text).toContain('0905123456');
    expect(preview.text).toContain('Chỉ xem');
    await confirm(agent, csrf, payloadOf(preview.text)).expect(200);
    expect(
      context.db.prepare("SELECT username, role, phone FROM users WHERE username LIKE 'tnv.%' ORDER BY id").all(),
    ).toEqual([
      { username: 'tnv.an', role: 'viewer', phone: '0905123456' },
      { username: 'tnv.binh', role: 'viewer', phone: null },
    ]);
    const anId = context.db.prepare("SELECT id FROM users WHERE username = 'tnv.an'").pluck().get();
    expect(context.db.prepare('SELECT commune_code FROM user_reach WHERE user_id = ?').pluck().all(anId)).toEqual([
      '23575',
      '23887',
    ]);
  });

  it(
    'when the payload sent to confirm was changed to a line outside the lead’s reach, then the confirmation ' +
      'is refused with the problem and nobody at all is created',
    async () => {
      const context = createTestContext();
      const { agent, csrf } = await context.loginAs('team_lead', 'totruong.pleiku', PLEIKU);
      const preview = await upload(agent, csrf, Buffer.from(GOOD_CSV), 'ds.csv', {
        default_reach: 'commune:23575',
      }).expect(200);
      const tampered = payloadOf(preview.text).replace('"reach":"commune:23575"', '"reach":"commune:23887"');
      const refused = await confirm(agent, csrf, tampered).expect(400);
      expect(unescapeHtml(refused.text)).toContain('Ngoài phạm vi của bạn: Xã Chư Prông (Gia Lai).');
      expect(usernames(context)).toEqual([]);

      const forged = await confirm(agent, csrf, '{"role":"volunteer","lines":"tnv.x"}').expect(400);
      expect(forged.text).toContain('Không đọc được danh sách đã xem trước');
      const promoted = payloadOf(preview.text).replace('"role":"volunteer"', '"role":"admin"');
      await confirm(agent, csrf, promoted).expect(403);
      expect(usernames(context)).toEqual([]);
    },
  );

  it('when the file is over 1 MB, then it is refused with 413 and a Vietnamese message', async () => {
    const context = createTestContext();
    const { agent, csrf } = await context.loginAs('admin', 'quan.tri');
    const big = Buffer.from(`username,name,reach\n${'tnv.x,X,commune:23575\n'.repeat(USER_LIST_MAX_BYTES / 20)}`);
    expect(big.length).toBeGreaterThan(USER_LIST_MAX_BYTES);
    const response = await upload(agent, csrf, big, 'ds.csv');
    expect(response.status).toBe(413);
    expect(response.text).toContain('Tệp lớn hơn 1 MB: hãy chia danh sách thành nhiều tệp nhỏ hơn.');
    expect(usernames(context)).toEqual([]);
  });

  it('when a team lead asks for another role than volunteer, then the list is refused with 403', async () => {
    const context = createTestContext();
    const { agent, csrf } = await context.loginAs('team_lead', 'totruong.pleiku', PLEIKU);
    const response = await upload(agent, csrf, Buffer.from(GOOD_CSV), 'ds.csv', { role: 'team_lead' }).expect(403);
    expect(response.text).toContain('Tổ trưởng chỉ cấp được vai trò tình nguyện viên.');
  });

  it('when the file is missing, unreadable or lacks a column, then the form says so next to the file', async () => {
    const context = createTestContext();
    const { agent, csrf } = await context.loginAs('admin', 'quan.tri');
    const none = await agent.post('/admin/users/import').field('_csrf', csrf).field('role', 'volunteer').expect(400);
    expect(none.text).toMatch(/id="f-user_list-error"[^>]*>Chọn tệp danh sách/);
    const cases: [Buffer, string][] = [
      [Buffer.from('Họ tên,Phạm vi\nLan,commune:23575\n'), 'Thiếu cột Tên đăng nhập ở dòng tiêu đề.'],
      [Buffer.from('username,name\n'), 'Tệp chỉ có dòng tiêu đề, chưa có người nào.'],
      [Buffer.from([0x75, 0x73, 0x65, 0x72, 0x2c, 0xe0, 0x0a]), 'Tệp CSV không ở mã UTF-8.'],
      [Buffer.from('PK\u0003\u0004 không phải zip'), 'Không đọc được tệp XLSX'],
    ];
    for (const [file, message] of cases) {
      const response = await upload(agent, csrf, file, 'ds.csv').expect(400);
      expect(response.text).toContain(message);
    }
  });
});

describe('reading a list', () => {
  it('when the header is in Vietnamese or English and in any order, then the columns are found', () => {
    const read = linesFromTable([
      ['', '', ''],
      ['PHẠM VI', 'Ho va ten', 'Username', 'Ghi chú'],
      ['commune:23575', 'Lan', 'tnv.lan', 'x'],
      ['', '', '', ''],
      ['xa:23887', 'Minh', 'tnv.minh', ''],
    ]);
    expect(read).toEqual({
      lines: [
        { line: 3, username: 'tnv.lan', displayName: 'Lan', phone: '', reach: 'commune:23575' },
        { line: 5, username: 'tnv.minh', displayName: 'Minh', phone: '', reach: 'xa:23887' },
      ],
      notes: ['Các cột không dùng đến: Ghi chú.'],
    });
  });

  it('when a CSV has more lines than allowed, then it is not read past the limit and says so', async () => {
    const csv = `username,name\n${'tnv.x,X\n'.repeat(10)}`;
    expect(await readTable({ bytes: Buffer.from(csv), maxRecords: 5 })).toEqual({
      ok: false,
      problem: 'Danh sách dài quá: tối đa 4 dòng mỗi lần (chưa kể dòng tiêu đề).',
    });
  });
});
