/**
 * `npm run bench:search`: every search box of the app, with the longest query it accepts (a 1,100-word query
 * cut to its first six words, as the pages do) and with short common ones, on the national bench registry of
 * bench/adoption-bench.ts (1,000,000 stalls, 10,000 sites, 3,321 communes), through the app's own services
 * as an administrator (whole country: the widest search). Prints the median of several runs per query;
 * the goal is "well under 50 ms" (issue 13) on a quiet machine, so the load average is printed too.
 *
 * Options: --file PATH reuses a registry built by `npm run bench:adoption -- --file PATH` (built here with
 * --generate-only when missing; a temporary file otherwise, removed afterwards).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Actor } from '../src/actor.js';
import { buildApp } from '../src/app.js';
import { systemClock } from '../src/clock.js';
import { testConfig } from '../src/config.js';
import { sqliteDataAccess } from '../src/db/data-access.js';
import { openDatabase } from '../src/db/database.js';
import { loadMigrations, migrate } from '../src/db/migrate.js';
import { migrationsDir, projectRoot } from '../src/paths.js';
import { searchQuery } from '../src/text/search-query.js';
import { WHOLE_COUNTRY } from '../src/vocabulary/reach.js';

const RUNS = 9;
const GOAL_MS = 50;
const args = process.argv.slice(2);
const fileArg = args.includes('--file') ? args[args.indexOf('--file') + 1] : undefined;
const file = fileArg ?? path.join(os.tmpdir(), `phoqr-search-bench-${process.pid}.sqlite`);

const HUGE = Array.from({ length: 1100 }, (_, i) => String.fromCharCode(97 + (i % 26))).join(' ');

async function median(work: () => Promise<unknown>): Promise<number> {
  await work();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await work();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

async function main(): Promise<void> {
  if (!existsSync(file)) {
    console.log(`Building the national registry in ${file} (bench/adoption-bench.ts --generate-only)…`);
    const built = spawnSync(
      process.execPath,
      ['--import', 'tsx', path.join(projectRoot, 'bench/adoption-bench.ts'), '--file', file, '--generate-only'],
      { stdio: 'inherit', cwd: projectRoot },
    );
    if (built.status !== 0) throw new Error('the registry could not be built');
  }
  const db = openDatabase(file);
  migrate(db, loadMigrations(migrationsDir));
  const { services } = buildApp({ data: sqliteDataAccess(db), config: testConfig(), clock: systemClock });
  // As the server does at start: users of a registry from before the search key get theirs.
  await services.users.fillSearchKeys();
  const admin: Actor = { id: 1, role: 'admin', reach: WHOLE_COUNTRY };
  const biggestSite = db
    .prepare('SELECT site_id FROM stalls GROUP BY site_id ORDER BY count(*) DESC LIMIT 1')
    .pluck()
    .get() as number;
  const stallsThere = db.prepare('SELECT count(*) FROM stalls WHERE site_id = ?').pluck().get(biggestSite) as number;
  const capped = searchQuery(HUGE).text;

  const cases: { name: string; work: () => Promise<unknown> }[] = [];
  for (const [label, q] of [
    ['1,100 words, cut to 6', capped],
    ['"pleiku"', 'pleiku'],
    ['"phuong"', 'phuong'],
  ] as const) {
    cases.push({
      name: `commune picker /api/v1/communes, ${label}`,
      work: () => services.adminUnits.searchCommunesFor(admin, q, undefined, 20),
    });
  }
  for (const [label, q] of [
    ['1,100 words, cut to 6', capped],
    ['"cho"', 'cho'],
  ] as const) {
    cases.push({ name: `site list /sites?q=, ${label}`, work: () => services.sites.listSites(admin, { query: q }) });
    cases.push({
      name: `onboarding site picker /onboard?q=, ${label}`,
      work: () => services.onboarding.pickSite(admin, q),
    });
    cases.push({
      name: `stall search on the biggest site (${stallsThere} stalls), ${label}`,
      work: () => services.stalls.listForSite(admin, biggestSite, { query: q }),
    });
  }
  for (const [label, q] of [
    ['1,100 words, cut to 6', capped],
    ['"nguyen"', 'nguyen'],
  ] as const) {
    cases.push({
      name: `user list /admin/users?q=, ${label}`,
      work: () => services.adminUsers.list(admin, { query: q, queryCut: false, lockedOnly: false, page: 1 }),
    });
  }

  console.log(
    `Search benchmark — ${os.cpus().length} cores, load ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}, ` + `${db.prepare('SELECT count(*) FROM stalls').pluck().get()} stalls; median of ${RUNS} runs\n`,
  );
  let worst = 0;
  for (const { name, work } of cases) {
    const ms = await median(work);
    worst = Math.max(worst, ms);
    console.log(`${ms.toFixed(1).padStart(8)} ms  ${ms < GOAL_MS ? '   ' : ' ! '} ${name}`);
  }
  console.log(`\nslowest: ${worst.toFixed(1)} ms (goal: well under ${GOAL_MS} ms on a quiet machine)`);
  db.close();
  if (!fileArg) for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
}

await main();
