import { beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import type { Db } from '../../src/db/database.js';
import { DemoAlreadyLoadedError, seedDemo, type DemoSummary } from '../../src/demo/demo-seed.js';
import { isGoodsCategory } from '../../src/stalls/goods-categories.js';
import { REFUSAL_REASONS, isRefusalReason, type StallStatus } from '../../src/stalls/stall-status.js';
import { foldForSearch } from '../../src/text/fold.js';
import { createTestDb } from '../helpers/db.js';

const NOW = '2026-11-22T03:00:00Z';
const NOW_MS = Date.parse(NOW);
const DAY = 24 * 60 * 60 * 1000;
const TABLES = ['users', 'sites', 'stalls', 'stall_status_history'] as const;

interface SiteCoverage {
  id: number;
  name: string;
  kind: string;
  commune_code: string;
  province_code: string;
  target_percent: number;
  stalls: number;
  installed: number;
  census: number;
}

interface StallRow {
  id: number;
  site_id: number;
  label: string;
  business_name: string;
  owner_name: string;
  phone: string | null;
  goods_category: string;
  status: StallStatus;
  refusal_reason: string | null;
  search_folded: string;
  created_at: string;
  created_by: number;
  updated_at: string;
  updated_by: number;
}

interface HistoryRow {
  id: number;
  stall_id: number;
  from_status: StallStatus | null;
  to_status: StallStatus;
  changed_at: string;
  changed_by: number;
  reason: string | null;
  note: string;
}

/** Every row of the tables the seed writes, in id order; password hashes are salted, so left out on request. */
function dump(db: Db, { withPasswords = false } = {}): string {
  const tables = TABLES.map((table) => {
    const rows = db.prepare(`SELECT * FROM ${table} ORDER BY id`).all() as Record<string, unknown>[];
    return rows.map((row) => {
      if (table !== 'users' || withPasswords) return row;
      const { password_hash: _hash, ...rest } = row;
      return rest;
    });
  });
  return JSON.stringify(tables);
}

function coverageBySite(db: Db): SiteCoverage[] {
  return db
    .prepare(
      `SELECT s.id, s.name, s.kind, s.commune_code, c.province_code, s.target_percent,
              count(st.id) AS stalls,
              sum(st.status = 'installed') AS installed,
              sum(st.status <> 'closed') AS census
         FROM sites s
         JOIN communes c ON c.code = s.commune_code
         LEFT JOIN stalls st ON st.site_id = s.id
        GROUP BY s.id ORDER BY s.id`,
    )
    .all() as SiteCoverage[];
}

const achieved = (site: SiteCoverage) => site.installed * 100 >= site.target_percent * site.census;
const percent = (site: SiteCoverage) => (site.installed * 100) / site.census;

describe('seedDemo', () => {
  // Read-only checks share one seeded database (seeding hashes 16 passwords); tests that write build their own.
  let db: Db;
  let summary: DemoSummary;
  let sites: SiteCoverage[];
  let stalls: StallRow[];
  let history: HistoryRow[];
  const site = (name: string) => {
    const found = sites.find((s) => s.name === name);
    if (!found) throw new Error(`no site ${name}`);
    return found;
  };

  beforeAll(async () => {
    db = createTestDb();
    summary = await seedDemo(db, fixedClock(NOW));
    sites = coverageBySite(db);
    stalls = db.prepare('SELECT * FROM stalls ORDER BY id').all() as StallRow[];
    history = db.prepare('SELECT * FROM stall_status_history ORDER BY stall_id, changed_at, id').all() as HistoryRow[];
  }, 20_000);

  it('returns a summary that matches the tables', () => {
    const count = (table: string) => (db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number);
    expect(summary).toEqual({
      sites: count('sites'),
      stalls: count('stalls'),
      users: count('users'),
      historyRows: count('stall_status_history'),
    });
    expect(summary.sites).toBe(7);
  });

  it('loads the pilot sites of Gia Lai with their real launch dates', () => {
    expect(sites.every((s) => s.province_code === '52')).toBe(true);
    const hoaLu = db.prepare("SELECT * FROM sites WHERE name = 'Chợ Hoa Lư'").get() as Record<string, unknown>;
    expect(hoaLu).toMatchObject({ kind: 'market', commune_code: '23575', launched_on: '2023-12-03', target_percent: 70 });
    expect(hoaLu.note).toContain('BIDV Gia Lai');
    expect(hoaLu.name_folded).toBe('cho hoa lu');
    expect(site('Trung tâm thương mại xã Chư Prông')).toMatchObject({ kind: 'trade_centre', commune_code: '23887' });
    expect(site('Chợ tạm thôn 3')).toMatchObject({ kind: 'market', commune_code: '23887' });
    const tttm = db.prepare("SELECT launched_on FROM sites WHERE kind = 'trade_centre'").pluck().get();
    expect(tttm).toBe('2023-06-01');
  });

  it('puts the streets in the communes that now hold Bồng Sơn, Tam Quan and Hoài Châu Bắc', () => {
    const mapped = db
      .prepare(
        `SELECT old_name, new_commune_code FROM commune_mappings
          WHERE old_district_name = 'Thị xã Hoài Nhơn' AND old_name IN ('Phường Bồng Sơn', 'Phường Tam Quan', 'Xã Hoài Châu Bắc')
          ORDER BY old_name`,
      )
      .all();
    expect(mapped).toEqual([
      { old_name: 'Phường Bồng Sơn', new_commune_code: '21640' },
      { old_name: 'Phường Tam Quan', new_commune_code: '21637' },
      { old_name: 'Xã Hoài Châu Bắc', new_commune_code: '21655' },
    ]);
    const streets = sites.filter((s) => s.kind === 'street');
    expect(streets.length).toBeGreaterThanOrEqual(3);
    expect(new Set(streets.map((s) => s.commune_code))).toEqual(new Set(['21640', '21637', '21655']));
  });

  it('gives each site a believable number of stalls', () => {
    for (const s of sites) {
      if (s.kind === 'street') {
        expect(s.stalls, s.name).toBeGreaterThanOrEqual(25);
        expect(s.stalls, s.name).toBeLessThanOrEqual(60);
      } else {
        expect(s.stalls, s.name).toBeGreaterThanOrEqual(50);
        expect(s.stalls, s.name).toBeLessThanOrEqual(150);
      }
    }
    expect(site('Chợ Hoa Lư').stalls).toBeGreaterThanOrEqual(100);
    expect(site('Chợ Hoa Lư').stalls).toBeLessThanOrEqual(140);
    expect(site('Trung tâm thương mại xã Chư Prông').stalls).toBeGreaterThanOrEqual(75);
    expect(site('Trung tâm thương mại xã Chư Prông').stalls).toBeLessThanOrEqual(105);
    expect(site('Chợ tạm thôn 3').stalls).toBeGreaterThanOrEqual(45);
    expect(site('Chợ tạm thôn 3').stalls).toBeLessThanOrEqual(75);
  });

  it('shows the reported coverage: markets above or below target as the press reported, streets mixed', () => {
    const hoaLu = site('Chợ Hoa Lư');
    expect(achieved(hoaLu)).toBe(true);
    expect(percent(hoaLu)).toBeGreaterThanOrEqual(75);
    expect(percent(hoaLu)).toBeLessThanOrEqual(80);

    const tttm = site('Trung tâm thương mại xã Chư Prông');
    expect(achieved(tttm)).toBe(true);
    expect(percent(tttm)).toBeGreaterThan(70);

    const temporary = site('Chợ tạm thôn 3');
    expect(achieved(temporary)).toBe(false);
    expect(percent(temporary)).toBeGreaterThanOrEqual(45);
    expect(percent(temporary)).toBeLessThanOrEqual(55);

    const streets = sites.filter((s) => s.kind === 'street');
    expect(streets.some(achieved)).toBe(true);
    expect(streets.some((s) => !achieved(s))).toBe(true);
    expect(streets.filter((s) => s.target_percent === 80)).toHaveLength(1);
    expect(streets.filter((s) => s.target_percent !== 80).every((s) => s.target_percent === 70)).toBe(true);
  });

  it('labels stalls as each site does, uniquely within the site', () => {
    const kindOf = new Map(sites.map((s) => [s.id, s.kind]));
    for (const stall of stalls) {
      const pattern = kindOf.get(stall.site_id) === 'street' ? /^số \d+A?$/u : /^(Sạp \d+|Quầy \d+|Ki-ốt [A-Z]\d+)$/u;
      expect(stall.label).toMatch(pattern);
    }
    const duplicates = db
      .prepare('SELECT site_id, label COLLATE NOCASE, count(*) FROM stalls GROUP BY 1, 2 HAVING count(*) > 1')
      .all();
    expect(duplicates).toEqual([]);
    const marketLabels = stalls.filter((s) => kindOf.get(s.site_id) !== 'street').map((s) => s.label.split(' ')[0]);
    expect(new Set(marketLabels)).toEqual(new Set(['Sạp', 'Quầy', 'Ki-ốt']));
  });

  it('fills stalls with plausible names, goods, phones and search keys', () => {
    const kindOf = new Map(sites.map((s) => [s.id, s.kind]));
    const phones = stalls.map((s) => s.phone).filter((p): p is string => p !== null);
    expect(phones.length / stalls.length).toBeGreaterThan(0.6);
    expect(phones.length / stalls.length).toBeLessThan(0.8);
    expect(new Set(phones).size).toBe(phones.length);
    for (const phone of phones) expect(phone).toMatch(/^0[35789]\d{8}$/);

    const names = new Set<string>();
    for (const stall of stalls) {
      expect(isGoodsCategory(stall.goods_category)).toBe(true);
      expect(stall.business_name.length).toBeGreaterThan(3);
      expect(stall.owner_name.split(' ').length).toBeGreaterThanOrEqual(2);
      expect(stall.search_folded).toBe(foldForSearch(`${stall.label} ${stall.business_name} ${stall.owner_name}`));
      const key = `${stall.site_id} ${stall.business_name}`;
      expect(names.has(key), key).toBe(false);
      names.add(key);
    }
    expect(stalls.some((s) => /^(Rơ Châm|Rơ Mah|Ksor|Siu|Kpă|Nay|Rah Lan|Puih) /u.test(s.owner_name))).toBe(true);

    const share = (kind: (k: string) => boolean, categories: string[]) => {
      const subset = stalls.filter((s) => kind(kindOf.get(s.site_id)!));
      return subset.filter((s) => categories.includes(s.goods_category)).length / subset.length;
    };
    expect(share((k) => k !== 'street', ['rau_cu', 'thit', 'hai_san', 'trai_cay', 'quan_ao', 'tap_hoa'])).toBeGreaterThan(0.6);
    expect(share((k) => k === 'street', ['an_uong', 'giai_khat', 'tap_hoa', 'dien_thoai', 'my_pham', 'dich_vu'])).toBeGreaterThan(0.5);
  });

  it('spreads statuses over the funnel, with refusals mostly for cash and a few closures', () => {
    const byStatus = (status: StallStatus) => stalls.filter((s) => s.status === status);
    for (const status of ['surveyed', 'has_account', 'qr_verified', 'installed', 'refused', 'closed'] as const) {
      expect(byStatus(status).length, status).toBeGreaterThan(0);
    }
    const closedShare = byStatus('closed').length / stalls.length;
    expect(closedShare).toBeGreaterThan(0.01);
    expect(closedShare).toBeLessThan(0.06);

    const reasons = new Map<string, number>();
    for (const stall of stalls) {
      expect(stall.refusal_reason === null).toBe(stall.status !== 'refused');
      if (stall.refusal_reason) reasons.set(stall.refusal_reason, (reasons.get(stall.refusal_reason) ?? 0) + 1);
    }
    const [top] = [...reasons].sort((a, b) => b[1] - a[1]);
    expect(top?.[0]).toBe('prefers_cash');
    expect(reasons.size).toBeGreaterThanOrEqual(4);
  });

  it('keeps a history that walks the funnel to each stall’s current status', () => {
    const volunteers = new Set(db.prepare("SELECT id FROM users WHERE role = 'volunteer'").pluck().all() as number[]);
    const byStall = new Map<number, HistoryRow[]>();
    for (const row of history) byStall.set(row.stall_id, [...(byStall.get(row.stall_id) ?? []), row]);
    const allowed = new Set([
      'null>surveyed',
      'surveyed>has_account',
      'has_account>qr_verified',
      'qr_verified>installed',
      'installed>qr_verified', // sticker lost, then put up again
      'refused>has_account', // changed their mind
    ]);
    expect(byStall.size).toBe(stalls.length);
    for (const stall of stalls) {
      const rows = byStall.get(stall.id) ?? [];
      expect(rows.length).toBeGreaterThan(0);
      expect(rows[0]).toMatchObject({ from_status: null, to_status: 'surveyed' });
      rows.forEach((row, i) => {
        if (i > 0) {
          expect(row.from_status).toBe(rows[i - 1]!.to_status);
          expect(row.changed_at > rows[i - 1]!.changed_at).toBe(true);
        }
        const step = `${row.from_status}>${row.to_status}`;
        const fromOpen = row.from_status !== null && row.from_status !== 'closed';
        expect(allowed.has(step) || (fromOpen && (row.to_status === 'refused' || row.to_status === 'closed')), step).toBe(true);
        if (row.to_status === 'refused') expect(isRefusalReason(row.reason)).toBe(true);
        else if (row.to_status === 'closed') expect(row.reason).toBeTruthy();
        else expect(row.reason).toBeNull();
        expect(volunteers.has(row.changed_by)).toBe(true);
        const at = Date.parse(row.changed_at);
        expect(at).toBeGreaterThanOrEqual(NOW_MS - 84 * DAY);
        expect(at).toBeLessThanOrEqual(NOW_MS);
        expect(new Date(at).toISOString()).toBe(row.changed_at);
      });
      const first = rows[0]!;
      const last = rows[rows.length - 1]!;
      expect(stall.status).toBe(last.to_status);
      expect(stall.refusal_reason).toBe(last.to_status === 'refused' ? last.reason : null);
      expect([stall.created_at, stall.created_by]).toEqual([first.changed_at, first.changed_by]);
      expect([stall.updated_at, stall.updated_by]).toEqual([last.changed_at, last.changed_by]);
    }
    // Refusal reasons of history rows come from the list; the back-and-forth cases all occur.
    expect(history.filter((r) => r.to_status === 'refused').every((r) => REFUSAL_REASONS.includes(r.reason as never))).toBe(true);
    const steps = history.map((r) => `${r.from_status}>${r.to_status}`);
    expect(steps).toContain('installed>qr_verified');
    expect(steps).toContain('refused>has_account');
    expect(steps.filter((s) => s === 'installed>closed').length).toBeGreaterThanOrEqual(2);
  });

  it('grows coverage week by week over the twelve weeks', () => {
    const installedAsOf = db
      .prepare(
        `SELECT count(*) FROM stalls st
          WHERE (SELECT h.to_status FROM stall_status_history h
                  WHERE h.stall_id = st.id AND h.changed_at <= ?
                  ORDER BY h.changed_at DESC, h.id DESC LIMIT 1) = 'installed'`,
      )
      .pluck();
    const weekly = Array.from({ length: 13 }, (_, week) =>
      installedAsOf.get(new Date(NOW_MS - (12 - week) * 7 * DAY).toISOString()) as number,
    );
    expect(weekly[0]).toBe(0);
    expect(weekly[12]).toBe(stalls.filter((s) => s.status === 'installed').length);
    for (let week = 1; week <= 12; week++) expect(weekly[week]!).toBeGreaterThanOrEqual(weekly[week - 1]!);
    expect(weekly[4]!).toBeGreaterThan(0);
    expect(weekly[8]!).toBeGreaterThan(weekly[4]!);
    expect(weekly[12]!).toBeGreaterThan(weekly[8]!);
  });

  it('creates demo volunteers and leads but no admin; sites belong to team leads', () => {
    const users = db.prepare('SELECT username, role, password_hash, created_at FROM users').all() as {
      username: string;
      role: string;
      password_hash: string;
      created_at: string;
    }[];
    expect(users.some((u) => u.username.toLowerCase() === 'admin' || u.role === 'admin')).toBe(false);
    expect(new Set(users.map((u) => u.role))).toEqual(new Set(['leader', 'team_lead', 'volunteer']));
    for (const user of users) {
      expect(user.username).toMatch(/^(tnv|totruong|lanhdao)\.[a-z]+\d*$/);
      expect(user.password_hash).toMatch(/^scrypt\$/);
    }
    expect(users.map((u) => u.username)).toEqual(
      expect.arrayContaining(['tnv.hoalu1', 'tnv.chuprong1', 'totruong.hoalu', 'lanhdao.gialai']),
    );
    const siteOwners = db
      .prepare('SELECT DISTINCT u.role FROM sites s JOIN users u ON u.id = s.created_by')
      .pluck()
      .all();
    expect(siteOwners).toEqual(['team_lead']);
    const siteAges = db.prepare('SELECT created_at FROM sites').pluck().all() as string[];
    for (const at of siteAges) expect(Math.abs(NOW_MS - Date.parse(at) - 91 * DAY)).toBeLessThan(DAY);
  });

  it('writes only NFC text', () => {
    for (const table of TABLES) {
      for (const row of db.prepare(`SELECT * FROM ${table}`).all() as Record<string, unknown>[]) {
        for (const [column, value] of Object.entries(row)) {
          if (typeof value === 'string') expect(value.normalize('NFC'), `${table}.${column}`).toBe(value);
        }
      }
    }
  });
});

// Each test seeds two or three databases; the time goes into hashing passwords (scrypt), so allow for a busy machine.
describe('seedDemo on a fresh database each', { timeout: 20_000 }, () => {
  it('writes the same rows for the same clock', async () => {
    const first = createTestDb();
    const second = createTestDb();
    await seedDemo(first, fixedClock(NOW));
    await seedDemo(second, fixedClock(NOW));
    expect(dump(second)).toBe(dump(first));
    // Another "now" moves the dates, not the content.
    const later = createTestDb();
    await seedDemo(later, fixedClock('2027-01-10T12:00:00Z'));
    const labels = (db: Db) => db.prepare('SELECT site_id, label, owner_name, status FROM stalls ORDER BY site_id, label').all();
    expect(labels(later)).toEqual(labels(first));
  });

  it('refuses a second load and changes nothing', async () => {
    const db = createTestDb();
    await seedDemo(db, fixedClock(NOW));
    const before = dump(db, { withPasswords: true });
    await expect(seedDemo(db, fixedClock(NOW))).rejects.toBeInstanceOf(DemoAlreadyLoadedError);
    expect(dump(db, { withPasswords: true })).toBe(before);
  });

  it('refuses a database that already has any site, and writes no user', async () => {
    const db = createTestDb();
    db.prepare(
      `INSERT INTO sites (kind, name, name_folded, commune_code, created_at, updated_at)
       VALUES ('street', 'Tuyến phố thử', 'tuyen pho thu', '23575', ?, ?)`,
    ).run(NOW, NOW);
    await expect(seedDemo(db, fixedClock(NOW))).rejects.toBeInstanceOf(DemoAlreadyLoadedError);
    expect(db.prepare('SELECT count(*) FROM users').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM sites').pluck().get()).toBe(1);
  });
});
