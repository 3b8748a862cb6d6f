import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixedClock } from '../../src/clock.js';
import type { Db } from '../../src/db/database.js';
import { sqliteDataAccess } from '../../src/db/data-access.js';
import { DemoAlreadyLoadedError, seedDemo, type DemoSummary } from '../../src/demo/demo-seed.js';
import { DEMO_SITES, DEMO_USERS } from '../../src/demo/demo-sites.js';
import { isGoodsCategory } from '../../src/vocabulary/goods-categories.js';
import { REFUSAL_REASONS, isRefusalReason, type StallStatus } from '../../src/vocabulary/stall-status.js';
import { foldForSearch } from '../../src/text/fold.js';
import { toBankHolderName } from '../../src/vietqr/holder-name.js';
import { CHEAP_DEMO_HASHES, createTestDb } from '../helpers/db.js';

const NOW = '2026-11-22T03:00:00Z';
const NOW_MS = Date.parse(NOW);
const DAY = 24 * 60 * 60 * 1000;
const TABLES = ['users', 'sites', 'stalls', 'stall_status_history', 'stall_accounts', 'visits'] as const;

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
  consent_at: string | null;
  consent_by: number | null;
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

interface AccountRow {
  id: number;
  stall_id: number;
  bin: string;
  account_number: string;
  service: 'account' | 'card';
  holder_name: string;
  source: 'typed' | 'pasted' | 'photo';
  is_primary: 0 | 1;
  verified_at: string | null;
  verified_by: number | null;
  verified_name_seen: string | null;
  retired_at: string | null;
  retired_by: number | null;
  created_at: string;
  created_by: number;
}

interface VisitRow {
  id: number;
  stall_id: number;
  user_id: number;
  visited_at: string;
  action: string;
  sticker_displayed: 'yes' | 'no' | 'replaced' | null;
  transfer_share: number | null;
  account_id: number | null;
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
  let accounts: AccountRow[];
  let visits: VisitRow[];
  /** Rows of a stall, in order. */
  const historyOf = (stallId: number) => history.filter((row) => row.stall_id === stallId);
  const accountsOf = (stallId: number) => accounts.filter((account) => account.stall_id === stallId);
  const visitsOf = (stallId: number) => visits.filter((visit) => visit.stall_id === stallId);
  const reached = (stallId: number, status: StallStatus) => historyOf(stallId).some((row) => row.to_status === status);
  const site = (name: string) => {
    const found = sites.find((s) => s.name === name);
    if (!found) throw new Error(`no site ${name}`);
    return found;
  };

  beforeAll(async () => {
    db = createTestDb();
    summary = await seedDemo(sqliteDataAccess(db), fixedClock(NOW), CHEAP_DEMO_HASHES);
    sites = coverageBySite(db);
    stalls = db.prepare('SELECT * FROM stalls ORDER BY id').all() as StallRow[];
    history = db.prepare('SELECT * FROM stall_status_history ORDER BY stall_id, changed_at, id').all() as HistoryRow[];
    accounts = db.prepare('SELECT * FROM stall_accounts ORDER BY id').all() as AccountRow[];
    visits = db.prepare('SELECT * FROM visits ORDER BY visited_at, id').all() as VisitRow[];
  }, 20_000);

  it('returns a summary that matches the tables', () => {
    const count = (table: string) => db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
    expect(summary).toEqual({
      sites: count('sites'),
      stalls: count('stalls'),
      users: count('users'),
      historyRows: count('stall_status_history'),
      accounts: count('stall_accounts'),
      visits: count('visits'),
    });
    expect(summary.sites).toBe(7);
  });

  it('loads the pilot sites of Gia Lai with their real launch dates', () => {
    expect(sites.every((s) => s.province_code === '52')).toBe(true);
    const hoaLu = db.prepare("SELECT * FROM sites WHERE name = 'Chợ Hoa Lư'").get() as Record<string, unknown>;
    expect(hoaLu).toMatchObject({
      kind: 'market',
      commune_code: '23575',
      launched_on: '2023-12-03',
      target_percent: 70,
    });
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
          WHERE old_district_name = 'Thị xã Hoài Nhơn' AND old_name IN ` +
          `('Phường Bồng Sơn', 'Phường Tam Quan', 'Xã Hoài Châu Bắc')
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
    // One phone is shared by two stalls on purpose (see the warning-signal test).
    expect(new Set(phones).size).toBe(phones.length - 1);
    for (const phone of phones) expect(phone).toMatch(/^0[35789]\d{8}$/);

    const names = new Set<string>();
    for (const stall of stalls) {
      expect(isGoodsCategory(stall.goods_category)).toBe(true);
      expect(stall.search_folded).toBe(foldForSearch(`${stall.label} ${stall.business_name} ${stall.owner_name}`));
      // Without consent a stall has no names (checked in the consent test).
      if (stall.consent_at === null) continue;
      expect(stall.business_name.length).toBeGreaterThan(3);
      expect(stall.owner_name.split(' ').length).toBeGreaterThanOrEqual(2);
      const key = `${stall.site_id} ${stall.business_name}`;
      expect(names.has(key), key).toBe(false);
      names.add(key);
    }
    expect(stalls.some((s) => /^(Rơ Châm|Rơ Mah|Ksor|Siu|Kpă|Nay|Rah Lan|Puih) /u.test(s.owner_name))).toBe(true);

    const share = (kind: (k: string) => boolean, categories: string[]) => {
      const subset = stalls.filter((s) => kind(kindOf.get(s.site_id)!));
      return subset.filter((s) => categories.includes(s.goods_category)).length / subset.length;
    };
    expect(
      share((k) => k !== 'street', ['rau_cu', 'thit', 'hai_san', 'trai_cay', 'quan_ao', 'tap_hoa']),
    ).toBeGreaterThan(0.6);
    expect(
      share((k) => k === 'street', ['an_uong', 'giai_khat', 'tap_hoa', 'dien_thoai', 'my_pham', 'dich_vu']),
    ).toBeGreaterThan(0.5);
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
        expect(
          allowed.has(step) || (fromOpen && (row.to_status === 'refused' || row.to_status === 'closed')),
          step,
        ).toBe(true);
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
    expect(
      history.filter((r) => r.to_status === 'refused').every((r) => REFUSAL_REASONS.includes(r.reason as never)),
    ).toBe(true);
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
    const weekly = Array.from(
      { length: 13 },
      (_, week) => installedAsOf.get(new Date(NOW_MS - (12 - week) * 7 * DAY).toISOString()) as number,
    );
    expect(weekly[0]).toBe(0);
    expect(weekly[12]).toBe(stalls.filter((s) => s.status === 'installed').length);
    for (let week = 1; week <= 12; week++) expect(weekly[week]!).toBeGreaterThanOrEqual(weekly[week - 1]!);
    expect(weekly[4]!).toBeGreaterThan(0);
    expect(weekly[8]!).toBeGreaterThan(weekly[4]!);
    expect(weekly[12]!).toBeGreaterThan(weekly[8]!);
  });

  it('when the demo is seeded, then each team reaches its communes and the leader and viewer the province', () => {
    const reach = db
      .prepare(
        `SELECT u.username, u.whole_country, r.province_code, r.commune_code, r.site_id
           FROM users u JOIN user_reach r ON r.user_id = u.id ORDER BY u.username, r.id`,
      )
      .all() as { username: string; whole_country: number; province_code: string | null; commune_code: string }[];
    const of = (username: string) => reach.filter((row) => row.username === username);
    expect(of('lanhdao.gialai').map((row) => row.province_code)).toEqual(['52']);
    expect(of('xem.gialai').map((row) => row.province_code)).toEqual(['52']);
    expect(of('tnv.hoalu1').map((row) => row.commune_code)).toEqual(['23575']);
    expect(of('totruong.chuprong').map((row) => row.commune_code)).toEqual(['23887']);
    expect(reach.every((row) => row.whole_country === 0)).toBe(true);
    // Every team member's communes are exactly those of the sites their team lead created.
    const mismatches = db
      .prepare(
        `SELECT u.username FROM users u JOIN user_reach r ON r.user_id = u.id
          WHERE u.role IN ('team_lead', 'volunteer')
            AND r.commune_code NOT IN (SELECT commune_code FROM sites)`,
      )
      .all();
    expect(mismatches).toEqual([]);
  });

  it('creates demo volunteers and leads but no admin; sites belong to team leads', () => {
    const users = db.prepare('SELECT username, role, password_hash, created_at FROM users').all() as {
      username: string;
      role: string;
      password_hash: string;
      created_at: string;
    }[];
    expect(users.some((u) => u.username.toLowerCase() === 'admin' || u.role === 'admin')).toBe(false);
    expect(new Set(users.map((u) => u.role))).toEqual(new Set(['leader', 'team_lead', 'volunteer', 'viewer']));
    for (const user of users) {
      expect(user.username).toMatch(/^(tnv|totruong|lanhdao|xem)\.[a-z]+\d*$/);
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

  it('records consent when the stall was registered, and keeps nothing personal without it', () => {
    const withoutConsent = stalls.filter((s) => s.consent_at === null);
    expect(withoutConsent.length).toBeGreaterThanOrEqual(2);
    expect(withoutConsent.length / stalls.length).toBeLessThan(0.05);
    for (const stall of stalls) {
      const first = historyOf(stall.id)[0]!;
      if (stall.consent_at === null) {
        expect(stall, stall.label).toMatchObject({ owner_name: '', business_name: '', phone: null, consent_by: null });
        expect(['surveyed', 'refused']).toContain(stall.status);
        expect(accountsOf(stall.id)).toEqual([]);
      } else {
        expect([stall.consent_at, stall.consent_by]).toEqual([first.changed_at, first.changed_by]);
        expect(stall.owner_name).not.toBe('');
      }
    }
  });

  it('gives every stall that reached has_account exactly one primary, current account', () => {
    const accountStalls = stalls.filter((s) => reached(s.id, 'has_account'));
    expect(accountStalls.some((s) => s.status === 'closed' || s.status === 'refused')).toBe(true);
    for (const stall of stalls) {
      const own = accountsOf(stall.id);
      if (!reached(stall.id, 'has_account')) {
        expect(own, stall.label).toEqual([]);
        continue;
      }
      expect(
        own.filter((a) => a.is_primary === 1 && a.retired_at === null),
        stall.label,
      ).toHaveLength(1);
      expect(
        own.filter((a) => a.is_primary === 1),
        stall.label,
      ).toHaveLength(1);
      const opened = historyOf(stall.id).find((row) => row.to_status === 'has_account')!;
      for (const account of own) {
        expect(account.created_at >= opened.changed_at).toBe(true);
        if (account.retired_at !== null) {
          expect(account.is_primary).toBe(0);
          expect(account.retired_at > account.created_at).toBe(true);
          expect(account.retired_by).not.toBeNull();
        } else {
          expect(account.retired_by).toBeNull();
        }
      }
    }
    const active = (id: number) => accountsOf(id).filter((a) => a.retired_at === null).length;
    const several = accountStalls.filter((s) => active(s.id) >= 2).length / accountStalls.length;
    expect(several).toBeGreaterThan(0.1);
    expect(several).toBeLessThan(0.35);
    expect(accounts.some((a) => a.retired_at !== null)).toBe(true);
    expect(accounts.filter((a) => a.retired_at !== null).length / accountStalls.length).toBeLessThan(0.08);
  });

  it('verifies the primary account at the name check, and no other account', () => {
    for (const account of accounts) {
      if (account.verified_at === null) {
        expect(account.verified_by).toBeNull();
        expect(account.verified_name_seen).toBeNull();
      }
    }
    for (const stall of stalls) {
      const own = accountsOf(stall.id);
      const checked = historyOf(stall.id).find((row) => row.to_status === 'qr_verified');
      for (const account of own) {
        if (account.is_primary === 1 && checked) {
          expect(account, stall.label).toMatchObject({
            verified_at: checked.changed_at,
            verified_by: checked.changed_by,
            verified_name_seen: account.holder_name,
          });
          expect(account.created_at < checked.changed_at).toBe(true);
        } else {
          expect(account.verified_at, stall.label).toBeNull();
        }
      }
      if (stall.status === 'installed') {
        const primary = own.find((a) => a.is_primary === 1);
        expect(primary?.verified_at, stall.label).not.toBeNull();
        expect(primary?.verified_name_seen).toBe(primary?.holder_name);
      }
    }
  });

  it('writes bank accounts as the banks issue them, with the holder name as bank apps show it', () => {
    const directory = JSON.parse(readFileSync(new URL('../../assets/banks.json', import.meta.url), 'utf8')) as {
      bin: string;
      transferSupported: boolean;
    }[];
    const transferBins = new Set(directory.filter((b) => b.transferSupported).map((b) => b.bin));
    // Lengths per BIN: BIDV, Agribank, Vietcombank, VietinBank, MB, Techcombank; other banks 9–14.
    const lengths: Record<string, number[]> = {
      '970418': [10, 11, 12, 13, 14],
      '970405': [13],
      '970436': [10, 13],
      '970415': [12],
      '970422': [9, 10, 11, 12, 13],
      '970407': [14],
    };
    const owners = new Map(stalls.map((s) => [s.id, s.owner_name]));
    for (const account of accounts) {
      expect(transferBins.has(account.bin), account.bin).toBe(true);
      expect(account.account_number).toMatch(/^\d+$/);
      if (account.service === 'card') {
        expect(account.account_number).toMatch(/^9704\d{12}$/);
        expect(account.account_number.startsWith(account.bin)).toBe(true);
      } else {
        expect(lengths[account.bin] ?? [9, 10, 11, 12, 13, 14], account.account_number).toContain(
          account.account_number.length,
        );
      }
      expect(account.holder_name).toMatch(/^[A-Z][A-Z' ]*[A-Z]$/);
      expect(account.holder_name).toBe(toBankHolderName(owners.get(account.stall_id)!));
    }
    expect(accounts.some((a) => a.holder_name.includes('DANG ') || a.holder_name.includes('DINH '))).toBe(true);

    const sources = new Map<string, number>();
    for (const account of accounts) sources.set(account.source, (sources.get(account.source) ?? 0) + 1);
    expect(sources.get('typed')! / accounts.length).toBeGreaterThan(0.5);
    expect(sources.get('pasted')).toBeGreaterThan(0);
    expect(sources.get('photo')).toBeGreaterThan(0);

    // BIDV, which launched the programme at Chợ Hoa Lư, holds most of its traders' main accounts.
    const hoaLu = site('Chợ Hoa Lư').id;
    const siteOf = new Map(stalls.map((s) => [s.id, s.site_id]));
    const hoaLuBins = accounts.filter((a) => a.is_primary === 1 && siteOf.get(a.stall_id) === hoaLu).map((a) => a.bin);
    const bidv = hoaLuBins.filter((bin) => bin === '970418').length;
    for (const bin of new Set(hoaLuBins)) {
      if (bin !== '970418') expect(hoaLuBins.filter((b) => b === bin).length).toBeLessThan(bidv);
    }
    expect(bidv / hoaLuBins.length).toBeGreaterThan(0.35);
  });

  it('plants exactly one account on two stalls of different sites, and one phone on two stalls', () => {
    const siteOf = new Map(stalls.map((s) => [s.id, s.site_id]));
    const byNumber = new Map<string, AccountRow[]>();
    for (const account of accounts) {
      const key = `${account.bin}:${account.account_number}`;
      byNumber.set(key, [...(byNumber.get(key) ?? []), account]);
    }
    const shared = [...byNumber.values()].filter((list) => list.length > 1);
    expect(shared).toHaveLength(1);
    const [first, second] = shared[0]!;
    expect(shared[0]).toHaveLength(2);
    expect(first!.stall_id).not.toBe(second!.stall_id);
    expect(siteOf.get(first!.stall_id)).not.toBe(siteOf.get(second!.stall_id));

    const byPhone = new Map<string, number>();
    for (const stall of stalls) if (stall.phone !== null) byPhone.set(stall.phone, (byPhone.get(stall.phone) ?? 0) + 1);
    expect([...byPhone.values()].filter((n) => n > 1)).toEqual([2]);
  });

  it('logs a visit for every action at the stall, by the volunteer who made the matching change', () => {
    const siteTeam = new Map(sites.map((s) => [s.id, DEMO_SITES.find((spec) => spec.name === s.name)!.team]));
    const users = db.prepare('SELECT id, username FROM users').all() as { id: number; username: string }[];
    const teamOf = new Map(
      users.map((u) => [
        u.id,
        DEMO_USERS.find((spec) => spec.username === u.username && spec.role === 'volunteer')?.team,
      ]),
    );
    const accountById = new Map(accounts.map((a) => [a.id, a]));
    for (const visit of visits) {
      const stall = stalls.find((s) => s.id === visit.stall_id)!;
      expect(teamOf.get(visit.user_id), `${visit.action} by ${visit.user_id}`).toBe(siteTeam.get(stall.site_id));
      expect(visit.action === 'follow_up').toBe(visit.sticker_displayed !== null);
      if (visit.account_id !== null) expect(accountById.get(visit.account_id)?.stall_id).toBe(visit.stall_id);
      if (['account_added', 'name_checked', 'account_retired'].includes(visit.action))
        expect(visit.account_id).not.toBeNull();
      const at = Date.parse(visit.visited_at);
      expect(at).toBeGreaterThanOrEqual(NOW_MS - 84 * DAY);
      expect(at).toBeLessThan(NOW_MS);
    }

    const has = (stallId: number, action: string, at: string, by: number) =>
      visitsOf(stallId).some((v) => v.action === action && v.visited_at === at && v.user_id === by);
    for (const stall of stalls) {
      const rows = historyOf(stall.id);
      const primary = accountsOf(stall.id).find((a) => a.is_primary === 1);
      rows.forEach((row, i) => {
        const step = `${row.from_status}>${row.to_status}`;
        if (i === 0) expect(has(stall.id, 'onboarded', row.changed_at, row.changed_by), step).toBe(true);
        else if (row.to_status === 'has_account')
          expect(has(stall.id, 'account_added', row.changed_at, row.changed_by)).toBe(true);
        else if (row.to_status === 'installed')
          expect(has(stall.id, 'installed', row.changed_at, row.changed_by)).toBe(true);
        else if (row.to_status === 'refused')
          expect(has(stall.id, 'refused', row.changed_at, row.changed_by)).toBe(true);
        else if (step === 'has_account>qr_verified') {
          const check = visitsOf(stall.id).find((v) => v.action === 'name_checked');
          expect(check).toMatchObject({ visited_at: row.changed_at, user_id: row.changed_by, account_id: primary!.id });
        } else if (step === 'installed>qr_verified') {
          // The follow-up that found the sticker gone comes before the step back.
          const found = visitsOf(stall.id).filter(
            (v) =>
              v.sticker_displayed === 'no' && v.visited_at < row.changed_at && v.visited_at > rows[i - 1]!.changed_at,
          );
          expect(found.length, stall.label).toBeGreaterThan(0);
        }
      });
      // One visit per account added, one per account retired.
      const own = accountsOf(stall.id);
      expect(
        visitsOf(stall.id)
          .filter((v) => v.action === 'account_added')
          .map((v) => v.account_id)
          .sort(),
      ).toEqual(own.map((a) => a.id).sort());
      for (const account of own.filter((a) => a.retired_at !== null)) {
        expect(visitsOf(stall.id).filter((v) => v.action === 'account_retired')).toMatchObject([
          { account_id: account.id, visited_at: account.retired_at, user_id: account.retired_by },
        ]);
      }
    }
    const count = (action: string) => visits.filter((v) => v.action === action).length;
    expect(count('onboarded')).toBe(stalls.length);
    expect(count('installed')).toBe(history.filter((r) => r.to_status === 'installed').length);
    expect(count('refused')).toBe(history.filter((r) => r.to_status === 'refused').length);
    expect(count('name_checked')).toBe(
      history.filter((r) => r.from_status === 'has_account' && r.to_status === 'qr_verified').length,
    );
  });

  it('follows up installed stalls after the sticker went up', () => {
    const followUps = visits.filter((v) => v.action === 'follow_up');
    for (const visit of followUps) {
      const installed = historyOf(visit.stall_id).find((row) => row.to_status === 'installed');
      expect(installed, `stall ${visit.stall_id}`).toBeDefined();
      expect(visit.visited_at > installed!.changed_at).toBe(true);
      expect(visit.account_id).toBeNull();
    }
    const installed = stalls.filter((s) => s.status === 'installed');
    const visited = installed.filter((s) => visitsOf(s.id).some((v) => v.action === 'follow_up'));
    expect(visited.length / installed.length).toBeGreaterThan(0.45);
    expect(visited.length / installed.length).toBeLessThan(0.75);
    for (const stall of visited) {
      const last = historyOf(stall.id).at(-1)!;
      const after = visitsOf(stall.id).filter((v) => v.action === 'follow_up' && v.visited_at > last.changed_at);
      expect(after.length).toBeLessThanOrEqual(3);
    }

    const stickers = followUps.map((v) => v.sticker_displayed);
    expect(stickers.filter((s) => s === 'yes').length / stickers.length).toBeGreaterThan(0.7);
    expect(stickers).toContain('no');
    expect(stickers).toContain('replaced');

    const shares = followUps.map((v) => v.transfer_share).filter((s): s is number => s !== null);
    expect(shares.length / followUps.length).toBeGreaterThan(0.7);
    for (const share of shares) expect(share % 5).toBe(0);
    const sorted = [...shares].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    expect(median).toBeGreaterThanOrEqual(40);
    expect(median).toBeLessThanOrEqual(60);
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
    await seedDemo(sqliteDataAccess(first), fixedClock(NOW), CHEAP_DEMO_HASHES);
    await seedDemo(sqliteDataAccess(second), fixedClock(NOW), CHEAP_DEMO_HASHES);
    expect(dump(second)).toBe(dump(first));
    // Another "now" moves the dates, not the content.
    const later = createTestDb();
    await seedDemo(sqliteDataAccess(later), fixedClock('2027-01-10T12:00:00Z'), CHEAP_DEMO_HASHES);
    const labels = (db: Db) =>
      db.prepare('SELECT site_id, label, owner_name, status FROM stalls ORDER BY site_id, label').all();
    expect(labels(later)).toEqual(labels(first));
  });

  it('refuses a second load and changes nothing', async () => {
    const db = createTestDb();
    await seedDemo(sqliteDataAccess(db), fixedClock(NOW), CHEAP_DEMO_HASHES);
    const before = dump(db, { withPasswords: true });
    await expect(seedDemo(sqliteDataAccess(db), fixedClock(NOW), CHEAP_DEMO_HASHES)).rejects.toBeInstanceOf(
      DemoAlreadyLoadedError,
    );
    expect(dump(db, { withPasswords: true })).toBe(before);
  });

  it('refuses a database that already has any site, and writes no user', async () => {
    const db = createTestDb();
    db.prepare(
      `INSERT INTO sites (kind, name, name_folded, commune_code, created_at, updated_at)
       VALUES ('street', 'Tuyến phố thử', 'tuyen pho thu', '23575', ?, ?)`,
    ).run(NOW, NOW);
    await expect(seedDemo(sqliteDataAccess(db), fixedClock(NOW), CHEAP_DEMO_HASHES)).rejects.toBeInstanceOf(
      DemoAlreadyLoadedError,
    );
    expect(db.prepare('SELECT count(*) FROM users').pluck().get()).toBe(0);
    expect(db.prepare('SELECT count(*) FROM sites').pluck().get()).toBe(1);
  });
});
