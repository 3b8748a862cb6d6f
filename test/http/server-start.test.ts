import { writeFileSync, mkdirSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { call, freePort, runServer, startServer } from '../helpers/server-process.js';
import { tempDir } from '../helpers/temp-dir.js';

/** What every failed start must look like: exit 1, a Vietnamese reason on stderr, never "đang chạy". */
function expectLoudFailure(result: { code: number | null; stdout: string; stderr: string }, reason: string | RegExp) {
  expect(result.code).toBe(1);
  expect(result.stderr).toMatch(typeof reason === 'string' ? new RegExp(escape(reason)) : reason);
  expect(result.stderr.split('\n')[0]).toMatch(/^Không khởi động được: /);
  expect(result.stdout).not.toContain('đang chạy');
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

describe('starting the server', () => {
  it('when the port is already in use, then it says so in Vietnamese and exits 1, never "đang chạy"', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '0.0.0.0', resolve));
    const port = (blocker.address() as AddressInfo).port;
    try {
      const result = await runServer({
        PORT: String(port),
        DATABASE_PATH: path.join(tempDir('server-start'), 'phoqr.sqlite'),
        PHOQR_ADMIN_PASSWORD: 'mat-khau-khoi-dong-thu',
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`Không khởi động được: cổng ${port} đang được một chương trình khác dùng`);
      expect(result.stdout).not.toContain('đang chạy');
    } finally {
      blocker.close();
    }
  });

  it('when DATABASE_PATH is a directory, then it says the file cannot be opened and exits 1', async () => {
    const dir = path.join(tempDir('server-start'), 'phoqr.sqlite');
    mkdirSync(dir);
    expectLoudFailure(await runServer({ DATABASE_PATH: dir }), `không mở được tệp cơ sở dữ liệu ${dir}`);
  });

  it('when DATABASE_PATH is a file of random bytes, then it says it is not a database and exits 1', async () => {
    const file = path.join(tempDir('server-start'), 'phoqr.sqlite');
    writeFileSync(file, Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 7919 + 13) % 256)));
    expectLoudFailure(await runServer({ DATABASE_PATH: file }), `tệp ${file} không phải cơ sở dữ liệu của Phố QR`);
  });

  it('when part of DATABASE_PATH is a file, then it says the directory cannot be made and exits 1', async () => {
    const blocker = path.join(tempDir('server-start'), 'not-a-dir');
    writeFileSync(blocker, 'x');
    const file = path.join(blocker, 'phoqr.sqlite');
    expectLoudFailure(await runServer({ DATABASE_PATH: file }), `không tạo được thư mục cho ${file}`);
  });

  it('when the database is from a newer version of Phố QR, then it asks for an update and exits 1', async () => {
    const file = path.join(tempDir('server-start'), 'phoqr.sqlite');
    const db = new Database(file);
    db.pragma('user_version = 9999');
    db.close();
    expectLoudFailure(await runServer({ DATABASE_PATH: file }), /phiên bản 9999, mới hơn mã nguồn/);
  });

  it.each([
    ['WEB_CONCURRENCY', '0', 'WEB_CONCURRENCY phải trong khoảng 1–256, nhận được 0'],
    ['WEB_CONCURRENCY', 'abc', 'WEB_CONCURRENCY phải là số nguyên, nhận được "abc"'],
    ['WEB_CONCURRENCY', '1.5', 'WEB_CONCURRENCY phải là số nguyên, nhận được "1.5"'],
    ['PORT', 'tám nghìn', 'PORT phải là số nguyên'],
    ['PHOQR_SEED_DEMO', 'false', 'PHOQR_SEED_DEMO phải là 1 (nạp dữ liệu mẫu) hoặc 0'],
    ['PUBLIC_BASE_URL', 'ftp://phoqr.vn', 'PUBLIC_BASE_URL phải là địa chỉ http:// hoặc https://'],
    ['BACKUP_KEEP', '7', 'BACKUP_KEEP chỉ có tác dụng khi có BACKUP_DIR'],
    ['TRUST_PROXY', 'true', 'TRUST_PROXY=true tin mọi địa chỉ'],
  ])('when %s is "%s", then it names the setting in Vietnamese and exits 1', async (name, value, reason) => {
    const dir = tempDir('server-start');
    expectLoudFailure(await runServer({ DATABASE_PATH: path.join(dir, 'phoqr.sqlite'), [name]: value }), reason);
  });

  it('when WEB_CONCURRENCY is 1, then one worker serves and SIGTERM stops it with exit 0', async () => {
    const server = await startServer({
      WEB_CONCURRENCY: '1',
      PORT: String(await freePort()),
      DATABASE_PATH: path.join(tempDir('server-start'), 'phoqr.sqlite'),
      PHOQR_ADMIN_PASSWORD: 'mat-khau-khoi-dong-thu',
    });
    try {
      expect(server.output().stdout).toContain('(1 tiến trình phục vụ)');
      const health = await call(server.port, 'GET', '/healthz');
      expect(health.status).toBe(200);
      expect(health.headers['x-phoqr-worker']).toBe('1');
    } finally {
      server.child.kill('SIGTERM');
    }
    expect(await server.exited).toBe(0);
  });
});
