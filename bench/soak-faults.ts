/**
 * The soak's fault phase (issue 14, "faults as tests"): concurrent onboarding submits, the server killed with
 * SIGKILL while they are in flight, restarted on the same file, then checked:
 *
 * - `PRAGMA integrity_check` is ok and `foreign_key_check` finds nothing;
 * - every acknowledged submit (a 303 to /stalls/N) is present: the stall N with its label, site, creator and,
 *   when one was sent, its account;
 * - nothing is half-written: onboarding writes in one transaction the stall, its first history row (→
 *   surveyed), its 'onboarded' visit and `stall.create` audit row, the idempotency key pointing at it, and with
 *   an account also the account (primary), its 'account_added' visit, `account.add` audit row, the history row
 *   surveyed → has_account and its `stall.status` audit row. Each soak stall must have all of them, each soak
 *   key its stall, and a submit left unanswered by the kill either all of them or none;
 * - a retry of every submit (same key, same session, same fields) lands on the first result, or creates the
 *   stall once when the first attempt never committed; afterwards every label has exactly one stall;
 * - the same key sent twice at once by the same user gives one stall, and both answers lead to it.
 *
 * Correctness never depends on timing: the kill point is drawn at random and every check holds for any kill
 * point. Loopback only; bounded by a number of submits and a time limit.
 */
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import pngjs from 'pngjs';
import { projectRoot } from '../src/paths.js';
import { encode } from '../src/vietqr/encode.js';
import { qrMatrix, QUIET_ZONE } from '../src/vietqr/qr-matrix.js';
import { Client, freePort, startServer, temporaryDirectory, type StartedServer } from './soak-support.js';

const WORKERS = 8;
const VOLUNTEERS = 4;
/** The server is killed once this many submits (plus a random 0–59) are acknowledged. */
const KILL_AFTER_ACKS = Number(process.env.SOAK_FAULT_ACKS ?? 200);
/** Or after this long, whichever comes first. */
const KILL_AFTER_MS = 30_000;
/** Pairs of the same submit sent twice at once; one in four with a photo (each photo is a process to start). */
const DOUBLE_SUBMITS = Number(process.env.SOAK_DOUBLE_SUBMITS ?? 40);
/**
 * A safety net, not a target: done in 15–20 s on an idle two-core machine, 80–90 s on one shared with a load
 * of 16; SOAK_FAULT_LIMIT_S changes it.
 */
const TIME_LIMIT_MS = Number(process.env.SOAK_FAULT_LIMIT_S ?? 180) * 1000;
const ADMIN_PASSWORD = 'Cho-Hoa-Lu-soak-2026!';
const VOLUNTEER_PASSWORD = 'Soak-tinh-nguyen-2026!';
/** The demo programme's Chợ Hoa Lư is in this commune; the soak volunteers' reach. */
const COMMUNE = '23575';
/** BIDV: every submit with an account gets its own number, so no "same account elsewhere" warning. */
const BANK_BIN = '970418';

/**
 * How a submit gives its account. A photo is decoded in a worker thread, so the request waits on the event
 * loop between its "previous result?" check and its transaction, as a phone's slow upload does: the window a
 * double tap falls into. Typed fields are checked without leaving the microtask queue.
 */
type AccountGiven = 'typed' | 'photo' | undefined;

type Outcome = 'pending' | 'acked' | 'unanswered' | 'refused';

interface Submit {
  readonly worker: Worker;
  readonly key: string;
  readonly label: string;
  readonly accountNumber: string | undefined;
  readonly given: AccountGiven;
  outcome: Outcome;
  status?: number;
  location?: string;
  stallId?: number;
  error?: string;
  /** On a page that came back instead of a redirect: the fields with a message, and the first message. */
  fieldsInError?: string[];
  message?: string;
}

interface Worker {
  readonly client: Client;
  readonly userId: number;
  readonly username: string;
  csrf: string;
}

const execFileAsync = promisify(execFile);

function stallIdOf(location: string | undefined): number | undefined {
  const match = /^\/stalls\/(\d+)(?:[/?]|$)/.exec(location ?? '');
  return match ? Number(match[1]) : undefined;
}

/** A clean photo of the trader's static VietQR for `accountNumber`: a PNG, 6 pixels a module. */
function qrPhoto(accountNumber: string): Buffer {
  const matrix = qrMatrix(encode({ bin: BANK_BIN, account: accountNumber }));
  const scale = 6;
  const side = (matrix.size + 2 * QUIET_ZONE) * scale;
  const png = new pngjs.PNG({ width: side, height: side });
  png.data.fill(255);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const mx = Math.floor(x / scale) - QUIET_ZONE;
      const my = Math.floor(y / scale) - QUIET_ZONE;
      if (mx < 0 || my < 0 || mx >= matrix.size || my >= matrix.size) continue;
      if (matrix.modules[my * matrix.size + mx] !== 1) continue;
      const at = (y * side + x) * 4;
      png.data[at] = png.data[at + 1] = png.data[at + 2] = 0;
    }
  }
  return pngjs.PNG.sync.write(png);
}

/** The onboarding form as the phone sends it: urlencoded, or multipart when it carries a photo. */
function formOf(submit: Submit, csrf: string): { body: URLSearchParams | FormData; headers: Record<string, string> } {
  const fields: Record<string, string> = {
    _csrf: csrf,
    idempotency_key: submit.key,
    label: submit.label,
    business_name: 'Tạp hóa thử tải',
    goods_category: 'tap_hoa',
    consent: 'yes',
  };
  if (submit.given) fields.holder_name = 'Nguyễn Văn Thử';
  if (submit.given === 'typed') {
    fields.bank_bin = BANK_BIN;
    fields.account_number = submit.accountNumber!;
  }
  if (submit.given !== 'photo') {
    return { body: new URLSearchParams(fields), headers: { 'content-type': 'application/x-www-form-urlencoded' } };
  }
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.set(name, value);
  form.set('qr_photo', new Blob([new Uint8Array(qrPhoto(submit.accountNumber!))], { type: 'image/png' }), 'qr.png');
  return { body: form, headers: {} };
}

/** One POST of the onboarding form; a 303 to a stall is an acknowledgement, a dropped connection no answer. */
async function send(submit: Submit, siteId: number): Promise<void> {
  try {
    const { body, headers } = formOf(submit, submit.worker.csrf);
    const response = await submit.worker.client.request(`/onboard/sites/${siteId}`, {
      method: 'POST',
      headers: { ...headers, accept: 'text/html' },
      body,
    });
    const html = await response.text();
    submit.fieldsInError = [...html.matchAll(/class="field-error" id="f-([^"]+)-error"/g)].map((m) => m[1]!);
    submit.message = /class="field-error"[^>]*>([^<]*)</.exec(html)?.[1]?.trim().replaceAll('&#34;', '"');
    submit.status = response.status;
    submit.location = response.headers.get('location') ?? undefined;
    submit.stallId = stallIdOf(submit.location);
    submit.outcome = response.status === 303 && submit.stallId !== undefined ? 'acked' : 'refused';
  } catch (error) {
    submit.outcome = 'unanswered';
    submit.error = String((error as { cause?: unknown }).cause ?? error);
  }
}

interface StallRecord {
  id: number;
  site_id: number;
  label: string;
  status: string;
  created_by: number;
}

/**
 * Every way a soak stall can be half-written, from what onboarding writes in its one transaction (see the
 * module's comment). `submits` holds each label once.
 */
function halfWritten(file: string, submits: Submit[], siteId: number, userIds: number[]): string[] {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const problems: string[] = [];
    const users = userIds.join(',');
    const byLabel = new Map(submits.map((s) => [s.label, s]));
    const stalls = db
      .prepare(`SELECT id, site_id, label, status, created_by FROM stalls WHERE created_by IN (${users})`)
      .all() as StallRecord[];
    const keys = db
      .prepare(`SELECT key, user_id, result_url FROM idempotency_keys WHERE user_id IN (${users})`)
      .all() as { key: string; user_id: number; result_url: string }[];
    const stallIds = new Set(stalls.map((s) => s.id));
    const keysOfStall = new Map<number, typeof keys>();
    for (const key of keys) {
      const stallId = stallIdOf(key.result_url);
      if (stallId === undefined || !stallIds.has(stallId)) {
        problems.push(`key ${key.key} leads to ${key.result_url}, a stall that does not exist`);
        continue;
      }
      keysOfStall.set(stallId, [...(keysOfStall.get(stallId) ?? []), key]);
    }
    const history = db.prepare(
      'SELECT from_status AS "from", to_status AS "to" FROM stall_status_history WHERE stall_id = ? ORDER BY id',
    );
    const visits = db.prepare('SELECT action, account_id FROM visits WHERE stall_id = ? ORDER BY id');
    const accounts = db.prepare(
      'SELECT id, bin, account_number, source, is_primary FROM stall_accounts WHERE stall_id = ?',
    );
    const audit = db.prepare('SELECT action FROM audit_log WHERE entity = ? AND entity_id = ? ORDER BY id');

    for (const stall of stalls) {
      const where = `stall ${stall.id} "${stall.label}"`;
      const submit = byLabel.get(stall.label);
      if (!submit) {
        problems.push(`${where}: no submit had this label`);
        continue;
      }
      if (stall.site_id !== siteId) problems.push(`${where}: on site ${stall.site_id}, sent to ${siteId}`);
      if (stall.created_by !== submit.worker.userId) problems.push(`${where}: created by user ${stall.created_by}`);
      const withAccount = submit.accountNumber !== undefined;
      const itsKeys = keysOfStall.get(stall.id) ?? [];
      if (itsKeys.length !== 1 || itsKeys[0]!.key !== submit.key || itsKeys[0]!.user_id !== submit.worker.userId) {
        problems.push(`${where}: idempotency keys ${JSON.stringify(itsKeys.map((k) => k.key))}, sent ${submit.key}`);
      } else if (itsKeys[0]!.result_url.includes('/name-check') !== withAccount) {
        problems.push(`${where}: key leads to ${itsKeys[0]!.result_url}`);
      }
      const steps = (history.all(stall.id) as { from: string | null; to: string }[]).map((h) => `${h.from}→${h.to}`);
      const expectedSteps = withAccount ? ['null→surveyed', 'surveyed→has_account'] : ['null→surveyed'];
      if (steps.join() !== expectedSteps.join()) problems.push(`${where}: history ${steps.join(', ') || 'none'}`);
      if (stall.status !== (withAccount ? 'has_account' : 'surveyed')) {
        problems.push(`${where}: status ${stall.status}`);
      }
      const itsAccounts = accounts.all(stall.id) as {
        id: number;
        bin: string;
        account_number: string;
        source: string;
        is_primary: number;
      }[];
      const account = itsAccounts[0];
      if (
        withAccount
          ? itsAccounts.length !== 1 ||
            account!.bin !== BANK_BIN ||
            account!.account_number !== submit.accountNumber ||
            account!.source !== submit.given ||
            account!.is_primary !== 1
          : itsAccounts.length !== 0
      ) {
        problems.push(`${where}: accounts ${JSON.stringify(itsAccounts)}, sent ${submit.accountNumber ?? 'none'}`);
      }
      const itsVisits = visits.all(stall.id) as { action: string; account_id: number | null }[];
      const expectedVisits = withAccount ? `onboarded:null,account_added:${account?.id}` : 'onboarded:null';
      if (itsVisits.map((v) => `${v.action}:${v.account_id}`).join() !== expectedVisits) {
        problems.push(`${where}: visits ${JSON.stringify(itsVisits)}`);
      }
      const stallAudit = (audit.all('stall', stall.id) as { action: string }[]).map((a) => a.action).join();
      if (stallAudit !== (withAccount ? 'stall.create,stall.status' : 'stall.create')) {
        problems.push(`${where}: stall audit rows ${stallAudit || 'none'}`);
      }
      if (account) {
        const accountAudit = (audit.all('account', account.id) as { action: string }[]).map((a) => a.action).join();
        if (accountAudit !== 'account.add') problems.push(`${where}: account audit rows ${accountAudit || 'none'}`);
      }
    }
    return problems;
  } finally {
    db.close();
  }
}

function databaseChecks(file: string): { integrity: string; foreignKeyProblems: number } {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const integrity = (db.pragma('integrity_check') as { integrity_check: string }[])
      .map((row) => row.integrity_check)
      .join('; ');
    return { integrity, foreignKeyProblems: (db.pragma('foreign_key_check') as unknown[]).length };
  } finally {
    db.close();
  }
}

function stallsPerLabel(file: string, userIds: number[]): Map<string, number> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare(`SELECT label, count(*) AS n FROM stalls WHERE created_by IN (${userIds.join(',')}) GROUP BY label`)
      .all() as { label: string; n: number }[];
    return new Map(rows.map((row) => [row.label, row.n]));
  } finally {
    db.close();
  }
}

function committedKeys(file: string, userIds: number[]): Map<string, string> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare(`SELECT key, result_url FROM idempotency_keys WHERE user_id IN (${userIds.join(',')})`)
      .all() as { key: string; result_url: string }[];
    return new Map(rows.map((row) => [row.key, row.result_url]));
  } finally {
    db.close();
  }
}

/** The processes whose parent is `pid` (the photo decoders a server forks), from /proc. */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // "pid (comm) state ppid …": comm may hold spaces, so split after its closing parenthesis.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid) children.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return children;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function count<T>(items: T[], test: (item: T) => boolean): number {
  return items.filter(test).length;
}

/** Runs the fault phase, prints its figures and returns whether every check held. */
export async function runFaultPhase(): Promise<boolean> {
  const temporary = temporaryDirectory('phoqr-soak-faults-');
  const dir = temporary.path;
  const file = path.join(dir, 'soak.sqlite');
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = {
    PORT: String(port),
    DATABASE_PATH: file,
    PHOQR_ADMIN_PASSWORD: ADMIN_PASSWORD,
    PHOQR_ERASURE_JOURNAL: path.join(dir, 'erasures.jsonl'),
    // Logins are not what is measured: cheap password hashes (demo users, volunteers) keep the start short.
    PHOQR_PASSWORD_COST: '10',
  };
  let server: StartedServer | undefined;
  const limit = setTimeout(() => {
    console.error(`soak faults: stopped after ${TIME_LIMIT_MS / 1000} s (SOAK_FAULT_LIMIT_S)`);
    process.exit(1); // the servers are killed and the directory removed on exit
  }, TIME_LIMIT_MS);
  const phaseStarted = performance.now();
  // Progress, so that a run stopped by its time limit shows where it was.
  const step = (what: string) => console.log(`  [${((performance.now() - phaseStarted) / 1000).toFixed(1)} s] ${what}`);
  const failures: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) failures.push(what);
  };

  try {
    console.log('soak faults: starting the server with the demo programme…');
    server = await startServer(env, { stderr: 'keep' });
    const first = server;
    step(`first start (migrations + demo): ${first.startMs.toFixed(0)} ms`);

    // The volunteers, by the command line while the server runs (as an admin would); reach: Chợ Hoa Lư's commune.
    const usernames = Array.from({ length: VOLUNTEERS }, (_, i) => `soak.tnv${i + 1}`);
    await Promise.all(
      usernames.map((username) =>
        execFileAsync(
          process.execPath,
          [
            path.join(projectRoot, 'dist/src/cli/phoqr.js'),
            'create-user',
            username,
            '--role',
            'volunteer',
            '--reach',
            `commune:${COMMUNE}`,
          ],
          { env: { ...process.env, ...env, PHOQR_PASSWORD: VOLUNTEER_PASSWORD } },
        ),
      ),
    );
    const { siteId, userIdOf } = (() => {
      const db = new Database(file, { readonly: true, fileMustExist: true });
      try {
        const site = db.prepare('SELECT id FROM sites WHERE commune_code = ? ORDER BY id LIMIT 1').get(COMMUNE) as {
          id: number;
        };
        const ids = db
          .prepare(`SELECT id, username FROM users WHERE username IN (${usernames.map(() => '?').join(',')})`)
          .all(...usernames) as { id: number; username: string }[];
        return { siteId: site.id, userIdOf: new Map(ids.map((row) => [row.username, row.id])) };
      } finally {
        db.close();
      }
    })();
    const userIds = [...userIdOf.values()];
    // Two sessions per volunteer: two phones, or two tabs.
    const workers: Worker[] = await Promise.all(
      Array.from({ length: WORKERS }, async (_, i) => {
        const username = usernames[i % VOLUNTEERS]!;
        const client = new Client(base);
        const csrf = await client.login(username, VOLUNTEER_PASSWORD);
        return { client, userId: userIdOf.get(username)!, username, csrf };
      }),
    );

    const runTag = Date.now().toString(36);
    let sequence = 0;
    const newSubmit = (worker: Worker, given: AccountGiven): Submit => {
      const n = ++sequence;
      return {
        worker,
        key: `soak-${runTag}-${String(n).padStart(6, '0')}`,
        label: `Sạp thử ${n}`,
        accountNumber: given ? `12010${String(n).padStart(9, '0')}` : undefined,
        given,
        outcome: 'pending',
      };
    };
    // Half the submits bring an account, typed or (one session) photographed: every shape of the transaction is
    // cut by the kill. One session only, since photos are decoded one or two at a time.
    const givenBy = (index: number): AccountGiven => (index === 0 ? 'photo' : sequence % 2 === 0 ? 'typed' : undefined);

    step(`${WORKERS} sessions logged in; submitting`);

    // 1. Concurrent submits until the kill.
    const submits: Submit[] = [];
    const killAt = KILL_AFTER_ACKS + Math.floor(Math.random() * 60);
    let acked = 0;
    let killed = false;
    let inFlightAtKill: Submit[] = [];
    let ackedAtKill = 0;
    let decodersAtKill: number[] = [];
    const kill = () => {
      if (killed) return;
      killed = true;
      ackedAtKill = acked;
      inFlightAtKill = submits.filter((s) => s.outcome === 'pending');
      decodersAtKill = childrenOf(first.pid);
      // The node process itself (spawned directly, no shell): nothing gets to flush or close the database.
      process.kill(first.pid, 'SIGKILL');
    };
    const killTimer = setTimeout(kill, KILL_AFTER_MS);
    const loadStarted = performance.now();
    await Promise.all(
      workers.map(async (worker, index) => {
        while (!killed) {
          const submit = newSubmit(worker, givenBy(index));
          submits.push(submit);
          await send(submit, siteId);
          if (submit.outcome === 'acked' && ++acked >= killAt) kill();
        }
      }),
    );
    clearTimeout(killTimer);
    const loadSeconds = (performance.now() - loadStarted) / 1000;
    await first.exited();
    const refusedBeforeKill = submits.filter((s) => s.outcome === 'refused');
    check(
      refusedBeforeKill.length === 0,
      `${refusedBeforeKill.length} submits answered other than 303 before the kill`,
    );

    step(`killed after ${acked} acknowledged submits; restarting`);

    // 2. Restart on the same file.
    server = await startServer(env, { stderr: 'keep' });
    const restartMs = server.startMs;
    // A photo decoder forked by the killed server could outlive it (its time limit was a timer in the server):
    // counted, not a failure.
    const orphansAfterRestart = decodersAtKill.filter(alive);

    // 3. What the restarted server holds.
    const afterRestart = databaseChecks(file);
    check(afterRestart.integrity === 'ok', `integrity_check after the restart: ${afterRestart.integrity}`);
    check(afterRestart.foreignKeyProblems === 0, `${afterRestart.foreignKeyProblems} foreign_key_check rows`);
    const ackedSubmits = submits.filter((s) => s.outcome === 'acked');
    const present = (() => {
      const db = new Database(file, { readonly: true, fileMustExist: true });
      try {
        const stall = db.prepare('SELECT site_id, label, created_by FROM stalls WHERE id = ?');
        const account = db.prepare(
          'SELECT 1 FROM stall_accounts WHERE stall_id = ? AND bin = ? AND account_number = ?',
        );
        return ackedSubmits.filter((s) => {
          const row = stall.get(s.stallId) as { site_id: number; label: string; created_by: number } | undefined;
          return (
            row !== undefined &&
            row.site_id === siteId &&
            row.label === s.label &&
            row.created_by === s.worker.userId &&
            (s.accountNumber === undefined || account.get(s.stallId, BANK_BIN, s.accountNumber) !== undefined)
          );
        }).length;
      } finally {
        db.close();
      }
    })();
    check(present === ackedSubmits.length, `${ackedSubmits.length - present} acknowledged stalls missing`);
    const halfAfterRestart = halfWritten(file, submits, siteId, userIds);
    check(halfAfterRestart.length === 0, `${halfAfterRestart.length} half-written after the restart`);
    const keysAfterRestart = committedKeys(file, userIds);
    const unanswered = submits.filter((s) => s.outcome !== 'acked');
    const unansweredCommitted = count(unanswered, (s) => keysAfterRestart.has(s.key));

    step('restarted and checked; retrying every submit');

    // 4. Retry every submit, same key, same session, same fields, 8 at a time.
    const retries = { same: 0, created: 0, wrong: 0, failed: 0, reLogins: 0, networkRetries: 0 };
    const retryProblems: string[] = [];
    const queue = [...submits];
    await Promise.all(
      workers.map(async () => {
        for (let submit = queue.shift(); submit; submit = queue.shift()) {
          const expected = submit.outcome === 'acked' ? submit.location : keysAfterRestart.get(submit.key);
          const retry: Submit = { ...submit, outcome: 'pending' };
          for (let attempt = 0; attempt < 4; attempt++) {
            await send(retry, siteId);
            if (retry.outcome === 'unanswered') {
              retries.networkRetries++;
              continue;
            }
            // Sessions live in the database and should survive the kill; if one did not (sent to the login
            // page, or its CSRF token refused), log in again and resend.
            if ((retry.status === 303 && retry.location?.startsWith('/login')) || retry.status === 403) {
              retries.reLogins++;
              retry.worker.csrf = await retry.worker.client.login(retry.worker.username, VOLUNTEER_PASSWORD);
              continue;
            }
            break;
          }
          if (retry.outcome !== 'acked') {
            retries.failed++;
            retryProblems.push(`retry of ${submit.key}: ${retry.status ?? retry.error}`);
          } else if (expected !== undefined && retry.location === expected) {
            retries.same++;
          } else if (expected === undefined && !ackedSubmits.some((s) => s.stallId === retry.stallId)) {
            retries.created++;
            submit.location = retry.location;
          } else {
            retries.wrong++;
            retryProblems.push(`retry of ${submit.key}: ${retry.location}, first ${expected ?? 'nothing'}`);
          }
        }
      }),
    );
    check(retries.failed === 0 && retries.wrong === 0, `${retries.failed + retries.wrong} retries went wrong`);
    check(retries.same === ackedSubmits.length + unansweredCommitted, 'not every committed submit replayed');
    const perLabel = stallsPerLabel(file, userIds);
    const duplicates = count(submits, (s) => (perLabel.get(s.label) ?? 0) > 1);
    const missing = count(submits, (s) => (perLabel.get(s.label) ?? 0) === 0);
    check(duplicates === 0, `${duplicates} labels with more than one stall after the retries`);
    check(missing === 0, `${missing} labels with no stall after the retries`);

    step(`retried; ${DOUBLE_SUBMITS} double submits`);

    // 5. The same key twice at once, by the same user in the same session.
    const doubles = {
      bothSame: 0,
      oneStall: 0,
      statuses: new Map<string, number>(),
      examples: new Map<string, string>(),
    };
    // Typed and photographed alternately: the photo's worker thread holds the request between its check for a
    // previous result and its transaction, so both of a pair can pass the check.
    const pairs = Array.from({ length: DOUBLE_SUBMITS }, (_, i) =>
      newSubmit(workers[i % WORKERS]!, i % 4 === 3 ? 'photo' : 'typed'),
    );
    const pairQueue = [...pairs];
    await Promise.all(
      workers.map(async () => {
        for (let submit = pairQueue.shift(); submit; submit = pairQueue.shift()) {
          const twice: Submit[] = [
            { ...submit, outcome: 'pending' },
            { ...submit, outcome: 'pending' },
          ];
          await Promise.all(twice.map((s) => send(s, siteId)));
          const answers = twice.map(
            (s) => `${s.status ?? s.error}${s.fieldsInError?.length ? ` [${s.fieldsInError}]` : ''}`,
          );
          const statuses = `${submit.given}: ${answers.sort().join(' + ')}`;
          doubles.statuses.set(statuses, (doubles.statuses.get(statuses) ?? 0) + 1);
          const message = twice.find((s) => s.message)?.message;
          if (message && !doubles.examples.has(statuses)) doubles.examples.set(statuses, message);
          if (twice.every((s) => s.outcome === 'acked' && s.location === twice[0]!.location)) doubles.bothSame++;
        }
      }),
    );
    const perLabelAfterDoubles = stallsPerLabel(file, userIds);
    doubles.oneStall = count(pairs, (s) => perLabelAfterDoubles.get(s.label) === 1);
    check(
      doubles.oneStall === pairs.length,
      `${pairs.length - doubles.oneStall} double submits without exactly 1 stall`,
    );
    check(doubles.bothSame === pairs.length, `${pairs.length - doubles.bothSame} double submits not both → the stall`);

    step('double submits sent; checking everything once more');

    // 6. Everything once more, now that retries and double submits have written too.
    const halfAtEnd = halfWritten(file, [...submits, ...pairs], siteId, userIds);
    check(halfAtEnd.length === 0, `${halfAtEnd.length} half-written at the end`);
    const atEnd = databaseChecks(file);
    check(atEnd.integrity === 'ok', `integrity_check at the end: ${atEnd.integrity}`);
    check(atEnd.foreignKeyProblems === 0, `${atEnd.foreignKeyProblems} foreign_key_check rows at the end`);

    const serverErrors = [first.stderr(), server.stderr()]
      .join('\n')
      .split('\n')
      .filter((line) => /Error|SQLITE/.test(line));
    const distinctErrors = [...new Set(serverErrors.map((line) => line.trim()))];

    console.log(`\nsoak faults: ${WORKERS} concurrent sessions of ${VOLUNTEERS} volunteers, site ${siteId}`);
    console.log(`  submits before the kill: ${submits.length} in ${loadSeconds.toFixed(1)} s (kill after ${killAt})`);
    console.log(
      `  acknowledged when SIGKILL was sent: ${ackedAtKill}; in flight at that moment: ${inFlightAtKill.length}`,
    );
    console.log(
      `  outcomes: ${ackedSubmits.length} acknowledged, ${count(submits, (s) => s.outcome === 'unanswered')} ` +
        `unanswered, ${refusedBeforeKill.length} refused`,
    );
    console.log(`  restart: ${restartMs.toFixed(0)} ms from spawn to /healthz ok`);
    console.log(
      `  photo decoders running at the kill: ${decodersAtKill.length}, still running after the restart: ` +
        `${orphansAfterRestart.length}`,
    );
    console.log(
      `  integrity_check after restart: ${afterRestart.integrity}, foreign_key_check rows: ` +
        `${afterRestart.foreignKeyProblems}`,
    );
    console.log(`  acknowledged present after restart: ${present} of ${ackedSubmits.length}`);
    console.log(`  unanswered that had committed: ${unansweredCommitted} of ${unanswered.length}`);
    console.log(`  half-written after restart: ${halfAfterRestart.length}`);
    for (const problem of halfAfterRestart.slice(0, 10)) console.log(`    ${problem}`);
    console.log(
      `  retries (same key, same session): ${retries.same} same result, ${retries.created} created once, ` +
        `${retries.wrong} wrong result, ${retries.failed} failed; re-logins ${retries.reLogins}, ` +
        `network retries ${retries.networkRetries}`,
    );
    for (const problem of retryProblems.slice(0, 10)) console.log(`    ${problem}`);
    console.log(`  labels with more than one stall: ${duplicates}; with none: ${missing}`);
    console.log(
      `  double submits (same key twice at once): ${pairs.length} pairs, ${doubles.oneStall} with exactly one ` +
        `stall, ${doubles.bothSame} with both answers → that stall`,
    );
    for (const [statuses, n] of [...doubles.statuses].sort()) {
      console.log(`    answers ${statuses}: ${n}`);
      if (doubles.examples.has(statuses)) console.log(`      e.g. "${doubles.examples.get(statuses)}"`);
    }
    console.log(`  half-written at the end: ${halfAtEnd.length}; integrity_check at the end: ${atEnd.integrity}`);
    for (const problem of halfAtEnd.slice(0, 10)) console.log(`    ${problem}`);
    if (distinctErrors.length > 0) {
      console.log(`  server error lines (${serverErrors.length}, distinct first 5):`);
      for (const line of distinctErrors.slice(0, 5)) console.log(`    ${line}`);
    }
    console.log(failures.length === 0 ? '  fault checks: all passed' : `  FAULT CHECKS FAILED (${failures.length}):`);
    for (const failure of failures) console.log(`    ${failure}`);
    return failures.length === 0;
  } finally {
    clearTimeout(limit);
    if (server) {
      server.child.kill('SIGKILL');
      await server.exited();
    }
    temporary.remove();
  }
}
