/**
 * Small random registries for the property tests: a few sites in communes of two provinces, stalls whose
 * status walks anywhere (closed and back, refused twice, the same status again) at random instants —
 * including exactly at and just before Vietnam midnight, and shared instants so ties fall to the id —
 * history rows inserted in random order, follow-ups with shares at the bucket edges, accounts sharing
 * numbers, withdrawn stickers, campaigns and deadlines, and their histories (targets in time: site and
 * campaign target changes, campaign joins and leaves, several on one day, in random id order — or none, so
 * the current columns hold). Each row carries a phase (0 or 1) so a test can query after phase 0 and again
 * after phase 1, exercising the engine's incremental refresh (a history row is a reference change).
 */
import fc from 'fast-check';
import type { Db } from '../../src/db/database.js';
import { REFUSAL_REASONS, STALL_STATUSES, type StallStatus } from '../../src/vocabulary/stall-status.js';
import { SITE_KINDS, type SiteKind } from '../../src/vocabulary/site-kinds.js';

/** 2026-06-01 00:00 UTC; generated instants fall in the 150 days after it. */
export const BASE_MS = Date.UTC(2026, 5, 1);
const MINUTE = 60_000;
const DAY = 86_400_000;
const SPAN_DAYS = 150;
/** Communes of Gia Lai (52) and Hà Nội (01) the sites are placed in. */
export const COMMUNE_POOL = ['23575', '23887', '23563', '00004', '00008'] as const;
export const VISIT_ACTIONS = [
  'onboarded',
  'account_added',
  'name_checked',
  'installed',
  'refused',
  'follow_up',
  'status_changed',
] as const;

export interface SpecSite {
  kind: SiteKind;
  commune: number;
  target: number;
  deadline: string | null;
  launchedOn: string | null;
  createdAt: number;
  campaign: number | null;
  name: string;
  /** Rows of site_target_history (none: the current columns hold on every day). */
  targetChanges: SpecTargetChange[];
  /** Rows of campaign_membership_history, campaign by index (none: campaign_sites holds on every day). */
  memberships: SpecMembership[];
}
/** A history row "from this day on" (day: days after BASE_MS), written in a random order, in its phase. */
export interface SpecDated {
  day: number;
  order: number;
  phase: number;
}
export interface SpecTargetChange extends SpecDated {
  target: number;
  deadline: string | null;
}
export interface SpecMembership extends SpecDated {
  campaign: number | null;
}
export interface SpecCampaignChange extends SpecDated {
  target: number;
  startsOn: string;
  deadline: string;
}
export interface SpecRow {
  at: number;
  status: StallStatus;
  reason: string | null;
  order: number;
  phase: number;
}
export interface SpecVisit {
  at: number;
  action: (typeof VISIT_ACTIONS)[number];
  sticker: 'yes' | 'no' | 'replaced';
  share: number | null;
  user: number | null;
  order: number;
  phase: number;
}
export interface SpecAccount {
  bin: string;
  number: string;
  createdAt: number;
  verifiedAt: number | null;
  retiredAt: number | null;
  sticker: { status: 'valid' | 'revoked' | 'replaced'; changedAt: number | null } | null;
}
export interface SpecStall {
  site: number;
  label: string;
  phase: number;
  rows: SpecRow[];
  visits: SpecVisit[];
  accounts: SpecAccount[];
}
export interface SpecCampaign {
  target: number;
  startsOn: string;
  deadline: string;
  /** Rows of campaign_target_history (none: the current columns hold on every day). */
  changes: SpecCampaignChange[];
}
export interface RegistrySpec {
  campaigns: SpecCampaign[];
  sites: SpecSite[];
  stalls: SpecStall[];
  /** Phase 1 also changes the target of this site (index), to test that targets are re-read. */
  retarget: { site: number; target: number } | null;
}

const instant = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: SPAN_DAYS * 24 * 60 }).map((m) => BASE_MS + m * MINUTE) },
  // Exactly at, and 1 ms before, midnight in Vietnam (17:00 UTC).
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.integer({ min: 0, max: SPAN_DAYS }), fc.boolean())
      .map(([d, before]) => BASE_MS + d * DAY + 17 * 3_600_000 - (before ? 1 : 0)),
  },
  // A handful of shared instants, so rows of one stall tie and the id decides.
  { weight: 1, arbitrary: fc.constantFrom(BASE_MS + 10 * DAY, BASE_MS + 40 * DAY + 5 * MINUTE, BASE_MS + 90 * DAY) },
);
const dateIn = (fromDay: number, toDay: number) =>
  fc.integer({ min: fromDay, max: toDay }).map((d) => new Date(BASE_MS + d * DAY).toISOString().slice(0, 10));
const share = fc.oneof(
  fc.constant(null),
  fc.constantFrom(0, 24, 25, 49, 50, 74, 75, 100),
  fc.integer({ min: 0, max: 100 }),
);
const phase = fc.integer({ min: 0, max: 1 });
/** History days: often one of a few shared days, so that changes fall on the same day (the last one holds). */
const historyDay = fc.oneof(fc.constantFrom(20, 60, 61), fc.integer({ min: -40, max: SPAN_DAYS + 10 }));
const dated = { day: historyDay, order: fc.integer(), phase };
const targetChange = fc.record({
  ...dated,
  target: fc.oneof(fc.integer({ min: 1, max: 100 }), fc.constantFrom(40, 70)),
  deadline: fc.option(dateIn(-10, 200), { nil: null }),
});
const membership = fc.record({ ...dated, campaign: fc.option(fc.integer({ min: 0, max: 1 }), { nil: null }) });
const campaignChange = fc
  .record({
    ...dated,
    target: fc.integer({ min: 1, max: 100 }),
    start: fc.integer({ min: -20, max: 100 }),
    length: fc.integer({ min: 0, max: 120 }),
  })
  .map(({ start, length, ...rest }) => ({
    ...rest,
    startsOn: new Date(BASE_MS + start * DAY).toISOString().slice(0, 10),
    deadline: new Date(BASE_MS + (start + length) * DAY).toISOString().slice(0, 10),
  }));

const row = fc.record({
  at: instant,
  status: fc.constantFrom(...STALL_STATUSES),
  reason: fc.constantFrom<string | null>(...REFUSAL_REASONS, null, 'lý do khác thường'),
  order: fc.integer(),
  phase,
});
const visit = fc.record({
  at: instant,
  action: fc.oneof(
    { weight: 3, arbitrary: fc.constant('follow_up' as const) },
    { weight: 2, arbitrary: fc.constantFrom(...VISIT_ACTIONS) },
  ),
  sticker: fc.constantFrom('yes' as const, 'yes' as const, 'no' as const, 'replaced' as const),
  share,
  user: fc.option(fc.integer({ min: 0, max: 2 }), { nil: null, freq: 6 }),
  order: fc.integer(),
  phase,
});
const account = fc.record({
  bin: fc.constantFrom('970436', '970415'),
  number: fc.constantFrom('0001', '0002', '0003', '0004', '0005', '0006', '0007', '0008'),
  createdAt: instant,
  verifiedAt: fc.option(instant, { nil: null }),
  retiredAt: fc.option(instant, { nil: null, freq: 3 }),
  sticker: fc.option(
    fc.record({
      status: fc.constantFrom('valid' as const, 'revoked' as const, 'replaced' as const),
      changedAt: fc.option(instant, { nil: null }),
    }),
    { nil: null },
  ),
});

export function registryArbitrary(options: { maxSites?: number; maxStalls?: number } = {}): fc.Arbitrary<RegistrySpec> {
  const maxSites = options.maxSites ?? 5;
  const maxStalls = options.maxStalls ?? 24;
  return fc
    .record({
      campaigns: fc.array(
        fc
          .tuple(
            fc.integer({ min: 1, max: 100 }),
            fc.integer({ min: -20, max: 100 }),
            fc.integer({ min: 0, max: 120 }),
            fc.array(campaignChange, { maxLength: 3 }),
          )
          .map(([target, start, length, changes]) => ({
            target,
            startsOn: new Date(BASE_MS + start * DAY).toISOString().slice(0, 10),
            deadline: new Date(BASE_MS + (start + length) * DAY).toISOString().slice(0, 10),
            changes,
          })),
        { maxLength: 2 },
      ),
      sites: fc.array(
        fc.record({
          kind: fc.constantFrom(...SITE_KINDS),
          commune: fc.integer({ min: 0, max: COMMUNE_POOL.length - 1 }),
          target: fc.oneof(fc.integer({ min: 1, max: 100 }), fc.constantFrom(50, 70, 80)),
          deadline: fc.option(dateIn(-10, 200), { nil: null }),
          launchedOn: fc.option(dateIn(-30, 120), { nil: null }),
          createdAt: instant,
          campaign: fc.option(fc.integer({ min: 0, max: 1 }), { nil: null }),
          name: fc.constantFrom(
            'Chợ Hoa Lư',
            'Chợ tạm thôn 3',
            'Đường Quang Trung',
            'Đường Đào Duy Từ',
            'Trung tâm thương mại',
            'chợ hoa lư',
          ),
          targetChanges: fc.array(targetChange, { maxLength: 3 }),
          memberships: fc.array(membership, { maxLength: 3 }),
        }),
        { minLength: 1, maxLength: maxSites },
      ),
      stalls: fc.array(
        fc.record({
          site: fc.nat(),
          label: fc.constantFrom('Sạp 1', 'Sạp 2', 'Sạp 10', 'Ki-ốt A1', 'số 45', 'số 45A', 'Quầy 3'),
          phase,
          rows: fc.array(row, { minLength: 0, maxLength: 7 }),
          visits: fc.array(visit, { maxLength: 5 }),
          accounts: fc.array(account, { maxLength: 2 }),
        }),
        { maxLength: maxStalls },
      ),
      retarget: fc.option(fc.record({ site: fc.nat(), target: fc.integer({ min: 1, max: 100 }) }), { nil: null }),
    })
    .map((spec) => ({
      ...spec,
      sites: spec.sites.map((site) => ({
        ...site,
        campaign: site.campaign !== null && site.campaign < spec.campaigns.length ? site.campaign : null,
        memberships: site.memberships.map((m) => ({
          ...m,
          campaign: m.campaign !== null && m.campaign < spec.campaigns.length ? m.campaign : null,
        })),
      })),
      stalls: spec.stalls.map((stall) => ({ ...stall, site: stall.site % spec.sites.length })),
      retarget: spec.retarget ? { ...spec.retarget, site: spec.retarget.site % spec.sites.length } : null,
    }));
}

/** Dates to ask about: before anything, inside the window (often a row's own day), and after everything. */
export function asOfArbitrary(): fc.Arbitrary<string> {
  return fc.oneof(
    dateIn(-5, SPAN_DAYS + 5),
    fc.constant(new Date(BASE_MS + (SPAN_DAYS + 30) * DAY).toISOString().slice(0, 10)),
  );
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Writes the rows of the given phase (sites, campaigns and users go in with phase 0). Returns the ids of
 * the sites and campaigns in spec order.
 */
export function insertRegistry(
  db: Db,
  spec: RegistrySpec,
  phaseToWrite: 0 | 1,
  ids?: { sites: number[]; campaigns: number[]; users: number[]; stalls: (number | null)[] },
) {
  const out = ids ?? {
    sites: [] as number[],
    campaigns: [] as number[],
    users: [] as number[],
    stalls: spec.stalls.map(() => null as number | null),
  };
  const created = iso(BASE_MS - 30 * DAY);
  db.transaction(() => {
    if (phaseToWrite === 0) {
      const user = db.prepare(
        `INSERT INTO users (username, display_name, role, password_hash, created_at) ` +
          `VALUES (?, ?, 'volunteer', 'x', ?)`,
      );
      out.users = ['Nguyễn Văn An', 'Trần Thị Bình', "Ksor H'Hen"].map((name, i) =>
        Number(user.run(`u${i}`, name, created).lastInsertRowid),
      );
      const campaign = db.prepare(
        `INSERT INTO campaigns (name, target_percent, starts_on, deadline, created_at) VALUES (?, ?, ?, ?, ?)`,
      );
      out.campaigns = spec.campaigns.map((c, i) =>
        Number(campaign.run(`Đợt ${i + 1}`, c.target, c.startsOn, c.deadline, created).lastInsertRowid),
      );
      const site = db.prepare(
        `INSERT INTO sites (kind, name, name_folded, commune_code, target_percent, ` +
          `target_deadline, launched_on, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      const member = db.prepare('INSERT INTO campaign_sites (campaign_id, site_id) VALUES (?, ?)');
      out.sites = spec.sites.map((s) => {
        const id = Number(
          site.run(
            s.kind,
            s.name,
            s.name.toLowerCase(),
            COMMUNE_POOL[s.commune],
            s.target,
            s.deadline,
            s.launchedOn,
            iso(s.createdAt),
            iso(s.createdAt),
          ).lastInsertRowid,
        );
        if (s.campaign !== null) member.run(out.campaigns[s.campaign], id);
        return id;
      });
    } else if (spec.retarget) {
      db.prepare('UPDATE sites SET target_percent = ? WHERE id = ?').run(
        spec.retarget.target,
        out.sites[spec.retarget.site],
      );
    }

    // Targets in time: this phase's history rows, each table in a random order (ids need not follow days).
    const dayOf = (day: number) => new Date(BASE_MS + day * DAY).toISOString().slice(0, 10);
    const inPhase = <T extends SpecDated>(rows: T[]) =>
      rows.filter((row) => row.phase === phaseToWrite).sort((a, b) => a.order - b.order);
    const siteTarget = db.prepare(
      `INSERT INTO site_target_history (site_id, effective_on, target_percent, target_deadline, changed_at) ` +
        `VALUES (?, ?, ?, ?, ?)`,
    );
    for (const { id, row } of inPhase(
      spec.sites.flatMap((s, i) => s.targetChanges.map((row) => ({ ...row, id: out.sites[i]!, row }))),
    ))
      siteTarget.run(id, dayOf(row.day), row.target, row.deadline, created);
    const member = db.prepare(
      `INSERT INTO campaign_membership_history (site_id, campaign_id, effective_on, changed_at) VALUES (?, ?, ?, ?)`,
    );
    for (const { id, row } of inPhase(
      spec.sites.flatMap((s, i) => s.memberships.map((row) => ({ ...row, id: out.sites[i]!, row }))),
    ))
      member.run(id, row.campaign === null ? null : out.campaigns[row.campaign], dayOf(row.day), created);
    const campaignTarget = db.prepare(
      `INSERT INTO campaign_target_history (campaign_id, effective_on, target_percent, starts_on, deadline, ` +
        `changed_at) VALUES (?, ?, ?, ?, ?, ?)`,
    );
    for (const { id, row } of inPhase(
      spec.campaigns.flatMap((c, i) => c.changes.map((row) => ({ ...row, id: out.campaigns[i]!, row }))),
    ))
      campaignTarget.run(id, dayOf(row.day), row.target, row.startsOn, row.deadline, created);

    const stall = db.prepare(
      `INSERT INTO stalls (site_id, label, goods_category, status, ` +
        `refusal_reason, search_folded, created_at, updated_at)
       VALUES (?, ?, 'tap_hoa', ?, ?, ?, ?, ?)`,
    );
    const setStatus = db.prepare('UPDATE stalls SET status = ?, refusal_reason = ? WHERE id = ?');
    spec.stalls.forEach((s, i) => {
      if (s.phase === phaseToWrite) {
        out.stalls[i] = Number(
          stall.run(out.sites[s.site], s.label, 'surveyed', null, s.label.toLowerCase(), created, created)
            .lastInsertRowid,
        );
      }
    });

    // History and visits of this phase, across stalls, in a random order (ids need not follow time).
    const history = db.prepare(
      `INSERT INTO stall_status_history (stall_id, from_status, to_status, changed_at, reason) ` +
        `VALUES (?, NULL, ?, ?, ?)`,
    );
    const rows = spec.stalls.flatMap((s, i) =>
      out.stalls[i] === null
        ? []
        : s.rows
            .filter((r) => Math.max(r.phase, s.phase) === phaseToWrite)
            .map((r) => ({ stallId: out.stalls[i]!, r })),
    );
    rows.sort((a, b) => a.r.order - b.r.order);
    for (const { stallId, r } of rows)
      history.run(stallId, r.status, iso(r.at), r.status === 'refused' || r.status === 'closed' ? r.reason : null);

    const visitRow = db.prepare(
      `INSERT INTO visits (stall_id, user_id, visited_at, action, sticker_displayed, transfer_share) ` +
        `VALUES (?, ?, ?, ?, ?, ?)`,
    );
    const visits = spec.stalls.flatMap((s, i) =>
      out.stalls[i] === null
        ? []
        : s.visits
            .filter((v) => Math.max(v.phase, s.phase) === phaseToWrite)
            .map((v) => ({ stallId: out.stalls[i]!, v })),
    );
    visits.sort((a, b) => a.v.order - b.v.order);
    for (const { stallId, v } of visits) {
      const followUp = v.action === 'follow_up';
      visitRow.run(
        stallId,
        v.user === null ? null : out.users[v.user],
        iso(v.at),
        v.action,
        followUp ? v.sticker : null,
        followUp ? v.share : null,
      );
    }

    const accountRow = db.prepare(
      `INSERT INTO stall_accounts (stall_id, bin, account_number, service, holder_name, source, ` +
        `is_primary, verified_at, verified_name_seen,
                                   retired_at, created_at)
       VALUES (?, ?, ?, 'account', 'NGUYEN VAN AN', 'typed', 0, ?, ?, ?, ?)`,
    );
    const stickerRow = db.prepare(
      `INSERT INTO stickers (serial, commune_code, sequence, verification_code, stall_id, account_id, ` +
        `payload, status, status_changed_at, created_at)
       VALUES (?, ?, ?, ?, ?, ?, 'payload', ?, ?, ?)`,
    );
    let sequence = Number(db.prepare('SELECT count(*) FROM stickers').pluck().get()) + 1;
    spec.stalls.forEach((s, i) => {
      if (s.phase !== phaseToWrite) return;
      const stallId = out.stalls[i]!;
      // stalls.status follows the last history row, as the app keeps it.
      const last = [...s.rows].sort((a, b) => a.at - b.at).pop();
      if (last) setStatus.run(last.status, last.status === 'refused' ? 'other' : null, stallId);
      for (const a of s.accounts) {
        const accountId = Number(
          accountRow.run(
            stallId,
            a.bin,
            a.number,
            a.verifiedAt === null ? null : iso(a.verifiedAt),
            a.verifiedAt === null ? null : 'NGUYEN VAN AN',
            a.retiredAt === null ? null : iso(a.retiredAt),
            iso(a.createdAt),
          ).lastInsertRowid,
        );
        if (a.sticker) {
          const commune = COMMUNE_POOL[spec.sites[s.site]!.commune];
          stickerRow.run(
            `X-${sequence}`,
            commune,
            sequence,
            `V${sequence}`,
            stallId,
            accountId,
            a.sticker.status,
            a.sticker.changedAt === null ? null : iso(a.sticker.changedAt),
            iso(a.createdAt),
          );
          sequence += 1;
        }
      }
    });
  })();
  return out;
}
