import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csrfFrom } from '../helpers/app.js';
import { call, cookiesOf, freePort, startServer, type RunningServer } from '../helpers/server-process.js';

const ADMIN_PASSWORD = 'mat-khau-cum-tien-trinh';

/** Logs the admin in over its own connections; the session cookie and its CSRF token. */
async function login(port: number): Promise<{ cookie: string; csrf: string; worker: string }> {
  const page = await call(port, 'GET', '/login');
  const answer = await call(port, 'POST', '/login', {
    cookie: cookiesOf(page),
    form: { _csrf: csrfFrom(page.body), username: 'admin', password: ADMIN_PASSWORD },
  });
  expect(answer.status).toBe(303);
  const cookie = cookiesOf(answer, cookiesOf(page));
  const home = await call(port, 'GET', '/', { cookie });
  expect(home.status).toBe(200);
  return { cookie, csrf: csrfFrom(home.body), worker: String(answer.headers['x-phoqr-worker']) };
}

/** The site's census as each worker answers it: asks until both have answered (connections go in turn). */
async function censusByWorker(port: number, cookie: string, siteId: number): Promise<Map<string, number>> {
  const seen = new Map<string, number>();
  for (let i = 0; i < 20 && seen.size < 2; i++) {
    const answer = await call(port, 'GET', `/api/v1/adoption?scope=site:${siteId}`, { cookie });
    expect(answer.status).toBe(200);
    const figures = (JSON.parse(answer.body) as { figures: { coverage: { census: number } } }).figures;
    seen.set(String(answer.headers['x-phoqr-worker']), figures.coverage.census);
  }
  return seen;
}

describe('npm start with WEB_CONCURRENCY=2 (two workers on one database file)', () => {
  let server: RunningServer;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'phoqr-cluster-'));
  const file = path.join(dir, 'phoqr.sqlite');

  beforeAll(async () => {
    server = await startServer({
      WEB_CONCURRENCY: '2',
      PORT: String(await freePort()),
      DATABASE_PATH: file,
      PHOQR_ADMIN_PASSWORD: ADMIN_PASSWORD,
      PHOQR_SEED_DEMO: '1',
      PHOQR_PASSWORD_COST: '1',
    });
  }, 120_000);

  afterAll(async () => {
    server?.child.kill('SIGTERM');
    await server?.exited;
    rmSync(dir, { recursive: true, force: true });
  });

  it('when it starts, then it says so once, with two workers', () => {
    expect(server.output().stdout).toContain('(2 tiến trình phục vụ)');
    expect(server.output().stdout.match(/đang chạy/g)).toHaveLength(1);
  });

  it(
    'when many logins and new stalls arrive at once through both workers, then every acknowledged one is ' +
      'saved and each worker’s figures show the other’s writes',
    async () => {
      const logins = await Promise.all(Array.from({ length: 12 }, () => login(server.port)));
      expect(new Set(logins.map((l) => l.worker))).toEqual(new Set(['1', '2']));

      const db = new Database(file, { readonly: true });
      try {
        const siteId = db.prepare('SELECT id FROM sites ORDER BY id LIMIT 1').pluck().get() as number;
        const before = await censusByWorker(server.port, logins[0]!.cookie, siteId);
        expect(before.size).toBe(2);
        const [censusBefore] = [...before.values()];
        expect(new Set(before.values()).size).toBe(1);

        // Each login adds stalls on its own session, all at once: the two workers write the one file together.
        const labels = logins.flatMap((_, i) => [`Cụm ${i}-a`, `Cụm ${i}-b`, `Cụm ${i}-c`]);
        const answers = await Promise.all(
          labels.map((label, i) => {
            const { cookie, csrf } = logins[i % logins.length]!;
            return call(server.port, 'POST', `/sites/${siteId}/stalls`, {
              cookie,
              form: { _csrf: csrf, label, goods_category: 'rau_cu' },
            });
          }),
        );
        expect(answers.map((a) => a.status)).toEqual(labels.map(() => 303));
        expect(new Set(answers.map((a) => String(a.headers['x-phoqr-worker'])))).toEqual(new Set(['1', '2']));

        const saved = db
          .prepare(`SELECT label FROM stalls WHERE site_id = ? AND label LIKE 'Cụm %'`)
          .pluck()
          .all(siteId) as string[];
        expect(saved.sort()).toEqual([...labels].sort());
        const admin = db.prepare("SELECT id FROM users WHERE username = 'admin'").pluck().get();
        expect(db.prepare('SELECT count(*) FROM sessions WHERE user_id = ?').pluck().get(admin)).toBe(logins.length);

        const after = await censusByWorker(server.port, logins[0]!.cookie, siteId);
        expect(Object.fromEntries(after)).toEqual({
          1: censusBefore! + labels.length,
          2: censusBefore! + labels.length,
        });
      } finally {
        db.close();
      }
    },
    120_000,
  );

  it('when a worker dies, then the primary starts another that serves', async () => {
    const stdoutBefore = server.output().stderr.length;
    const answer = await call(server.port, 'GET', '/healthz');
    // No answer carries a worker's pid: take one from the OS's list of the primary's children (tsx may have an
    // esbuild child there too).
    const { execFileSync } = await import('node:child_process');
    const children = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(server.child.pid)])
      .toString()
      .split('\n')
      .filter((line) => line.includes('server.ts'))
      .map((line) => line.trim().split(/\s+/)[0]);
    expect(answer.status).toBe(200);
    expect(children).toHaveLength(2);
    process.kill(Number(children[0]), 'SIGKILL');
    let restarted = false;
    for (let i = 0; i < 100 && !restarted; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      restarted = /Tiến trình phục vụ \d+ dừng bất ngờ \(tín hiệu SIGKILL\)/.test(
        server.output().stderr.slice(stdoutBefore),
      );
    }
    expect(restarted).toBe(true);
    // Whichever worker answers, the service goes on; a third worker id appears once the new one listens.
    const workers = new Set<string>();
    for (let i = 0; i < 100 && !workers.has('3'); i++) {
      const health = await call(server.port, 'GET', '/healthz');
      expect(health.status).toBe(200);
      workers.add(String(health.headers['x-phoqr-worker']));
      if (!workers.has('3')) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(workers.has('3')).toBe(true);
  }, 60_000);

  it('when the primary gets SIGTERM, then the workers stop and it exits 0', async () => {
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
  }, 30_000);
});
