/**
 * `npm run bench:adoption`: the adoption engine on a national registry of 1,000,000 stalls in 3,321
 * communes, whose province Gia Lai (52, 135 communes) is province-sized: 2,000 sites and 200,000 stalls.
 * Two years of status history, visits with follow-ups, bank accounts and stickers, generated into a
 * temporary SQLite file (schema by the real migration runner), then timed:
 *   - the province dashboard (figures today and a week ago, its communes, a 12-week trend) — goal < 10 ms;
 *   - the national rollup (figures and the 34 provinces) — goal < 30 ms;
 *   - data quality of the province — goal < 50 ms; the first figures after 1,000 writes — goal < 20 ms;
 *   - as-of-date queries, the trend and volunteer activity on their own (no goal);
 * each the median of several runs, each run with a fresh service (no cached tallies; the in-memory
 * snapshot, built once and timed separately, is shared as in the app). Every timed answer is compared with
 * the naive recount of test/adoption/naive-recount.ts over the raw rows.
 *
 * One registry, not two: the province is part of the national one, so the province dashboard is timed in a
 * database five times its size. Options: --keep keeps the database file; --file PATH uses (and reuses) PATH;
 * --generate-only builds the file and stops (the search bench's registry).
 */
import { existsSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { createAdoptionService, type AdoptionService } from '../src/adoption/adoption-service.js';
import { createAdoption, type Adoption } from '../src/adoption/create-adoption.js';
import type { AdoptionScope } from '../src/adoption/adoption-types.js';
import { addDays } from '../src/calendar/calendar.js';
import { sqliteDataAccess } from '../src/db/data-access.js';
import { openDatabase, type Db } from '../src/db/database.js';
import { loadMigrations, migrate } from '../src/db/migrate.js';
import { dashboardTrendInput } from '../src/dashboard/trend-chart.js';
import { createRng, type Rng } from '../src/demo/prng.js';
import { migrationsDir } from '../src/paths.js';
import { renderAdoptionReport } from '../src/reports/render-adoption-report.js';
import {
  REFUSAL_REASONS,
  STALL_STATUSES,
  type RefusalReason,
  type StallStatus,
} from '../src/vocabulary/stall-status.js';
import {
  naiveActivity,
  naiveChildren,
  naiveDataQuality,
  naiveFigures,
  naiveTrend,
  streamRaw,
  type RawRegistry,
} from '../test/adoption/naive-recount.js';
import { WHOLE_COUNTRY } from '../src/vocabulary/reach.js';
import { foldForSearch } from '../src/text/fold.js';

const NOW_MS = Date.parse('2026-11-22T03:00:00.000Z');
const TODAY = '2026-11-22';
const DAY = 86_400_000;
const HISTORY_DAYS = 730;
const START_MS = NOW_MS - HISTORY_DAYS * DAY;
const PROVINCE = '52';
const PROVINCE_SITES = 2_000;
const PROVINCE_STALLS = 200_000;
const NATIONAL_SITES = 10_000;
const NATIONAL_STALLS = 1_000_000;
const RUNS = 7;

const args = process.argv.slice(2);
const keep = args.includes('--keep');
/** Only build the registry file (for bench/search-bench.ts), then stop. */
const generateOnly = args.includes('--generate-only');
const fileArg = args.includes('--file') ? args[args.indexOf('--file') + 1] : undefined;
const file = fileArg ?? path.join(os.tmpdir(), `phoqr-adoption-bench-${process.pid}.sqlite`);

const status = (s: StallStatus) => STALL_STATUSES.indexOf(s);
const iso = (ms: number) => new Date(ms).toISOString();
const dateOf = (ms: number) => iso(ms + 7 * 3_600_000).slice(0, 10);

// ---------------------------------------------------------------------------------------------- generation

/** Growable typed columns. */
class Rows {
  n = 0;
  cols: Float64Array[];
  constructor(readonly width: number) {
    this.cols = Array.from({ length: width }, () => new Float64Array(1 << 20));
  }
  push(...values: number[]): void {
    if (this.n === this.cols[0]!.length) {
      this.cols = this.cols.map((col) => {
        const next = new Float64Array(col.length * 2);
        next.set(col);
        return next;
      });
    }
    for (let c = 0; c < this.width; c++) this.cols[c]![this.n] = values[c]!;
    this.n++;
  }
  /** Row indexes by column `c` (time), ties in insertion order. */
  orderBy(c: number): Uint32Array {
    const key = this.cols[c]!;
    const order = new Uint32Array(this.n);
    for (let i = 0; i < this.n; i++) order[i] = i;
    return order.sort((a, b) => key[a]! - key[b]! || a - b);
  }
}

const VISIT_ACTIONS = ['onboarded', 'installed', 'refused', 'follow_up'] as const;
const STICKERS = ['yes', 'no', 'replaced'] as const;
const BINS = ['970436', '970415', '970418', '970405', '970422', '970407', '970416', '970432', '970423', '970403'];

function generate(db: Db): void {
  const rng = createRng(20261122);
  const communes = db.prepare('SELECT code, province_code FROM communes ORDER BY code').all() as {
    code: string;
    province_code: string;
  }[];
  const inProvince = communes.filter((c) => c.province_code === PROVINCE);
  const elsewhere = communes.filter((c) => c.province_code !== PROVINCE);
  if (inProvince.length !== 135 || communes.length !== 3321) throw new Error('unexpected administrative units');

  // Sites: most communes run one or more; sizes by kind, scaled so the totals are exact.
  interface SitePlan {
    id: number;
    commune: string;
    province: string;
    kind: 'street' | 'market' | 'trade_centre';
    stalls: number;
    launch: number;
  }
  const sites: SitePlan[] = [];
  const plan = (pool: typeof communes, share: number, count: number, totalStalls: number) => {
    const used = rng.shuffle(pool).slice(0, Math.round(pool.length * share));
    const batch: SitePlan[] = [];
    for (let i = 0; i < count; i++) {
      const commune = i < used.length ? used[i]! : rng.pick(used);
      const kind = rng.weighted({ street: 60, market: 32, trade_centre: 8 });
      const size = kind === 'street' ? rng.int(20, 80) : kind === 'market' ? rng.int(80, 300) : rng.int(60, 200);
      // Two years of programme: more sites launched early; none in the last two weeks.
      const launch = START_MS + Math.floor(rng.next() ** 1.3 * (HISTORY_DAYS - 14)) * DAY;
      batch.push({ id: 0, commune: commune.code, province: commune.province_code, kind, stalls: size, launch });
    }
    const raw = batch.reduce((sum, site) => sum + site.stalls, 0);
    let total = 0;
    for (const site of batch) total += site.stalls = Math.max(1, Math.round((site.stalls * totalStalls) / raw));
    for (let k = 0; total !== totalStalls; k++) {
      const site = batch[k % batch.length]!;
      if (total > totalStalls && site.stalls > 1) {
        site.stalls--;
        total--;
      } else if (total < totalStalls) {
        site.stalls++;
        total++;
      }
    }
    sites.push(...batch);
  };
  plan(inProvince, 0.9, PROVINCE_SITES, PROVINCE_STALLS);
  plan(elsewhere, 0.7, NATIONAL_SITES - PROVINCE_SITES, NATIONAL_STALLS - PROVINCE_STALLS);
  sites.forEach((site, i) => (site.id = i + 1));

  // Volunteers: three per commune with a site.
  const volunteersOf = new Map<string, number[]>();
  let userId = 0;
  const insertUser = db.prepare(
    `INSERT INTO users (id, username, display_name, role, password_hash, created_at) ` +
      `VALUES (?, ?, ?, 'volunteer', 'x', ?)`,
  );
  for (const code of new Set(sites.map((site) => site.commune))) {
    const ids = [++userId, ++userId, ++userId];
    for (const id of ids) insertUser.run(id, `tnv${id}`, `Tình nguyện viên ${id}`, iso(START_MS - 30 * DAY));
    volunteersOf.set(code, ids);
  }

  // Campaigns covering about a third of the sites; deadlines on a third of the others.
  const insertCampaign = db.prepare(
    'INSERT INTO campaigns (id, name, target_percent, starts_on, deadline, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const campaignOf = new Map<number, number>();
  const campaignCount = 66;
  for (let c = 1; c <= campaignCount; c++) {
    const starts = START_MS + rng.int(30, HISTORY_DAYS - 60) * DAY;
    insertCampaign.run(
      c,
      `Đợt ${c}`,
      rng.pick([70, 75, 80]),
      dateOf(starts),
      dateOf(starts + rng.int(90, 365) * DAY),
      iso(starts - DAY),
    );
  }
  for (const site of sites) {
    if (rng.chance(0.33))
      campaignOf.set(site.id, site.province === PROVINCE ? rng.int(1, 6) : rng.int(7, campaignCount));
  }
  const insertSite = db.prepare(
    `INSERT INTO sites (id, kind, name, name_folded, commune_code, target_percent, ` +
      `launched_on, target_deadline, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertMember = db.prepare('INSERT INTO campaign_sites (campaign_id, site_id) VALUES (?, ?)');
  const kindName = { street: 'Tuyến phố', market: 'Chợ', trade_centre: 'Trung tâm thương mại' };
  for (const site of sites) {
    const name = `${kindName[site.kind]} ${site.id}`;
    const created = site.launch - rng.int(1, 10) * DAY;
    const deadline =
      !campaignOf.has(site.id) && rng.chance(0.35) ? dateOf(site.launch + rng.int(120, 500) * DAY) : null;
    insertSite.run(
      site.id,
      site.kind,
      name,
      name.toLowerCase(),
      site.commune,
      rng.weighted({ 70: 60, 80: 25, 60: 8, 90: 7 }),
      rng.chance(0.7) ? dateOf(site.launch) : null,
      deadline,
      iso(created),
      iso(created),
    );
    const campaign = campaignOf.get(site.id);
    if (campaign !== undefined) insertMember.run(campaign, site.id);
  }

  // Stalls and their walks through the funnel; rows collected, then written in time order.
  const history = new Rows(5); // time, stall, status, reason (-1), user
  const visits = new Rows(6); // time, stall, action, sticker (-1), share (-1), user
  const insertStall = db.prepare(
    `INSERT INTO stalls (id, site_id, label, goods_category, status, refusal_reason, ` +
      `search_folded, label_folded, created_at, updated_at)
     VALUES (?, ?, ?, 'tap_hoa', ?, ?, ?, ?, ?, ?)`,
  );
  const insertAccount = db.prepare(
    `INSERT INTO stall_accounts (id, stall_id, bin, account_number, service, holder_name, source, is_primary, ` +
      `verified_at, verified_name_seen, created_at)
     VALUES (?, ?, ?, ?, 'account', 'NGUYEN VAN A', 'typed', 1, ?, ?, ?)`,
  );
  const insertSticker = db.prepare(
    `INSERT INTO stickers (id, serial, commune_code, sequence, verification_code, stall_id, account_id, payload, ` +
      `status, status_changed_at, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 'bench', ?, ?, ?)`,
  );
  const sequence = new Map<string, number>();
  let stallId = 0;
  let accountId = 0;
  let stickerId = 0;
  const accounts: { bin: string; number: string }[] = [];
  const reasonWeights = { prefers_cash: 5, no_smartphone: 2, fears_fraud: 2, no_bank_account: 1, other: 1 };

  for (const site of sites) {
    const team = volunteersOf.get(site.commune)!;
    for (let k = 1; k <= site.stalls; k++) {
      const id = ++stallId;
      const by = rng.pick(team);
      const steps = walk(rng, reasonWeights);
      // Surveyed soon after launch for most, later for stalls that joined the site afterwards.
      let t =
        site.launch +
        Math.floor(rng.next() ** 2.5 * Math.max(1, (NOW_MS - site.launch) / DAY - 1)) * DAY +
        rng.int(30, 630) * 60_000;
      const firstAt = t;
      let last = steps[0]!;
      let lastAt = t;
      let accountAt = -1;
      let verifiedAt = -1;
      let installedAt = -1;
      for (let i = 0; i < steps.length; i++) {
        if (i > 0)
          t += (rng.chance(0.3) ? 0 : rng.int(1, 30) * DAY) + rng.int(5, 120) * 60_000 + (steps[i]!.minDays ?? 0) * DAY;
        if (t >= NOW_MS) break;
        const step = steps[i]!;
        history.push(
          t,
          id,
          status(step.to),
          step.reason === null ? -1 : REFUSAL_REASONS.indexOf(step.reason as RefusalReason),
          by,
        );
        if (i === 0) visits.push(t, id, 0, -1, -1, by);
        if (step.to === 'installed') {
          visits.push(t, id, 1, -1, -1, by);
          installedAt = t;
        }
        if (step.to === 'refused') visits.push(t, id, 2, -1, -1, by);
        if (step.lost) visits.push(t - 300_000, id, 3, rng.chance(0.5) ? 1 : 2, -1, by);
        if (step.to === 'has_account' && accountAt < 0) accountAt = t;
        if (step.to === 'qr_verified' && verifiedAt < 0) verifiedAt = t;
        last = step;
        lastAt = t;
      }
      // Follow-ups after the sticker went up for good: still displayed, and the trader's share estimate.
      if (last.to === 'installed') {
        let f = lastAt;
        for (let n = rng.int(0, 2); n > 0; n--) {
          f += rng.int(7, 90) * DAY;
          if (f >= NOW_MS) break;
          visits.push(
            f,
            id,
            3,
            0,
            rng.chance(0.6) ? Math.max(0, Math.min(100, Math.round((50 + (rng.next() - 0.5) * 70) / 5) * 5)) : -1,
            by,
          );
        }
      }
      const label = site.kind === 'street' ? `số ${k}` : `Sạp ${k}`;
      insertStall.run(
        id,
        site.id,
        label,
        last.to,
        last.to === 'refused' ? last.reason : null,
        label.toLowerCase(),
        foldForSearch(label),
        iso(firstAt),
        iso(lastAt),
      );
      if (accountAt >= 0) {
        // A few planted problems: a QR-verified stall whose account was never name-checked; an account
        // number copied from another stall (the QR-swap pattern).
        const copy = accounts.length > 1000 && rng.chance(0.0004) ? rng.pick(accounts) : null;
        const account = copy ?? { bin: rng.pick(BINS), number: String(1_000_000_000 + id * 7919) };
        if (!copy) accounts.push(account);
        const verified = verifiedAt >= 0 && !rng.chance(0.0005) ? iso(verifiedAt) : null;
        insertAccount.run(
          ++accountId,
          id,
          account.bin,
          account.number,
          verified,
          verified ? 'NGUYEN VAN A' : null,
          iso(accountAt),
        );
        if (installedAt >= 0) {
          const seq = (sequence.get(site.commune) ?? 0) + 1;
          sequence.set(site.commune, seq);
          const roll = rng.next();
          const withdrawn = roll < 0.03 ? 'revoked' : roll < 0.05 ? 'replaced' : 'valid';
          const changed = withdrawn === 'valid' ? null : iso(Math.min(NOW_MS - 1, installedAt + rng.int(1, 200) * DAY));
          insertSticker.run(
            ++stickerId,
            `${site.province}-${site.commune}-${String(seq).padStart(6, '0')}`,
            site.commune,
            seq,
            (stickerId * 2654435761).toString(36).toUpperCase().slice(-8).padStart(8, '0') +
              stickerId.toString(36).toUpperCase(),
            id,
            accountId,
            withdrawn,
            changed,
            iso(installedAt),
          );
        }
      }
    }
  }

  const insertHistory = db.prepare(
    'INSERT INTO stall_status_history (stall_id, from_status, to_status, changed_at, changed_by, reason) ' +
      'VALUES (?, NULL, ?, ?, ?, ?)',
  );
  const [ht, hs, hst, hr, hu] = history.cols as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
  for (const i of history.orderBy(0)) {
    insertHistory.run(
      hs[i]!,
      STALL_STATUSES[hst[i]!]!,
      iso(ht[i]!),
      hu[i]!,
      hr[i]! < 0 ? (hst[i] === status('closed') ? 'Nghỉ bán' : null) : REFUSAL_REASONS[hr[i]!]!,
    );
  }
  const insertVisit = db.prepare(
    'INSERT INTO visits (stall_id, user_id, visited_at, action, sticker_displayed, transfer_share) ' +
      'VALUES (?, ?, ?, ?, ?, ?)',
  );
  const [vt, vs, va, vk, vsh, vu] = visits.cols as [
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
    Float64Array,
  ];
  for (const i of visits.orderBy(0)) {
    insertVisit.run(
      vs[i]!,
      vu[i]!,
      iso(vt[i]!),
      VISIT_ACTIONS[va[i]!]!,
      vk[i]! < 0 ? null : STICKERS[vk[i]!]!,
      vsh[i]! < 0 ? null : vsh[i]!,
    );
  }
}

interface Step {
  to: StallStatus;
  reason: string | null;
  lost?: boolean;
  minDays?: number;
}

/** A stall's path: mostly forward, some refusals (a few change their mind), lost stickers, closures. */
function walk(rng: Rng, reasons: Record<string, number>): Step[] {
  const steps: Step[] = [{ to: 'surveyed', reason: null }];
  const go = (to: StallStatus, extra: Partial<Step> = {}) => steps.push({ to, reason: null, ...extra });
  if (rng.chance(0.14)) {
    steps.push({ to: 'refused', reason: rng.weighted(reasons) });
    if (!rng.chance(0.3)) return closeMaybe(rng, steps);
    go('has_account', { minDays: 20 });
  } else if (rng.chance(0.88)) {
    go('has_account');
  } else {
    return closeMaybe(rng, steps);
  }
  if (!rng.chance(0.9)) return closeMaybe(rng, steps);
  go('qr_verified');
  if (!rng.chance(0.9)) return closeMaybe(rng, steps);
  go('installed');
  if (rng.chance(0.08)) {
    go('qr_verified', { lost: true, minDays: 14 });
    if (rng.chance(0.8)) go('installed');
  }
  return closeMaybe(rng, steps);
}

function closeMaybe(rng: Rng, steps: Step[]): Step[] {
  if (rng.chance(0.07)) steps.push({ to: 'closed', reason: null, minDays: 30 });
  return steps;
}

function buildRegistry(): { seconds: number } {
  const started = performance.now();
  const db = openDatabase(file);
  migrate(db, loadMigrations(migrationsDir));
  // For the generator only: no journal, no fsync, a big cache; indexes dropped during the load and
  // recreated from the migrations' own SQL afterwards (much faster than maintaining them row by row).
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -1000000');
  db.pragma('foreign_keys = OFF');
  const indexes = db
    .prepare(
      `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL
          AND tbl_name IN ('stalls', 'stall_status_history', 'visits', 'stall_accounts', ` +
        `'stickers', 'sites', 'campaign_sites')`,
    )
    .all() as { name: string; sql: string }[];
  for (const index of indexes) db.exec(`DROP INDEX ${index.name}`);
  db.transaction(() => generate(db))();
  for (const index of indexes) db.exec(index.sql);
  db.pragma('journal_mode = WAL');
  db.close();
  return { seconds: (performance.now() - started) / 1000 };
}

// ---------------------------------------------------------------------------------------------- timing

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1]!;
}

interface Timed<T> {
  ms: number;
  result: T;
}

/** Median of RUNS runs, each with a fresh service (no cached tallies); the snapshot is shared. */
async function time<T>(
  engine: Adoption,
  fn: (service: AdoptionService) => T | Promise<T>,
  runs = RUNS,
): Promise<Timed<T>> {
  const times: number[] = [];
  let result!: T;
  for (let i = 0; i < runs; i++) {
    const service = createAdoptionService(engine);
    const started = performance.now();
    result = await fn(service);
    times.push(performance.now() - started);
  }
  return { ms: median(times), result };
}

/** The first path where two answers differ, or null. */
function firstDifference(a: unknown, b: unknown, at = '$'): string | null {
  if (isDeepStrictEqual(a, b)) return null;
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const found = firstDifference(
        (a as Record<string, unknown>)[key],
        (b as Record<string, unknown>)[key],
        `${at}.${key}`,
      );
      if (found) return found;
    }
  }
  return `${at}: ${JSON.stringify(a)?.slice(0, 200)} ≠ ${JSON.stringify(b)?.slice(0, 200)}`;
}

interface Line {
  query: string;
  ms: number | null;
  goal: number | null;
  naive: string;
}
const lines: Line[] = [];

function check(label: string, engine: unknown, naive: () => unknown): string {
  const started = performance.now();
  const diff = firstDifference(engine, naive());
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  if (diff) console.error(`  ✗ ${label}: ${diff}`);
  return diff ? `DIFFERENT (${seconds} s)` : `identical (${seconds} s)`;
}

async function main(): Promise<void> {
  console.log(`Adoption benchmark — ${os.cpus().length} cores, Node ${process.version}, database ${file}`);
  let generation = 'reused';
  if (!(fileArg && existsSync(file))) {
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
    const { seconds } = buildRegistry();
    generation = `${seconds.toFixed(0)} s`;
  }
  const db = openDatabase(file);
  // A reused file may be from before the latest migrations (the app migrates on start; so does the bench).
  migrate(db, loadMigrations(migrationsDir));
  const size = ['', '-wal'].reduce(
    (sum, suffix) => sum + (existsSync(file + suffix) ? statSync(file + suffix).size : 0),
    0,
  );
  const count = (table: string) => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
  const provinceStalls = db
    .prepare(
      'SELECT count(*) FROM stalls s JOIN sites si ON si.id = s.site_id ' +
        'JOIN communes c ON c.code = si.commune_code WHERE c.province_code = ?',
    )
    .pluck()
    .get(PROVINCE) as number;
  console.log(
    `Registry: ${count('sites')} sites, ${count('stalls')} stalls (${provinceStalls} in province ${PROVINCE}), ` +
      `${count('stall_status_history')} history rows, ${count('visits')} visits, ` +
      `${count('stall_accounts')} accounts, ` +
      `${count('stickers')} stickers; ${(size / 1e9).toFixed(2)} GB; generated in ${generation}.`,
  );
  if (generateOnly) {
    db.close();
    return;
  }

  const warmStarted = performance.now();
  const engine = createAdoption(sqliteDataAccess(db));
  await engine.service.warm();
  const warmMs = performance.now() - warmStarted;
  const heap = process.memoryUsage();
  console.log(
    `Snapshot built in ${(warmMs / 1000).toFixed(1)} s (once per process; ` +
      `heap ${(heap.heapUsed / 1e6).toFixed(0)} MB, typed arrays ${(heap.arrayBuffers / 1e6).toFixed(0)} MB).\n`,
  );
  lines.push({
    query: 'snapshot build, national registry (once per process: warm() at startup)',
    ms: warmMs,
    goal: null,
    naive: '',
  });

  const raw: RawRegistry = streamRaw(db);
  const sitesWhere = (sql: string, ...params: unknown[]) =>
    db
      .prepare(`SELECT id FROM sites WHERE ${sql}`)
      .pluck()
      .all(...params) as number[];
  // The recount of a province, commune or site reads only the rows of its sites' stalls (selected by SQL,
  // then filtered again by the recount): five to thousands of times fewer rows than the whole country.
  const provinceRaw = streamRaw(
    db,
    sitesWhere('commune_code IN (SELECT code FROM communes WHERE province_code = ?)', PROVINCE),
  );
  const province: AdoptionScope = { kind: 'province', code: PROVINCE };
  const all: AdoptionScope = { kind: 'all' };
  const weekAgo = addDays(TODAY, -7);

  const dashboard = await time(engine, (s) => s.dashboard(WHOLE_COUNTRY, province, TODAY));
  lines.push({
    query: `province dashboard (${PROVINCE}, today: figures + last week + communes + 12-week trend)`,
    ms: dashboard.ms,
    goal: 10,
    // `change` is arithmetic on figures and lastWeek, which are compared.
    naive: check(
      'province dashboard',
      {
        figures: dashboard.result.figures,
        lastWeek: dashboard.result.lastWeek,
        children: dashboard.result.children,
        trend: dashboard.result.trend,
      },
      () => ({
        figures: naiveFigures(provinceRaw, WHOLE_COUNTRY, province, TODAY),
        lastWeek: naiveFigures(provinceRaw, WHOLE_COUNTRY, province, weekAgo),
        children: naiveChildren(provinceRaw, WHOLE_COUNTRY, province, TODAY),
        trend: naiveTrend(provinceRaw, WHOLE_COUNTRY, province, TODAY, 12),
      }),
    ),
  });

  const national = await time(engine, async (s) => ({
    figures: await s.figures(WHOLE_COUNTRY, all, TODAY),
    children: await s.children(WHOLE_COUNTRY, all, TODAY),
  }));
  lines.push({
    query: 'national rollup (today: figures + 34 provinces)',
    ms: national.ms,
    goal: 30,
    naive: check('national rollup', national.result, () => ({
      figures: naiveFigures(raw, WHOLE_COUNTRY, all, TODAY),
      children: naiveChildren(raw, WHOLE_COUNTRY, all, TODAY),
    })),
  });

  for (const asOf of ['2026-05-22', '2025-11-22']) {
    const past = await time(engine, (s) => s.figures(WHOLE_COUNTRY, province, asOf));
    lines.push({
      query: `province figures as of ${asOf}`,
      ms: past.ms,
      goal: null,
      naive: check(`province ${asOf}`, past.result, () => naiveFigures(provinceRaw, WHOLE_COUNTRY, province, asOf)),
    });
  }
  const nationalPast = await time(engine, async (s) => ({
    figures: await s.figures(WHOLE_COUNTRY, all, '2026-05-22'),
    children: await s.children(WHOLE_COUNTRY, all, '2026-05-22'),
  }));
  lines.push({
    query: 'national rollup as of 2026-05-22',
    ms: nationalPast.ms,
    goal: 30,
    naive: check('national 2026-05-22', nationalPast.result, () => ({
      figures: naiveFigures(raw, WHOLE_COUNTRY, all, '2026-05-22'),
      children: naiveChildren(raw, WHOLE_COUNTRY, all, '2026-05-22'),
    })),
  });
  const nationalTrend = await time(engine, (s) => s.trend(WHOLE_COUNTRY, all, TODAY, 12), 3);
  lines.push({
    query: 'national 12-week trend',
    ms: nationalTrend.ms,
    goal: null,
    naive: 'not compared (13 full passes of the naive recount)',
  });

  const commune = db
    .prepare(
      'SELECT si.commune_code FROM sites si JOIN communes c ON c.code = si.commune_code ' +
        'WHERE c.province_code = ? GROUP BY 1 ORDER BY count(*) DESC LIMIT 1',
    )
    .pluck()
    .get(PROVINCE) as string;
  const communeScope: AdoptionScope = { kind: 'commune', code: commune };
  const communeRaw = streamRaw(db, sitesWhere('commune_code = ?', commune));
  const communeDashboard = await time(engine, (s) => s.dashboard(WHOLE_COUNTRY, communeScope, '2026-08-15'));
  lines.push({
    query: `commune dashboard (${commune}, as of 2026-08-15)`,
    ms: communeDashboard.ms,
    goal: 100,
    naive: check(
      'commune dashboard',
      {
        figures: communeDashboard.result.figures,
        children: communeDashboard.result.children,
        trend: communeDashboard.result.trend,
      },
      () => ({
        figures: naiveFigures(communeRaw, WHOLE_COUNTRY, communeScope, '2026-08-15'),
        children: naiveChildren(communeRaw, WHOLE_COUNTRY, communeScope, '2026-08-15'),
        trend: naiveTrend(communeRaw, WHOLE_COUNTRY, communeScope, '2026-08-15', 12),
      }),
    ),
  });
  const siteId = db
    .prepare('SELECT site_id FROM stalls GROUP BY site_id ORDER BY count(*) DESC LIMIT 1')
    .pluck()
    .get() as number;
  const siteScope: AdoptionScope = { kind: 'site', id: siteId };
  const siteRaw = streamRaw(db, [siteId]);
  const siteDashboard = await time(engine, (s) => s.dashboard(WHOLE_COUNTRY, siteScope, TODAY));
  lines.push({
    query: `site dashboard (largest site, ${siteDashboard.result.figures.coverage.census} stalls in census)`,
    ms: siteDashboard.ms,
    goal: 100,
    naive: check(
      'site dashboard',
      {
        figures: siteDashboard.result.figures,
        children: siteDashboard.result.children,
        trend: siteDashboard.result.trend,
      },
      () => ({
        figures: naiveFigures(siteRaw, WHOLE_COUNTRY, siteScope, TODAY),
        children: naiveChildren(siteRaw, WHOLE_COUNTRY, siteScope, TODAY),
        trend: naiveTrend(siteRaw, WHOLE_COUNTRY, siteScope, TODAY, 12),
      }),
    ),
  });

  const activity = await time(engine, (s) => s.volunteerActivity(WHOLE_COUNTRY, province, TODAY, 12));
  lines.push({
    query: 'province volunteer activity (12 weeks)',
    ms: activity.ms,
    goal: null,
    naive: check('activity', activity.result, () => naiveActivity(provinceRaw, WHOLE_COUNTRY, province, TODAY, 12)),
  });
  const quality = await time(engine, (s) => s.dataQuality(WHOLE_COUNTRY, province, TODAY), 3);
  lines.push({
    query: 'province data quality (its own page, /dashboard/quality)',
    ms: quality.ms,
    goal: 50,
    naive: check('data quality', quality.result, () => naiveDataQuality(raw, WHOLE_COUNTRY, province, TODAY)),
  });
  // Everything the /dashboard page asks the engine for (its HTML rendering aside); data quality has its own page.
  const page = await time(engine, async (s) => ({
    dashboard: await s.dashboard(WHOLE_COUNTRY, province, TODAY),
    activity: await s.volunteerActivity(WHOLE_COUNTRY, province, TODAY, 4),
  }));
  lines.push({
    query: 'province dashboard page (dashboard + 4-week volunteer activity)',
    ms: page.ms,
    goal: 100,
    naive: 'parts compared above',
  });

  // The province's meeting report: layout with Be Vietnam Pro's metrics and pdfkit drawing, from the
  // dashboard computed above (its own time is the line "province dashboard").
  const reportTimes: number[] = [];
  let report!: Awaited<ReturnType<typeof renderAdoptionReport>>;
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    report = await renderAdoptionReport(
      {
        dashboard: dashboard.result,
        chart: dashboardTrendInput(dashboard.result),
        generatedAt: '10:00 22/11/2026',
        fullTableUrl: 'http://localhost:3000/dashboard/table.xlsx',
      },
      new Date(NOW_MS),
    );
    reportTimes.push(performance.now() - started);
  }
  lines.push({
    query:
      `province report PDF (${report.layout.pages.length} pages, ` +
      `${report.layout.table.shown} of ${report.layout.table.total} communes as rows, ` +
      `${(report.pdf.length / 1024).toFixed(0)} KB)`,
    ms: median(reportTimes),
    goal: null,
    naive: '',
  });

  // Keeping up with writes: a burst of 1,000 status changes spread over the province's sites, then the next
  // figures pay for the refresh (reading the changed stalls, taking their old counts out, putting new ones in).
  const stalls = db
    .prepare(
      'SELECT id FROM stalls WHERE site_id IN (SELECT s.id FROM sites s JOIN communes c ON c.code = s.commune_code ' +
        'WHERE c.province_code = ?) AND id % 197 = 0 ORDER BY id LIMIT 1000',
    )
    .pluck()
    .all(PROVINCE) as number[];
  const historyBefore = db.prepare('SELECT max(id) FROM stall_status_history').pluck().get() as number;
  const statusBefore = db
    .prepare('SELECT id, status, refusal_reason FROM stalls WHERE id IN (SELECT value FROM json_each(?))')
    .raw()
    .all(JSON.stringify(stalls)) as [number, string, string | null][];
  // New writes come after what is there, as on a campaign day: one minute before "now", or just after the
  // stalls' last rows when a reused registry already holds an earlier run's burst (a capture sent late from a
  // phone, earlier than the stall's last row, makes the engine re-read that stall: the slower path).
  const lastRow = db
    .prepare(
      'SELECT max(changed_at) FROM stall_status_history WHERE stall_id IN (SELECT value FROM json_each(?)) ' +
        'AND changed_at <= ?',
    )
    .pluck()
    .get(JSON.stringify(stalls), iso(NOW_MS)) as string | null;
  const burstAt = Math.max(NOW_MS - 60_000, lastRow === null ? 0 : Date.parse(lastRow) + 1);
  const refreshTimes: number[] = [];
  for (let run = 0; run < 3; run++) {
    db.transaction(() => {
      const move = db.prepare('INSERT INTO stall_status_history (stall_id, to_status, changed_at) VALUES (?, ?, ?)');
      const set = db.prepare('UPDATE stalls SET status = ?, refusal_reason = NULL WHERE id = ?');
      for (const id of stalls) {
        const to = run % 2 === 0 ? 'installed' : 'qr_verified';
        move.run(id, to, iso(burstAt + run));
        set.run(to, id);
      }
    })();
    const service = createAdoptionService(engine);
    const started = performance.now();
    await service.figures(WHOLE_COUNTRY, province, TODAY);
    refreshTimes.push(performance.now() - started);
  }
  const afterWrites = await createAdoptionService(engine).figures(WHOLE_COUNTRY, province, TODAY);
  lines.push({
    query: `province figures right after a burst of ${stalls.length} status changes (refresh included)`,
    ms: median(refreshTimes),
    goal: 20,
    naive: check('after writes', afterWrites, () => naiveFigures(provinceRaw, WHOLE_COUNTRY, province, TODAY)),
  });

  // Rows deleted behind the engine's back: the status history is append-only (migrations/0008_append_only.sql),
  // so the database refuses to delete the burst of changes.
  let deleteRefusal: string | null = null;
  try {
    db.prepare('DELETE FROM stall_status_history WHERE id > ?').run(historyBefore);
  } catch (error) {
    deleteRefusal = (error as Error).message;
  }
  console.log(
    deleteRefusal === null
      ? 'rows deleted: the database ACCEPTED the delete'
      : `rows deleted: refused by the database (${deleteRefusal})`,
  );
  lines.push({
    query: "rows deleted from the status history behind the engine's back",
    ms: null,
    goal: null,
    naive: deleteRefusal === null ? 'DIFFERENT: the delete went through (not append-only)' : 'refused by the database',
  });

  // Put the registry back as generated (for --file reuse), as the history allows: by appending each stall's
  // move back to its status before, at the time of the last change (ties in time go to the higher id).
  db.transaction(() => {
    const moveBack = db.prepare(
      'INSERT INTO stall_status_history (stall_id, to_status, changed_at, reason) VALUES (?, ?, ?, ?)',
    );
    const restore = db.prepare('UPDATE stalls SET status = ?, refusal_reason = ? WHERE id = ?');
    for (const [id, before, reason] of statusBefore) {
      moveBack.run(id, before, iso(NOW_MS - 60_000 + 2), reason);
      restore.run(before, reason, id);
    }
  })();

  // For reference: today's counts per site straight from stalls.status with the (site_id, status) index.
  const sql = await time(engine, () =>
    db.prepare('SELECT site_id, status, count(*) FROM stalls GROUP BY site_id, status').raw().all(),
  );
  lines.push({
    query: 'reference: SQL GROUP BY site_id, status over all stalls (today only)',
    ms: sql.ms,
    goal: null,
    naive: '',
  });

  console.log('\n| query | ms (median) | goal | met | same as naive recount |');
  console.log('| --- | ---: | ---: | --- | --- |');
  for (const line of lines) {
    const met = line.goal === null || line.ms === null ? '' : line.ms < line.goal ? 'met' : 'NOT MET';
    console.log(
      `| ${line.query} | ${line.ms === null ? '' : line.ms.toFixed(1)} | ` +
        `${line.goal === null ? '' : `< ${line.goal}`} | ${met} | ${line.naive} |`,
    );
  }
  db.close();
  if (!keep && !fileArg) for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  if (lines.some((line) => line.naive.startsWith('DIFFERENT'))) process.exitCode = 1;
}

await main();
