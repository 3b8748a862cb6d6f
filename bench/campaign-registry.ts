/**
 * The campaign bench's registry: the national one (bench/adoption-bench.ts generates it) or a fresh demo, brought
 * to the current schema, with the bench's own volunteers and leaders. They are created through the users
 * service before the server starts (the command line's `create-user` does the same, one process per user),
 * with a cheap scrypt cost: the bench logs each in once and what it measures is the day's work, not logins.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { openRegistry } from '../src/bootstrap.js';
import { systemClock } from '../src/clock.js';
import { loadConfig } from '../src/config.js';
import { seedDemo } from '../src/demo/demo-seed.js';
import { projectRoot } from '../src/paths.js';
import type { ReachUnit } from '../src/vocabulary/reach.js';

export const BENCH_PASSWORD = 'Ra-quan-ca-ngay-2026!';
/** Pool sizes from the issue: enough sessions to look like a day's crowd, few enough logins to be cheap. */
export const VOLUNTEER_POOL = 50;
export const LEADER_POOL = 10;
/** Of the volunteers, this many work one commune each; the rest one big site each (a market's own team). */
const COMMUNE_VOLUNTEERS = 40;
const CHEAP_PASSWORD_COST = '10';

export interface BenchUser {
  readonly username: string;
  readonly role: 'volunteer' | 'leader';
  /** The sites of the user's reach: where a volunteer onboards and which site pages they open. */
  readonly sites: readonly number[];
}

export interface Registry {
  readonly file: string;
  /** The province the day is about: the one with the most stalls (Gia Lai, 52, in both registries). */
  readonly province: string;
  readonly stalls: number;
  readonly sites: number;
  readonly volunteers: readonly BenchUser[];
  readonly leaders: readonly BenchUser[];
}

/** Runs the adoption bench's generator (several minutes): the same national registry its figures come from. */
export function generateNationalRegistry(file: string): void {
  const tsx = path.join(projectRoot, 'node_modules/.bin/tsx');
  const result = spawnSync(tsx, ['bench/adoption-bench.ts', '--generate-only', '--file', file], {
    cwd: projectRoot,
    stdio: 'inherit',
  });
  if (result.status !== 0 || !existsSync(file)) throw new Error(`generating ${file} failed (${result.status})`);
}

function focusProvince(db: Database.Database): string {
  return db
    .prepare(
      `SELECT c.province_code FROM stalls s JOIN sites si ON si.id = s.site_id
         JOIN communes c ON c.code = si.commune_code GROUP BY c.province_code ORDER BY count(*) DESC LIMIT 1`,
    )
    .pluck()
    .get() as string;
}

/** The province's communes that run sites, most sites first: a volunteer of a commune has sites to work. */
function communesWithSites(db: Database.Database, province: string): string[] {
  return db
    .prepare(
      `SELECT si.commune_code FROM sites si JOIN communes c ON c.code = si.commune_code
        WHERE c.province_code = ? GROUP BY si.commune_code ORDER BY count(*) DESC, si.commune_code`,
    )
    .pluck()
    .all(province) as string[];
}

/** The province's biggest sites: the markets whose pages and forms cost the most. */
function biggestSites(db: Database.Database, province: string, count: number): number[] {
  return db
    .prepare(
      `SELECT si.id FROM sites si JOIN communes c ON c.code = si.commune_code
        WHERE c.province_code = ?
        ORDER BY (SELECT count(*) FROM stalls s WHERE s.site_id = si.id) DESC, si.id LIMIT ?`,
    )
    .pluck()
    .all(province, count) as number[];
}

/**
 * The sites of a user's reach as stored, not as planned: a registry reused with --file keeps the users of an
 * earlier run, whose biggest sites (the plan's input) may have changed since with the stalls that run added.
 */
function sitesInReach(db: Database.Database, username: string): number[] {
  return db
    .prepare(
      `SELECT si.id FROM sites si JOIN users u ON u.username = ?
        WHERE si.id IN (SELECT site_id FROM user_reach WHERE user_id = u.id)
           OR si.commune_code IN (SELECT commune_code FROM user_reach WHERE user_id = u.id) ORDER BY si.id`,
    )
    .pluck()
    .all(username) as number[];
}

interface PlannedUser {
  readonly username: string;
  readonly role: 'volunteer' | 'leader';
  readonly reach: ReachUnit[];
}

/**
 * Who works the day: volunteers spread over the province's communes (and a few on its biggest sites), leaders
 * on the whole province. Names are fixed, so a registry reused with --file reuses its bench users.
 */
function planUsers(db: Database.Database, province: string): PlannedUser[] {
  const communes = communesWithSites(db, province);
  const big = biggestSites(db, province, VOLUNTEER_POOL - COMMUNE_VOLUNTEERS);
  if (communes.length === 0 || big.length === 0) throw new Error(`province ${province} has no sites`);
  const volunteers = Array.from({ length: VOLUNTEER_POOL }, (_, i): PlannedUser => {
    const username = `bench.tnv${String(i + 1).padStart(2, '0')}`;
    if (i < COMMUNE_VOLUNTEERS) {
      const code = communes[i % communes.length]!;
      return { username, role: 'volunteer', reach: [{ kind: 'commune', code }] };
    }
    const id = big[(i - COMMUNE_VOLUNTEERS) % big.length]!;
    return { username, role: 'volunteer', reach: [{ kind: 'site', id }] };
  });
  const leaders = Array.from({ length: LEADER_POOL }, (_, i): PlannedUser => {
    const username = `bench.lanhdao${String(i + 1).padStart(2, '0')}`;
    return { username, role: 'leader', reach: [{ kind: 'province', code: province }] };
  });
  return [...volunteers, ...leaders];
}

/**
 * Migrates `file` (the server would, but the users need the current schema first), seeds the demo into it when
 * asked (a new file), and creates the bench's users that are not there yet.
 */
export async function prepareRegistry(file: string, options: { demo: boolean }): Promise<Registry> {
  const config = loadConfig({
    DATABASE_PATH: file,
    PHOQR_PASSWORD_COST: CHEAP_PASSWORD_COST,
    PHOQR_SEED_DEMO: '0',
    PHOQR_ERASURE_JOURNAL: `${file}.erasures.jsonl`,
  });
  const { db, data, services } = openRegistry(config, systemClock);
  try {
    if (options.demo) await seedDemo(data, systemClock, { passwordHashCost: Number(CHEAP_PASSWORD_COST) });
    const province = focusProvince(db);
    const planned = planUsers(db, province);
    const exists = db.prepare('SELECT 1 FROM users WHERE username = ?').pluck();
    for (const user of planned) {
      if (exists.get(user.username)) continue;
      await services.users.createUser({
        username: user.username,
        role: user.role,
        password: BENCH_PASSWORD,
        displayName: user.username,
        reach: user.reach,
      });
    }
    const count = (table: string) => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
    const toBench = ({ username, role }: PlannedUser): BenchUser => ({
      username,
      role,
      sites: role === 'volunteer' ? sitesInReach(db, username) : [],
    });
    return {
      file,
      province,
      stalls: count('stalls'),
      sites: count('sites'),
      volunteers: planned.filter((u) => u.role === 'volunteer').map(toBench),
      leaders: planned.filter((u) => u.role === 'leader').map(toBench),
    };
  } finally {
    db.close();
  }
}
