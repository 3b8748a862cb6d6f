/**
 * `npm run bench:submit`: does an onboarding submit cost the same on a small site as on a big one (issue 16,
 * "submits that do not grow with the site")? One registry, in a temporary file, with a small site (20 stalls)
 * and a big one (6,644 stalls, as the biggest market of the national bench registry, most with a bank
 * account); the real app in production mode, in process, driven through supertest as a logged-in volunteer.
 * Submits alternate between the two sites (each a new stall with an account, the whole form: label and phone
 * duplicate checks, account checks, the transaction, the redirect), then the form itself (GET), then the
 * site picker GET /onboard for a volunteer with 10 visits and one with 10,000. Prints the median per request
 * of each and the ratios (goal ≈ 1×), with os.loadavg() since the machine is shared.
 *
 * Options: --submits N (per site, default 150), --stalls N (the big site, default 6644).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type TestAgent from 'supertest/lib/agent.js';
import { buildApp } from '../src/app.js';
import { loadBankDirectory } from '../src/banks/bank-directory-file.js';
import { systemClock } from '../src/clock.js';
import { MIN_PASSWORD_HASH_COST, testConfig } from '../src/config.js';
import { sqliteDataAccess } from '../src/db/data-access.js';
import { openDatabase } from '../src/db/database.js';
import { loadMigrations, migrate } from '../src/db/migrate.js';
import { migrationsDir } from '../src/paths.js';
import { foldForSearch } from '../src/text/fold.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) =>
  args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback;
const SUBMITS = option('--submits', 150);
const BIG_STALLS = option('--stalls', 6644);
const SMALL_STALLS = 20;
const PAGE_RUNS = 60;
const PASSWORD = 'mat-khau-bench-submit';

function median(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

function csrfFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no _csrf field in page');
  return match[1]!;
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'phoqr-submit-bench-'));
try {
  const db = openDatabase(path.join(dir, 'registry.sqlite'));
  migrate(db, loadMigrations(migrationsDir));
  // Production mode (no stack traces, production caching), but the bench users' passwords hashed cheaply:
  // the bench measures submits, not scrypt.
  const config = testConfig({ env: 'production', passwordHashCost: MIN_PASSWORD_HASH_COST });
  const { app, services } = buildApp({ data: sqliteDataAccess(db), config, clock: systemClock });

  const smallSite = await services.sites.createSite(null, {
    kind: 'street',
    name: 'Phố Nhỏ',
    commune_code: '23575',
    target_percent: '70',
  });
  const bigSite = await services.sites.createSite(null, {
    kind: 'market',
    name: 'Chợ Lớn Bench',
    commune_code: '23575',
    target_percent: '70',
  });

  // The stalls of both sites in bulk, as an import would leave them: most with a primary account.
  const bins = loadBankDirectory()
    .banks.filter((bank) => bank.transferSupported)
    .map((bank) => bank.bin);
  const at = new Date(Date.now() - 86_400_000).toISOString();
  const hasLabelFolded = (db.prepare('PRAGMA table_info(stalls)').all() as { name: string }[]).some(
    (column) => column.name === 'label_folded',
  );
  const insertStall = db.prepare(
    `INSERT INTO stalls (site_id, label, goods_category, status, search_folded, created_at, updated_at${
      hasLabelFolded ? ', label_folded' : ''
    }) VALUES (?, ?, 'tap_hoa', ?, ?, ?, ?${hasLabelFolded ? ', ?' : ''})`,
  );
  const insertHistory = db.prepare(
    `INSERT INTO stall_status_history (stall_id, from_status, to_status, changed_at, note) VALUES (?, ?, ?, ?, '')`,
  );
  const insertAccount = db.prepare(
    `INSERT INTO stall_accounts (stall_id, bin, account_number, service, holder_name, source, is_primary,
       created_at) VALUES (?, ?, ?, 'account', 'NGUYEN VAN A', 'typed', 1, ?)`,
  );
  let accountSeq = 0;
  db.transaction(() => {
    for (const [siteId, count] of [
      [smallSite, SMALL_STALLS],
      [bigSite, BIG_STALLS],
    ] as const) {
      for (let k = 1; k <= count; k++) {
        const label = `Sạp ${k}`;
        const withAccount = k % 4 !== 0;
        const status = withAccount ? 'has_account' : 'surveyed';
        const values = [siteId, label, status, foldForSearch(label), at, at];
        const id = Number(
          insertStall.run(...values, ...(hasLabelFolded ? [foldForSearch(label)] : [])).lastInsertRowid,
        );
        insertHistory.run(id, null, 'surveyed', at);
        if (withAccount) {
          insertHistory.run(id, 'surveyed', 'has_account', at);
          insertAccount.run(id, bins[(k * 7) % bins.length], `9${String(++accountSeq).padStart(11, '0')}`, at);
        }
      }
    }
  })();

  async function login(username: string): Promise<{ agent: TestAgent; csrf: string; userId: number }> {
    const userId = await services.users.createUser({
      username,
      role: 'volunteer',
      password: PASSWORD,
      displayName: `Tình nguyện viên ${username}`,
      reach: [{ kind: 'province', code: '52' }],
    });
    const agent = request.agent(app);
    const page = await agent.get('/login');
    await agent
      .post('/login')
      .type('form')
      .send({ _csrf: csrfFrom(page.text), username, password: PASSWORD });
    const home = await agent.get('/onboard').expect(200);
    return { agent, csrf: csrfFrom(home.text), userId };
  }

  const volunteer = await login('tnv.bench');
  let seq = 0;
  async function submit(siteId: number): Promise<void> {
    const n = ++seq;
    const response = await volunteer.agent
      .post(`/onboard/sites/${siteId}`)
      .type('form')
      .send({
        _csrf: volunteer.csrf,
        idempotency_key: randomUUID(),
        label: `Ki-ốt mới ${n}`,
        business_name: `Tạp hóa ${n}`,
        owner_name: 'Nguyễn Thị Bench',
        phone: `08${String(10_000_000 + n).slice(-8)}`,
        goods_category: 'tap_hoa',
        consent: 'yes',
        bank_bin: bins[n % bins.length],
        account_number: `7${String(n).padStart(11, '0')}`,
        holder_name: 'Nguyễn Thị Bench',
      });
    if (response.status !== 303)
      throw new Error(`submit ${n} answered ${response.status}: ${response.text.slice(0, 300)}`);
  }

  // Warm-up: the first requests compile templates and fill caches.
  for (let i = 0; i < 10; i++) await submit(i % 2 ? smallSite : bigSite);
  const times = { small: [] as number[], big: [] as number[] };
  for (let i = 0; i < SUBMITS; i++) {
    times.small.push(await timed(() => submit(smallSite)));
    times.big.push(await timed(() => submit(bigSite)));
  }
  const form = { small: [] as number[], big: [] as number[] };
  for (let i = 0; i < PAGE_RUNS; i++) {
    form.small.push(await timed(() => volunteer.agent.get(`/onboard/sites/${smallSite}`).expect(200)));
    form.big.push(await timed(() => volunteer.agent.get(`/onboard/sites/${bigSite}`).expect(200)));
  }

  // Two volunteers for the site picker: 10 visits, and 10,000 spread over the big site's stalls.
  const few = await login('tnv.few');
  const many = await login('tnv.many');
  const bigStallIds = db
    .prepare('SELECT id FROM stalls WHERE site_id = ? ORDER BY id')
    .pluck()
    .all(bigSite) as number[];
  const smallStallIds = db
    .prepare('SELECT id FROM stalls WHERE site_id = ? ORDER BY id')
    .pluck()
    .all(smallSite) as number[];
  const insertVisit = db.prepare(
    `INSERT INTO visits (stall_id, user_id, visited_at, action, sticker_displayed)
     VALUES (?, ?, ?, 'follow_up', 'yes')`,
  );
  const visitAt = (k: number) => new Date(Date.now() - 30 * 86_400_000 + k * 60_000).toISOString();
  db.transaction(() => {
    for (let k = 0; k < 10; k++) insertVisit.run(smallStallIds[k % smallStallIds.length], few.userId, visitAt(k));
    for (let k = 0; k < 10_000; k++) {
      // The newest visit is at the small site: the big site's many visits all lie behind it.
      const stall = k === 9_999 ? smallStallIds[0] : bigStallIds[k % bigStallIds.length];
      insertVisit.run(stall, many.userId, visitAt(k));
    }
  })();
  const picker = { few: [] as number[], many: [] as number[] };
  for (let i = 0; i < PAGE_RUNS; i++) {
    picker.few.push(await timed(() => few.agent.get('/onboard').expect(200)));
    picker.many.push(await timed(() => many.agent.get('/onboard').expect(200)));
  }
  const pickerPage = await many.agent.get('/onboard').expect(200);
  if (!pickerPage.text.includes('Chợ Lớn Bench') || !pickerPage.text.includes('Phố Nhỏ')) {
    throw new Error('the picker of the 10,000-visit volunteer does not list both sites worked on');
  }

  const ms = (value: number) => `${value.toFixed(2)} ms`;
  const ratio = (a: number[], b: number[]) => `${(median(b) / median(a)).toFixed(2)}×`;
  console.log(
    `os.loadavg() at end: ${os
      .loadavg()
      .map((load) => load.toFixed(2))
      .join(' ')} (${os.cpus().length} cores)`,
  );
  console.log(`POST /onboard/sites/:id, median of ${SUBMITS} submits each (stall + account, 303):`);
  console.log(`  small site (${SMALL_STALLS} stalls):   ${ms(median(times.small))}`);
  console.log(`  big site (${BIG_STALLS} stalls):  ${ms(median(times.big))}`);
  console.log(`  big / small: ${ratio(times.small, times.big)}`);
  console.log(`GET /onboard/sites/:id (the form), median of ${PAGE_RUNS}:`);
  console.log(`  small site: ${ms(median(form.small))}   big site: ${ms(median(form.big))}`);
  console.log(`  big / small: ${ratio(form.small, form.big)}`);
  console.log(`GET /onboard (site picker with recent sites), median of ${PAGE_RUNS}:`);
  console.log(`  10 visits: ${ms(median(picker.few))}   10,000 visits: ${ms(median(picker.many))}`);
  console.log(`  10,000 / 10: ${ratio(picker.few, picker.many)}`);
  db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
