/**
 * `npm run bench:pdf`: PDFs at the floor, and off the event loop.
 *
 * 1. CPU per single-sticker PDF (process.cpuUsage, median of many) — goal ≤ 6 ms on a quiet machine.
 * 2. Over HTTP, side by side: the real sticker route (the built app in production mode, a logged-in admin,
 *    POST /stalls/:id/sticker of a demo stall) and a bare express route (the same sticker renderer and its one
 *    parsed font, no session, no database) — throughput ratio goal ≥ 0.8×, rounds alternated.
 * 3. The province meeting report with 4 asked at once: event-loop delay p99 (monitorEventLoopDelay) drawn on
 *    the main thread (before) and through the document pool (after); and over HTTP, the report route's p99
 *    with 4 leaders at once and /healthz's p99 meanwhile (what everybody else waits).
 * 4. A 500-sticker batch (8 per A4 sheet): the event-loop delay while it renders.
 *
 * Every result is printed with the machine's load (os.loadavg()): absolute goals are for a quiet machine.
 * `--quick` shortens every phase. `node --import tsx bench/pdf-bench.ts --bare PORT` is the bare server alone.
 */
import { spawn } from 'node:child_process';
import { loadavg, availableParallelism } from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import express from 'express';
import { buildApp } from '../src/app.js';
import { vietnamDate } from '../src/calendar/calendar.js';
import { systemClock } from '../src/clock.js';
import { DEFAULT_DOCUMENT_POOL, testConfig } from '../src/config.js';
import { sqliteDataAccess } from '../src/db/data-access.js';
import { openDatabase } from '../src/db/database.js';
import { dashboardTrendInput } from '../src/dashboard/trend-chart.js';
import { renderAdoptionReport } from '../src/reports/render-adoption-report.js';
import { renderStickers, renderStickersToBuffer } from '../src/sticker-pdf/index.js';
import type { StickerData } from '../src/sticker-pdf/index.js';
import { encode } from '../src/vietqr/index.js';
import { WHOLE_COUNTRY } from '../src/vocabulary/reach.js';
import { createDocumentPool, type ReportRenderInput } from '../src/workers/document-pool.js';
import { Client, freePort, startServer, temporaryDirectory } from './soak-support.js';

const QUICK = process.argv.includes('--quick');
const ADMIN_PASSWORD = 'Pho-QR-pdf-bench-2026!';

/** A realistic Chợ Hoa Lư sticker (the shape the app prints), fixed so every run draws the same. */
const STICKER: StickerData = {
  payload: encode({ bin: '970418', account: '1100123456700', service: 'account', initiation: 'static' }),
  accountNumber: '1100123456700',
  holderName: 'NGUYEN THI KIM DUNG',
  bankShortName: 'BIDV',
  bankName: 'Ngân hàng TMCP Đầu tư và Phát triển Việt Nam',
  stallLabel: 'Sạp 12 – Dãy B',
  businessName: 'Tạp hóa Kim Dung – Đặc sản Pleiku',
  siteName: 'Chợ Hoa Lư',
  serial: '52-23575-000123',
  verificationCode: '7KQ2M9',
  verificationUrl: 'https://phoqr.example/v/7KQ2M9',
  helpLine: 'Hỗ trợ: Đoàn phường Pleiku 0269 3824 567',
};

function load(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
}

const ms = (value: number) => `${value.toFixed(2)} ms`;

// ---------------------------------------------------------------------------------------------------------
// 1. CPU per single sticker

async function stickerCpu(): Promise<{ median: number; p90: number; iterations: number }> {
  const warmUp = QUICK ? 20 : 50;
  const iterations = QUICK ? 100 : 400;
  const samples: number[] = [];
  for (let i = 0; i < warmUp + iterations; i++) {
    const before = process.cpuUsage();
    await renderStickersToBuffer([STICKER], 'a6');
    const spent = process.cpuUsage(before);
    if (i >= warmUp) samples.push((spent.user + spent.system) / 1000);
  }
  samples.sort((a, b) => a - b);
  return { median: quantile(samples, 0.5), p90: quantile(samples, 0.9), iterations };
}

// ---------------------------------------------------------------------------------------------------------
// 2. The sticker route beside a bare route

/** The bare route: express, the same renderer and parsed font, nothing else. */
function serveBare(port: number): void {
  const app = express();
  app.post('/sticker', async (_req, res) => {
    res.type('application/pdf');
    res.attachment('tem.pdf');
    await renderStickers([STICKER], 'a6', res);
  });
  app.get('/healthz', (_req, res) => res.send('ok'));
  app.listen(port, '127.0.0.1');
}

async function startBare(port: number): Promise<() => void> {
  const self = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, ['--import', 'tsx', self, '--bare', String(port)], {
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  for (let tries = 0; ; tries++) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      await response.arrayBuffer();
      if (response.ok) break;
    } catch {
      if (tries > 600) throw new Error('the bare server did not start');
    }
    await new Promise((resume) => setTimeout(resume, 50));
  }
  return () => child.kill('SIGKILL');
}

interface LoadResult {
  readonly requests: number;
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly errors: number;
}

/** `concurrency` clients, each sending its next request when the last is answered, for `seconds`. */
async function closedLoop(
  concurrency: number,
  seconds: number,
  send: () => Promise<Response>,
  isGood: (response: Response, body: ArrayBuffer) => boolean,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  const until = performance.now() + seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < until) {
        const t = performance.now();
        const response = await send();
        const body = await response.arrayBuffer();
        latencies.push(performance.now() - t);
        if (!isGood(response, body)) errors++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    perSecond: latencies.length / elapsed,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    errors,
  };
}

const isPdf = (response: Response, body: ArrayBuffer) =>
  response.status === 200 &&
  response.headers.get('content-type') === 'application/pdf' &&
  Buffer.from(body.slice(0, 5)).toString() === '%PDF-';

function printLoad(name: string, result: LoadResult): void {
  console.log(
    `  ${name.padEnd(34)} ${result.perSecond.toFixed(1).padStart(7)}/s  p50 ${ms(result.p50).padStart(10)}  ` +
      `p99 ${ms(result.p99).padStart(10)}  ${result.requests} requests, ${result.errors} errors  (load ${load()})`,
  );
}

async function firstPrintableStall(admin: Client, csrf: string): Promise<number> {
  for (let id = 1; id <= 500; id++) {
    const response = await admin.request(`/stalls/${id}/sticker`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, format: 'a6' }),
    });
    const body = await response.arrayBuffer();
    if (isPdf(response, body)) return id;
  }
  throw new Error('no demo stall prints a sticker');
}

// ---------------------------------------------------------------------------------------------------------
// 3. Reports and the event loop

interface LoopDelay {
  readonly p99: number;
  readonly max: number;
}

async function withLoopDelay<T>(work: () => Promise<T>): Promise<{ result: T; delay: LoopDelay }> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  // Its first tick only sets the baseline: let it pass before the work, or a first stall is not seen.
  await new Promise((resume) => setTimeout(resume, 5));
  const result = await work();
  // A stretch that never let the loop turn is recorded when the loop next turns: give it that turn.
  await new Promise((resume) => setTimeout(resume, 5));
  histogram.disable();
  return { result, delay: { p99: histogram.percentile(99) / 1e6, max: histogram.max / 1e6 } };
}

async function reportInputFrom(databaseFile: string): Promise<ReportRenderInput> {
  const data = sqliteDataAccess(openDatabase(databaseFile));
  const { services } = buildApp({ data, config: testConfig({ databasePath: databaseFile }), clock: systemClock });
  const asOf = vietnamDate(new Date());
  const dashboard = await services.adoption.dashboard(WHOLE_COUNTRY, { kind: 'province', code: '52' }, asOf);
  await services.documents.close();
  return {
    dashboard,
    chart: dashboardTrendInput(dashboard),
    generatedAt: '10:00 22/11/2026',
    fullTableUrl: 'http://localhost:3000/dashboard/table.xlsx?scope=province%3A52',
  };
}

async function reportsAtOnce(input: ReportRenderInput): Promise<void> {
  const rounds = QUICK ? 3 : 10;
  const now = new Date();
  // Warm both paths (fonts, JIT, the pool's thread) before measuring.
  await renderAdoptionReport(input, now);
  const pool = createDocumentPool({ ...DEFAULT_DOCUMENT_POOL });
  await pool.adoptionReport(input, now);

  // The event loop is busy with nothing else: a timer every millisecond stands for the other requests.
  const ticker = setInterval(() => undefined, 1);
  const before = await withLoopDelay(async () => {
    const t = performance.now();
    for (let i = 0; i < rounds; i++) await Promise.all([1, 2, 3, 4].map(() => renderAdoptionReport(input, now)));
    return (performance.now() - t) / rounds;
  });
  const after = await withLoopDelay(async () => {
    const t = performance.now();
    for (let i = 0; i < rounds; i++) await Promise.all([1, 2, 3, 4].map(() => pool.adoptionReport(input, now)));
    return (performance.now() - t) / rounds;
  });
  clearInterval(ticker);
  await pool.close();
  console.log(`  4 reports at once, ${rounds} rounds, pool of ${DEFAULT_DOCUMENT_POOL.threads} thread(s):`);
  console.log(
    `    on the main thread (before):   event-loop delay p99 ${ms(before.delay.p99)}, max ${ms(before.delay.max)}; ` +
      `4 reports in ${ms(before.result)}  (load ${load()})`,
  );
  console.log(
    `    through the pool (after):      event-loop delay p99 ${ms(after.delay.p99)}, max ${ms(after.delay.max)}; ` +
      `4 reports in ${ms(after.result)}  (goal p99 ≤ 20 ms)  (load ${load()})`,
  );
}

async function batchLoopDelay(): Promise<void> {
  const count = 500;
  const batch = Array.from({ length: count }, (_, i) => ({
    ...STICKER,
    serial: `52-23575-${String(i + 1).padStart(6, '0')}`,
    stallLabel: `Sạp ${i + 1}`,
  }));
  const sink = new Writable({ write: (_chunk, _encoding, callback) => callback() });
  const ticker = setInterval(() => undefined, 1);
  const { result, delay } = await withLoopDelay(async () => {
    const t = performance.now();
    await renderStickers(batch, 'a4-8', sink);
    return performance.now() - t;
  });
  clearInterval(ticker);
  console.log(
    `  ${count} stickers, 8 per A4 sheet, in ${ms(result)}: event-loop delay p99 ${ms(delay.p99)}, ` +
      `max ${ms(delay.max)}  (goal ≤ 20 ms)  (load ${load()})`,
  );
}

// ---------------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  console.log(`bench:pdf on ${availableParallelism()} cores, load ${load()}${QUICK ? ' (quick)' : ''}`);

  console.log('\n1. CPU per single-sticker PDF (A6, in process)');
  const cpu = await stickerCpu();
  console.log(
    `  median ${ms(cpu.median)}, p90 ${ms(cpu.p90)} over ${cpu.iterations} PDFs  (goal ≤ 6 ms quiet)  (load ${load()})`,
  );

  console.log('\n2. Over HTTP: the sticker route beside a bare route (4 clients, closed loop)');
  const temporary = temporaryDirectory('phoqr-pdf-bench-');
  const databaseFile = path.join(temporary.path, 'bench.sqlite');
  const appPort = await freePort();
  const server = await startServer({
    PORT: String(appPort),
    DATABASE_PATH: databaseFile,
    PHOQR_ADMIN_PASSWORD: ADMIN_PASSWORD,
  });
  const barePort = await freePort();
  const stopBare = await startBare(barePort);
  const admin = new Client(`http://127.0.0.1:${appPort}`);
  const csrf = await admin.login('admin', ADMIN_PASSWORD);
  const stallId = await firstPrintableStall(admin, csrf);
  const sticker = () =>
    admin.request(`/stalls/${stallId}/sticker`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, format: 'a6' }),
    });
  const bare = () => fetch(`http://127.0.0.1:${barePort}/sticker`, { method: 'POST' });
  const seconds = QUICK ? 3 : 8;
  await closedLoop(4, 1, sticker, isPdf);
  await closedLoop(4, 1, bare, isPdf);
  const rounds: { app: LoadResult; bare: LoadResult }[] = [];
  for (let round = 0; round < 2; round++) {
    const appRound = await closedLoop(4, seconds, sticker, isPdf);
    printLoad(`app POST /stalls/${stallId}/sticker`, appRound);
    const bareRound = await closedLoop(4, seconds, bare, isPdf);
    printLoad('bare POST /sticker', bareRound);
    rounds.push({ app: appRound, bare: bareRound });
  }
  const appRate = rounds.reduce((sum, r) => sum + r.app.perSecond, 0);
  const bareRate = rounds.reduce((sum, r) => sum + r.bare.perSecond, 0);
  console.log(`  sticker route ÷ bare route: ${(appRate / bareRate).toFixed(2)}×  (goal ≥ 0.8×)`);
  stopBare();

  console.log('\n3. The province meeting report (Gia Lai, demo registry)');
  // Over HTTP first: 4 leaders asking at once, while a fifth client checks /healthz.
  const report = () => admin.request('/dashboard/report.pdf?scope=province:52');
  await report().then((r) => r.arrayBuffer());
  let checking = true;
  const health: number[] = [];
  const checker = (async () => {
    while (checking) {
      const t = performance.now();
      await (await fetch(`http://127.0.0.1:${appPort}/healthz`)).arrayBuffer();
      health.push(performance.now() - t);
      await new Promise((resume) => setTimeout(resume, 5));
    }
  })();
  const reports = await closedLoop(4, seconds, report, isPdf);
  checking = false;
  await checker;
  health.sort((a, b) => a - b);
  printLoad('app GET /dashboard/report.pdf', reports);
  console.log(`  /healthz meanwhile: p50 ${ms(quantile(health, 0.5))}, p99 ${ms(quantile(health, 0.99))}`);
  server.child.kill('SIGTERM');
  await server.exited();

  await reportsAtOnce(await reportInputFrom(databaseFile));

  console.log('\n4. A sticker batch and the event loop');
  await batchLoopDelay();
  temporary.remove();
}

const bareAt = process.argv.indexOf('--bare');
if (bareAt >= 0) serveBare(Number(process.argv[bareAt + 1]));
else
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
