/**
 * The campaign-day bench (issue 16): how many volunteers (and a tenth as many leaders) one box holds at once.
 *
 * Builds the app, prepares the registry (bench/campaign-registry.ts: the national one, or a fresh demo with
 * --quick), starts the built server in production mode (NODE_ENV unset) on a free loopback port with the
 * event-loop probe loaded (bench/event-loop-probe.mjs), logs in a pool of 50 volunteers and 10 leaders once
 * each, then drives an open-loop load (bench/campaign-load.ts) in steps of a fixed duration: N doubles until a
 * step fails, then N is bisected. A step passes when every route's p99 < 500 ms, nothing failed, and every
 * acknowledged submit is in the database (read-only connection: writes acknowledged = writes found).
 *
 *   npm run bench:campaign                       (generates the national registry, ~several minutes)
 *   npm run bench:campaign -- --file PATH        (uses PATH, generating it if missing; it is migrated and the
 *                                                 bench's stalls and users are added to it: pass a copy)
 *   npm run bench:campaign -- --quick            (a fresh demo registry, 15 s steps, under 3 minutes)
 *   options: --duration S (per step; 60, quick 15) · --max N · --start N · --workers K (WEB_CONCURRENCY)
 *
 * The last line is always `max volunteers at p99<500ms: N`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
// The demo's seeded generator: the same run sends the same mix, so two runs differ by the server only.
import { mulberry32 } from '../src/demo/prng.js';
import { projectRoot } from '../src/paths.js';
import {
  BENCH_PASSWORD,
  generateNationalRegistry,
  prepareRegistry,
  type BenchUser,
  type Registry,
} from './campaign-registry.js';
import {
  keepAliveAgent,
  logIn,
  Mix,
  percentile,
  ROUTES,
  runStep,
  type Route,
  type Session,
  type StepResult,
} from './campaign-load.js';
import { freePort, temporaryDirectory } from './soak-support.js';

const P99_LIMIT_MS = 500;
/** --quick must finish in 3 minutes: steps stop being added when the next one would not fit. */
const QUICK_BUDGET_S = 170;
/** Between steps: the probes' tick (250 ms) twice over, so every process has written its window. */
const PROBE_SETTLE_MS = 700;
const WARM_UP_SECONDS = 4;
/** A /healthz answer this fast means the server has no backlog left. */
const QUIET_MS = 50;
/** What a step may cost beyond its duration: answers timing out (10 s), the probes, the quiet wait. */
const STEP_OVERHEAD_S = 12;
const WARM_UP_VOLUNTEERS = 200;

interface Options {
  readonly quick: boolean;
  readonly file: string | undefined;
  readonly duration: number;
  readonly max: number;
  readonly start: number;
  readonly workers: string | undefined;
}

function readOptions(): Options {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      file: { type: 'string' },
      duration: { type: 'string' },
      max: { type: 'string' },
      start: { type: 'string' },
      workers: { type: 'string' },
    },
  });
  const quick = values.quick ?? false;
  return {
    quick,
    file: values.file,
    duration: Number(values.duration ?? (quick ? 15 : 60)),
    max: Number(values.max ?? 32_000),
    start: Number(values.start ?? (quick ? 1_000 : 500)),
    workers: values.workers,
  };
}

const benchStarted = performance.now();
const elapsedSeconds = () => (performance.now() - benchStarted) / 1000;

function machineLine(when: string): string {
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  return `${when}: ${os.cpus().length} cores, load average ${load} (1, 5, 15 min), Node ${process.version}`;
}

/** The server runs from dist/, as `npm start` runs it: built first, so the bench measures today's code. */
function build(): void {
  const result = spawnSync('npm', ['run', '--silent', 'build'], { cwd: projectRoot, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('npm run build failed');
}

/** Which code the figures belong to: the commit, and whether the work tree had changes on top of it. */
function codeVersion(): string {
  const git = (...args: string[]) => spawnSync('git', args, { cwd: projectRoot, encoding: 'utf8' }).stdout.trim();
  const commit = git('rev-parse', '--short', 'HEAD') || 'unknown commit';
  return git('status', '--porcelain', '--untracked-files=no') ? `${commit} with local changes` : commit;
}

// ---------------------------------------------------------------------------------------------- the server

interface Server {
  readonly child: ChildProcess;
  readonly port: number;
  /** The server's stderr so far (its last 100 kB): the error handler logs every 500 there. */
  stderr(): string;
}

/**
 * `node dist/src/server.js` itself (no npm between, so SIGTERM reaches it), NODE_ENV removed (production), the
 * probe imported through NODE_OPTIONS so that cluster workers load it too; waits for /healthz.
 */
async function startServer(file: string, probeDir: string, workers: string | undefined): Promise<Server> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    DATABASE_PATH: file,
    PHOQR_ERASURE_JOURNAL: `${file}.erasures.jsonl`,
    PHOQR_SEED_DEMO: '0',
    PHOQR_BENCH_PROBE_DIR: probeDir,
    NODE_OPTIONS: [process.env.NODE_OPTIONS, `--import=${path.join(projectRoot, 'bench/event-loop-probe.mjs')}`]
      .filter(Boolean)
      .join(' '),
  };
  delete env.NODE_ENV;
  delete env.WEB_CONCURRENCY;
  delete env.BACKUP_DIR;
  if (workers !== undefined) env.WEB_CONCURRENCY = workers;
  const child = spawn(process.execPath, [path.join(projectRoot, 'dist/src/server.js')], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // Whatever ends the bench (an error, ^C, a closed pipe) ends its server too.
  process.on('exit', () => child.kill('SIGKILL'));
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-100_000)));
  const started = performance.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited while starting:\n${stderr}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      await response.arrayBuffer();
      if (response.ok) break;
    } catch {
      // Not listening yet (the national registry's snapshot takes a while to warm).
    }
    if (performance.now() - started > 300_000) throw new Error('the server did not answer /healthz in 5 minutes');
    await new Promise((resume) => setTimeout(resume, 100));
  }
  console.log(
    `server: pid ${child.pid}, port ${port}, ready in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
  return { child, port, stderr: () => stderr };
}

/**
 * After an overloaded step the server may still be working through requests the bench already gave up on:
 * the next step starts once /healthz answers quickly three times in a row (or after 20 s).
 */
async function waitForQuiet(port: number): Promise<void> {
  const until = performance.now() + 20_000;
  for (let quick = 0; quick < 3 && performance.now() < until;) {
    const started = performance.now();
    try {
      await (await fetch(`http://127.0.0.1:${port}/healthz`)).arrayBuffer();
      quick = performance.now() - started < QUIET_MS ? quick + 1 : 0;
    } catch {
      quick = 0;
    }
    await new Promise((resume) => setTimeout(resume, 200));
  }
}

async function stopServer(server: Server): Promise<void> {
  if (server.child.exitCode !== null) return;
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.kill('SIGTERM');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  server.child.kill('SIGKILL');
}

// ---------------------------------------------------------------------------------------------- measuring

interface LoopDelay {
  readonly processes: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

/** The step's event-loop delay: the worst serving process (the workers, or the one process without a cluster). */
function readProbes(probeDir: string, window: string): LoopDelay {
  const summaries = readdirSync(probeDir)
    .filter((name) => name.startsWith(`${window}-`) && name.endsWith('.json'))
    .map((name) => JSON.parse(readFileSync(path.join(probeDir, name), 'utf8')) as Record<string, number | string>);
  const workers = summaries.filter((s) => s.role === 'worker');
  const serving = workers.length > 0 ? workers : summaries;
  const worst = (key: string) => (serving.length ? Math.max(...serving.map((s) => Number(s[key]))) : NaN);
  return { processes: serving.length, p99Ms: worst('p99Ms'), maxMs: worst('maxMs') };
}

interface Writes {
  readonly acknowledged: number;
  readonly found: number;
  /** Acknowledged, yet not in the database under the id and label the answer gave. */
  readonly lost: number;
  /** Saved although their answer never came (a timeout): not lost, only unconfirmed. */
  readonly unconfirmed: number;
}

/** Every submit the server acknowledged, looked up in the file itself over a read-only connection. */
function checkWrites(file: string, result: StepResult, labelPrefix: string): Writes {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const byId = db.prepare('SELECT label FROM stalls WHERE id = ?').pluck();
    const lost = result.acknowledged.filter(({ stallId, label }) => byId.get(stallId) !== label).length;
    const found = db
      .prepare("SELECT count(*) FROM stalls WHERE label LIKE ? ESCAPE '\\'")
      .pluck()
      .get(`${labelPrefix.replace(/[%_\\]/g, '\\$&')}%`) as number;
    return {
      acknowledged: result.acknowledged.length,
      found,
      lost,
      unconfirmed: found - (result.acknowledged.length - lost),
    };
  } finally {
    db.close();
  }
}

interface Step {
  readonly result: StepResult;
  readonly loop: LoopDelay;
  readonly writes: Writes;
  readonly passed: boolean;
}

const p99Of = (result: StepResult, route: Route) => percentile(result.latencies.get(route)!, 99);
const totalErrors = (result: StepResult) => [...result.errors.values()].reduce((sum, count) => sum + count, 0);

function passed(result: StepResult, writes: Writes): boolean {
  // A route no arrival happened to pick (a few leaders in a short step) has nothing to be slow with.
  const slow = ROUTES.some((route) => result.latencies.get(route)!.length > 0 && p99Of(result, route) >= P99_LIMIT_MS);
  return !slow && totalErrors(result) === 0 && writes.lost === 0 && writes.found >= writes.acknowledged;
}

// ---------------------------------------------------------------------------------------------- printing

const SHORT: Record<Route, string> = {
  'POST /onboard/sites/:id': 'submit',
  'GET /onboard': 'onboard',
  'GET /sites/:id': 'site',
  'GET /sites': 'sites',
  'GET /': 'home',
  'GET /dashboard': 'dash',
};
const ms = (value: number) => (Number.isNaN(value) ? '-' : value.toFixed(0));

function printHeader(): void {
  console.log(
    '\n     N  lead  offer/s  answ/s |' +
      ROUTES.map((route) => (SHORT[route] ?? route).padStart(8)).join('') +
      ' (p99 ms) | errors  acked  found  lost | EL p99  max | bench: cores lag99',
  );
}

function printStep({ result, loop, writes, passed: ok }: Step, duration: number): void {
  const cells = [
    String(result.n).padStart(6),
    String(result.n / 10).padStart(5),
    Mix.rate(result.n).toFixed(0).padStart(8),
    result.answeredPerSecond.toFixed(0).padStart(7),
    '|' + ROUTES.map((route) => ms(p99Of(result, route)).padStart(8)).join('') + ' '.repeat(9),
    '|',
    String(totalErrors(result)).padStart(6),
    String(writes.acknowledged).padStart(6),
    String(writes.found).padStart(6),
    String(writes.lost).padStart(5),
    '|',
    ms(loop.p99Ms).padStart(6),
    ms(loop.maxMs).padStart(4),
    '|',
    result.clientCores.toFixed(2).padStart(12),
    ms(result.sendLagP99Ms).padStart(5),
    ok ? ' pass' : ' FAIL',
  ];
  console.log(cells.join(' '));
  if (result.seconds < duration - 1) console.log(`        stopped after ${result.seconds.toFixed(0)} s: failing`);
  for (const sample of result.errorSamples.slice(0, 3)) console.log(`        error: ${sample}`);
  if (writes.unconfirmed > 0) console.log(`        ${writes.unconfirmed} saved submits whose answer never came`);
}

/** The largest passing step in detail or, when none passed, the smallest one tried (what failed first). */
function printFound(best: Step | undefined, smallest: Step | undefined): void {
  const step = best ?? smallest;
  if (!step) return;
  const { result, loop } = step;
  const what = best ? 'Largest passing step' : 'No step passed; the smallest one tried';
  console.log(`\n${what}: ${result.n} volunteers + ${result.n / 10} leaders`);
  for (const route of ROUTES) {
    const list = result.latencies.get(route)!;
    const kb = list.length ? (result.bytes.get(route) ?? 0) / list.length / 1024 : NaN;
    const p50 = ms(percentile(list, 50)).padStart(4);
    const p99 = ms(percentile(list, 99)).padStart(4);
    const size = Number.isNaN(kb) ? '-' : kb.toFixed(1);
    console.log(
      `  ${route.padEnd(24)} ${String(list.length).padStart(6)} requests  p50 ${p50} ms  p99 ${p99} ms  ${size} KB`,
    );
  }
  const where = `${loop.processes} serving process(es)`;
  console.log(`  server event-loop delay p99 ${loop.p99Ms.toFixed(1)} ms, max ${loop.maxMs.toFixed(1)} ms (${where})`);
}

// ---------------------------------------------------------------------------------------------- the search

interface Bench {
  readonly agent: ReturnType<typeof keepAliveAgent>;
  readonly port: number;
  readonly mix: Mix;
  readonly options: Options;
  readonly probeDir: string;
  readonly registry: Registry;
}

/** Doubling, then bisecting (see nextN), one printed step at a time; --quick stops adding steps at its budget. */
async function searchLargestN(bench: Bench): Promise<{ best?: Step; smallest?: Step }> {
  const { options } = bench;
  let best: Step | undefined;
  let smallest: Step | undefined;
  let failedN = Infinity;
  let n: number | undefined = Math.min(options.start, options.max);
  for (let step = 1; n !== undefined; step++) {
    if (options.quick && elapsedSeconds() + options.duration + STEP_OVERHEAD_S > QUICK_BUDGET_S) break;
    const done = await measureStep({ ...bench, n, step });
    if (!smallest || n < smallest.result.n) smallest = done;
    printStep(done, options.duration);
    await waitForQuiet(bench.port);
    if (done.passed) best = done;
    else failedN = Math.min(failedN, n);
    const bestN = best?.result.n ?? 0;
    n = nextN(bestN, failedN, n, options.max);
    if (n !== undefined && failedN !== Infinity && n <= bestN) n = undefined;
  }
  return { best, smallest };
}

/** One step: the probes' window around the load, then the database asked for every acknowledged submit. */
async function measureStep(at: Bench & { n: number; step: number }): Promise<Step> {
  const control = path.join(at.probeDir, 'control');
  writeFileSync(control, `step-${at.step}`);
  const result = await runStep(at.agent, at.port, at.mix, at.n, at.step, at.options.duration, mulberry32(at.step));
  writeFileSync(control, `between-${at.step}`);
  await new Promise((resume) => setTimeout(resume, PROBE_SETTLE_MS));
  const writes = checkWrites(at.registry.file, result, `Tải ${at.mix.runTag}-${at.step}-`);
  return { result, loop: readProbes(at.probeDir, `step-${at.step}`), writes, passed: passed(result, writes) };
}

/** The next N to try: doubling until a failure, then halfway between the best pass and the first failure. */
function nextN(best: number, failed: number, last: number, max: number): number | undefined {
  const round = (n: number) => Math.max(10, Math.round(n / 10) * 10);
  if (failed === Infinity) return last >= max ? undefined : Math.min(max, round(last * 2));
  // Close enough: within a tenth (or 10 volunteers) the machine's noise is larger than the step.
  if (failed - best <= Math.max(10, best * 0.1)) return undefined;
  return round((best + failed) / 2);
}

async function openRegistryFile(options: Options): Promise<{ registry: Registry; remove(): void }> {
  if (options.quick) {
    // Always a new file: the demo is seeded only into an empty registry.
    const dir = temporaryDirectory('phoqr-campaign-');
    const registry = await prepareRegistry(path.join(dir.path, 'demo.sqlite'), { demo: true });
    return { registry, remove: () => dir.remove() };
  }
  const generated = options.file ? undefined : temporaryDirectory('phoqr-campaign-');
  const file = options.file ?? path.join(generated!.path, 'national.sqlite');
  if (!existsSync(file)) {
    console.log(`Generating the national registry into ${file}…`);
    generateNationalRegistry(file);
  }
  return { registry: await prepareRegistry(file, { demo: false }), remove: () => generated?.remove() };
}

async function logInPool(port: number, users: readonly BenchUser[]): Promise<Session[]> {
  const agent = keepAliveAgent();
  const sessions: Session[] = [];
  // One at a time: the server hashes each password, and logins are not what is measured.
  for (const user of users) sessions.push(await logIn(agent, port, user, BENCH_PASSWORD));
  agent.destroy();
  return sessions;
}

async function main(): Promise<void> {
  const options = readOptions();
  console.log(machineLine('start'));
  build();
  const { registry, remove } = await openRegistryFile(options);
  console.log(
    `registry: ${registry.file}: ${registry.sites} sites, ${registry.stalls} stalls; the day is in province ` +
      `${registry.province}; ${registry.volunteers.length} volunteer and ${registry.leaders.length} leader sessions`,
  );
  const probes = temporaryDirectory('phoqr-campaign-probe-');
  const server = await startServer(registry.file, probes.path, options.workers);
  let best: Step | undefined;
  try {
    const volunteers = await logInPool(server.port, registry.volunteers);
    const leaders = await logInPool(server.port, registry.leaders);
    const runTag = Date.now().toString(36);
    const accountPrefix = String(Math.floor(Date.now() / 1000) % 1_000_000).padStart(6, '0');
    const random = mulberry32(16);
    const mix = new Mix(volunteers, leaders, registry.province, runTag, accountPrefix, random);
    const agent = keepAliveAgent();

    // JIT, caches and the keep-alive sockets warm before the first measured step.
    await runStep(agent, server.port, mix, WARM_UP_VOLUNTEERS, 0, WARM_UP_SECONDS, random);
    await waitForQuiet(server.port);
    console.log(`warm-up: ${WARM_UP_SECONDS} s at ${WARM_UP_VOLUNTEERS} volunteers; each step ${options.duration} s`);
    printHeader();

    const found = await searchLargestN({ agent, port: server.port, mix, options, probeDir: probes.path, registry });
    best = found.best;
    agent.destroy();
    printFound(found.best, found.smallest);
    const errors = server.stderr().trim();
    if (errors) console.log(`\nserver stderr (last lines):\n${errors.split('\n').slice(-10).join('\n')}`);
  } finally {
    await stopServer(server);
    probes.remove();
    remove();
  }
  console.log(`\ntotal ${elapsedSeconds().toFixed(0)} s; the code measured: ${codeVersion()}`);
  console.log(machineLine('end'));
  console.log(`max volunteers at p99<${P99_LIMIT_MS}ms: ${best?.result.n ?? 0}`);
}

await main();
// The keep-alive sockets and the server's pipe must not keep the bench alive once the answer is printed.
process.exit(0);
