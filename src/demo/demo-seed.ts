/**
 * Loads the demo programme (src/demo/demo-sites.ts) into an empty registry: demo volunteers and leads, the
 * pilot sites of Gia Lai, their stalls and twelve weeks of status history, so weekly trends have data; and,
 * planned from that history (src/demo/demo-onboarding.ts), the traders' consent, their bank accounts with
 * the name checks, and the volunteers' visits including follow-ups.
 *
 * Deterministic: one seeded generator and dates relative to clock.now(), so the same clock gives the same
 * rows (password hashes aside: they are salted). Passwords are hashed first, so the transaction is not held
 * open while scrypt runs; then everything is written in one transaction, or nothing. The SQL is in
 * demo-repo.ts.
 */
import type { Clock } from '../clock.js';
import type { DataAccess } from '../db/data-access.js';
import { GOODS_CATEGORIES, type GoodsCategory } from '../vocabulary/goods-categories.js';
import { STALL_STATUSES, type RefusalReason, type StallStatus } from '../vocabulary/stall-status.js';
import { foldForSearch } from '../text/fold.js';
import { generatePassword, hashPassword } from '../users/password.js';
import { DEMO_BANKS } from './demo-banks.js';
import { createDemoRepo, type DemoRepo } from './demo-repo.js';
import { femaleShare, randomBusinessName, randomMobile, randomOwnerName } from './demo-names.js';
import { planOnboarding, type StallOnboarding } from './demo-onboarding.js';
import { DEMO_SITES, DEMO_USERS, type DemoCommuneRef, type DemoSiteSpec, type DemoTeam } from './demo-sites.js';
import { createRng, type Rng } from './prng.js';

export interface DemoSummary {
  sites: number;
  stalls: number;
  users: number;
  historyRows: number;
  accounts: number;
  visits: number;
}

/** The registry already holds sites: the demo only goes into an empty one, and nothing was written. */
export class DemoAlreadyLoadedError extends Error {
  constructor() {
    super('Cơ sở dữ liệu đã có địa điểm; dữ liệu mẫu chỉ nạp được vào cơ sở dữ liệu chưa có địa điểm nào.');
    this.name = 'DemoAlreadyLoadedError';
  }
}

/** The demo's commune is missing from the administrative units (a migration changed them). */
export class DemoCommuneNotFoundError extends Error {
  constructor(readonly ref: DemoCommuneRef) {
    super(`Không tìm thấy xã/phường của dữ liệu mẫu: ${JSON.stringify(ref)}`);
    this.name = 'DemoCommuneNotFoundError';
  }
}

/** Seed of the generator: the launch date of Chợ Hoa Lư. */
export const DEMO_SEED = 20231203;
/**
 * Seed of the onboarding (accounts, visits, consent), a stream of its own so that adding to it leaves the
 * stalls and their history as they were.
 */
export const DEMO_ONBOARDING_SEED = DEMO_SEED + 1;
/** The province of every demo site. */
export const DEMO_PROVINCE_CODE = '52';
/** The history covers the 12 weeks before now; sites were created a week before that. */
export const DEMO_HISTORY_DAYS = 84;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Volunteers work in local time (UTC+7). */
const LOCAL_OFFSET = 7 * HOUR;
/** History days are numbered 0 … LAST_DAY; day LAST_DAY is yesterday (local), so every row is before now. */
const HISTORY_DAY_COUNT = DEMO_HISTORY_DAYS - 1;
const LAST_DAY = HISTORY_DAY_COUNT - 1;

/** Refusal reasons of the currently refused stalls, in turn: "prefers cash" is half of them. */
const REFUSAL_ROTATION: readonly RefusalReason[] = [
  'prefers_cash',
  'no_smartphone',
  'prefers_cash',
  'fears_fraud',
  'prefers_cash',
  'no_bank_account',
  'prefers_cash',
  'no_smartphone',
  'prefers_cash',
  'fears_fraud',
  'prefers_cash',
  'other',
];
const CLOSED_REASONS = ['Nghỉ bán', 'Nghỉ bán', 'Nghỉ bán', 'Chuyển đi nơi khác'];

interface Step {
  to: StallStatus;
  reason: string | null;
  note: string;
  /** Whole days at least since the previous step (a sticker is lost weeks after it went up, not the same hour). */
  minDays: number;
}

interface PlannedChange extends Omit<Step, 'minDays'> {
  from: StallStatus | null;
  at: number;
  by: number;
}

interface PlannedStall {
  site: number;
  label: string;
  businessName: string;
  ownerName: string;
  phone: string | null;
  category: GoodsCategory;
  history: PlannedChange[];
}

interface Plan {
  stalls: PlannedStall[];
  /** Local midnight of history day 0. */
  firstDay: number;
}

export interface SeedDemoOptions {
  /** scrypt cost of the demo users' password hashes (config.passwordHashCost; tests use the cheapest). */
  readonly passwordHashCost?: number;
}

export async function seedDemo(data: DataAccess, clock: Clock, options: SeedDemoOptions = {}): Promise<DemoSummary> {
  const repo = createDemoRepo(data);
  if (await repo.hasAnySite()) throw new DemoAlreadyLoadedError();

  const nowMs = clock.now().getTime();
  const communeCodes: string[] = [];
  for (const site of DEMO_SITES) communeCodes.push(await resolveCommune(repo, site.commune));
  const userIndexes = teamMembers();
  const plan = planStalls(createRng(DEMO_SEED), nowMs, userIndexes);
  // Also edits the personal data of the stalls in the plan (no consent, one shared phone).
  const onboarding = planOnboarding(createRng(DEMO_ONBOARDING_SEED), plan.stalls, {
    siteBanks: DEMO_SITES.map((site) => site.banks),
    siteVolunteers: DEMO_SITES.map((site) => userIndexes.volunteers[site.team]),
    firstDay: plan.firstDay,
    lastDay: LAST_DAY,
  });
  const onboardingOf = new Map(plan.stalls.map((stall, index) => [stall, onboarding[index]!]));
  const passwordHashes = await Promise.all(
    DEMO_USERS.map(() => hashPassword(generatePassword(), options.passwordHashCost)),
  );
  const iso = (ms: number) => new Date(ms).toISOString();

  return data.transaction(async (): Promise<DemoSummary> => {
    // Checked again inside the transaction: another writer may have created a site while we hashed.
    if (await repo.hasAnySite()) throw new DemoAlreadyLoadedError();
    await repo.markSeeded(iso(nowMs));

    // Accounts thirteen weeks and a day ago, sites on the next day; the history starts a week later.
    const usersAt = nowMs - (DEMO_HISTORY_DAYS + 8) * DAY;
    const userIds = await repo.insertUsers(
      DEMO_USERS.map((user, index) => ({
        username: user.username,
        displayName: user.displayName,
        role: user.role,
        passwordHash: passwordHashes[index]!,
        createdAt: iso(usersAt + index * 3 * MINUTE),
      })),
    );
    const userId = (index: number) => userIds[index]!;

    await repo.insertReach(
      DEMO_USERS.flatMap((user, index): { userId: number; provinceCode?: string; communeCode?: string }[] =>
        user.team === null
          ? [{ userId: userId(index), provinceCode: DEMO_PROVINCE_CODE }]
          : [...new Set(DEMO_SITES.flatMap((site, i) => (site.team === user.team ? [communeCodes[i]!] : [])))].map(
              (communeCode) => ({ userId: userId(index), communeCode }),
            ),
      ),
    );

    const sitesAt = nowMs - (DEMO_HISTORY_DAYS + 7) * DAY;
    const siteIds = await repo.insertSites(
      DEMO_SITES.map((site, index) => ({
        kind: site.kind,
        name: site.name,
        nameFolded: foldForSearch(site.name),
        communeCode: communeCodes[index]!,
        address: site.address,
        targetPercent: site.targetPercent,
        launchedOn: site.launchedOn,
        note: site.note,
        at: iso(sitesAt + index * 40 * MINUTE),
        by: userId(userIndexes.lead[site.team]),
      })),
    );

    // Stalls in the order they were surveyed, history rows in the order they happened: ids follow time.
    const ordered = [...plan.stalls].sort((a, b) => a.history[0]!.at - b.history[0]!.at || a.site - b.site);
    const stallIds = await repo.insertStalls(
      ordered.map((stall) => {
        const first = stall.history[0]!;
        const last = stall.history[stall.history.length - 1]!;
        const { consent } = onboardingOf.get(stall)!;
        return {
          siteId: siteIds[stall.site]!,
          label: stall.label,
          businessName: stall.businessName,
          ownerName: stall.ownerName,
          phone: stall.phone,
          goodsCategory: stall.category,
          status: last.to,
          refusalReason: last.to === 'refused' ? (last.reason as RefusalReason) : null,
          searchFolded: foldForSearch(`${stall.label} ${stall.businessName} ${stall.ownerName}`),
          createdAt: iso(first.at),
          createdBy: userId(first.by),
          updatedAt: iso(last.at),
          updatedBy: userId(last.by),
          consentAt: consent ? iso(consent.at) : null,
          consentBy: consent ? userId(consent.by) : null,
        };
      }),
    );
    const rows: { stallId: number; seq: number; change: PlannedChange }[] = [];
    const onboarded: { stallId: number; planned: StallOnboarding }[] = [];
    ordered.forEach((stall, index) => {
      const stallId = stallIds[index]!;
      stall.history.forEach((change, seq) => rows.push({ stallId, seq, change }));
      onboarded.push({ stallId, planned: onboardingOf.get(stall)! });
    });
    rows.sort((a, b) => a.change.at - b.change.at || a.stallId - b.stallId || a.seq - b.seq);
    await repo.insertHistory(
      rows.map(({ stallId, change }) => ({
        stallId,
        fromStatus: change.from,
        toStatus: change.to,
        changedAt: iso(change.at),
        changedBy: userId(change.by),
        reason: change.reason,
        note: change.note,
      })),
    );

    // Accounts, then visits (which point at them), each in the order they happened.
    const accounts = onboarded.flatMap(({ stallId, planned }) =>
      planned.accounts.map((account, index) => ({ stallId, index, account })),
    );
    accounts.sort((a, b) => a.account.createdAt - b.account.createdAt || a.stallId - b.stallId || a.index - b.index);
    const accountIdList = await repo.insertAccounts(
      accounts.map(({ stallId, account }) => {
        const { verified, retired } = account;
        return {
          stallId,
          bin: DEMO_BANKS[account.bank].bin,
          accountNumber: account.accountNumber,
          service: account.service,
          holderName: account.holderName,
          source: account.source,
          isPrimary: account.primary,
          verifiedAt: verified ? iso(verified.at) : null,
          verifiedBy: verified ? userId(verified.by) : null,
          verifiedNameSeen: verified ? account.holderName : null,
          retiredAt: retired ? iso(retired.at) : null,
          retiredBy: retired ? userId(retired.by) : null,
          createdAt: iso(account.createdAt),
          createdBy: userId(account.createdBy),
        };
      }),
    );
    const accountIds = new Map(accounts.map(({ stallId, index }, i) => [`${stallId}:${index}`, accountIdList[i]!]));

    const visits = onboarded.flatMap(({ stallId, planned }) =>
      planned.visits.map((visit, seq) => ({ stallId, seq, visit })),
    );
    visits.sort((a, b) => a.visit.at - b.visit.at || a.stallId - b.stallId || a.seq - b.seq);
    await repo.insertVisits(
      visits.map(({ stallId, visit }) => {
        const accountId = visit.account === null ? null : accountIds.get(`${stallId}:${visit.account}`);
        if (accountId === undefined) throw new Error(`Demo visit of stall ${stallId} names a missing account`);
        return {
          stallId,
          userId: userId(visit.by),
          visitedAt: iso(visit.at),
          action: visit.action,
          stickerDisplayed: visit.sticker,
          transferShare: visit.transferShare,
          accountId,
          note: visit.note,
        };
      }),
    );

    return {
      sites: siteIds.length,
      stalls: ordered.length,
      users: userIds.length,
      historyRows: rows.length,
      accounts: accounts.length,
      visits: visits.length,
    };
  });
}

async function resolveCommune(repo: DemoRepo, ref: DemoCommuneRef): Promise<string> {
  const codes =
    'code' in ref
      ? await repo.communeCodes(ref.code, DEMO_PROVINCE_CODE)
      : await repo.communeCodesOfOldCommune(ref, DEMO_PROVINCE_CODE);
  if (codes.length !== 1) throw new DemoCommuneNotFoundError(ref);
  return codes[0]!;
}

interface TeamMembers {
  /** Index in DEMO_USERS of each team's lead. */
  lead: Record<DemoTeam, number>;
  /** Indexes in DEMO_USERS of each team's volunteers. */
  volunteers: Record<DemoTeam, number[]>;
}

function teamMembers(): TeamMembers {
  const lead: Partial<Record<DemoTeam, number>> = {};
  const volunteers: Partial<Record<DemoTeam, number[]>> = {};
  DEMO_USERS.forEach((user, index) => {
    if (!user.team) return;
    if (user.role === 'team_lead') lead[user.team] = index;
    if (user.role === 'volunteer') (volunteers[user.team] ??= []).push(index);
  });
  for (const site of DEMO_SITES) {
    if (lead[site.team] === undefined || !volunteers[site.team]?.length) {
      throw new Error(`Demo team ${site.team} needs a team lead and at least one volunteer`);
    }
  }
  return { lead: lead as Record<DemoTeam, number>, volunteers: volunteers as Record<DemoTeam, number[]> };
}

function planStalls(rng: Rng, nowMs: number, team: TeamMembers): Plan {
  const localMidnightToday = Math.floor((nowMs + LOCAL_OFFSET) / DAY) * DAY - LOCAL_OFFSET;
  // Later than now − 84 days, since today's local midnight is less than a day before now.
  const firstDay = localMidnightToday - HISTORY_DAY_COUNT * DAY;
  const phones = new Set<string>();
  const counters = { refused: 0, closed: 0 };
  const stalls: PlannedStall[] = [];

  DEMO_SITES.forEach((site, siteIndex) => {
    const total = STALL_STATUSES.reduce((sum, status) => sum + site.counts[status], 0);
    const categories = Array.from({ length: total }, () => rng.weighted(site.categoryWeights));
    const labelled = labelStalls(rng, site, categories);
    const statuses = rng.shuffle(
      STALL_STATUSES.flatMap((status) => Array<StallStatus>(site.counts[status]).fill(status)),
    );
    const names = new Set<string>();
    const volunteers = team.volunteers[site.team];

    labelled.forEach(({ label, category }, index) => {
      let ownerName = '';
      let businessName = '';
      for (let attempt = 0; attempt < 50 && (!businessName || names.has(businessName)); attempt++) {
        const owner = randomOwnerName(rng, {
          female: rng.chance(femaleShare(category, site.labelStyle !== 'street')),
          jrai: rng.chance(site.jraiShare),
        });
        ownerName = owner.full;
        businessName = randomBusinessName(rng, category, owner, site.region);
      }
      names.add(businessName);

      let phone: string | null = null;
      if (rng.chance(0.7)) {
        do phone = randomMobile(rng);
        while (phones.has(phone));
        phones.add(phone);
      }

      const steps = statusPath(rng, statuses[index]!, site, counters);
      const days = stepDays(rng, site.surveyDays, steps);
      const primary = rng.pick(volunteers);
      const history: PlannedChange[] = [];
      let previousAt = -Infinity;
      steps.forEach((step, i) => {
        // Working hours, 7:30–17:30 local time.
        let at = firstDay + days[i]! * DAY + rng.int(7 * 60 + 30, 17 * 60 + 30) * MINUTE;
        if (at <= previousAt) at = previousAt + rng.int(5, 25) * MINUTE;
        previousAt = at;
        const by = rng.chance(0.8) ? primary : rng.pick(volunteers);
        history.push({
          to: step.to,
          reason: step.reason,
          note: step.note,
          from: i === 0 ? null : steps[i - 1]!.to,
          at,
          by,
        });
      });
      stalls.push({ site: siteIndex, label, businessName, ownerName, phone, category, history });
    });
  });
  return { stalls, firstDay };
}

/** The funnel walk that ends at `final`, with the occasional step back a real programme sees. */
function statusPath(
  rng: Rng,
  final: StallStatus,
  site: DemoSiteSpec,
  counters: { refused: number; closed: number },
): Step[] {
  const step = (to: StallStatus, reason: string | null = null, note = '', minDays = 0): Step => ({
    to,
    reason,
    note,
    minDays,
  });
  const neighbours = site.labelStyle === 'street' ? 'các cửa hàng bên cạnh' : 'các sạp bên cạnh';
  const funnel: Step[] = [step('surveyed')];
  // A few traders refuse at first and come round after seeing their neighbours take transfers.
  const changedMind = () => {
    if (rng.chance(0.05)) {
      funnel.push(step('refused', rng.weighted({ prefers_cash: 3, fears_fraud: 2, no_bank_account: 1 })));
      funnel.push(step('has_account', null, `Đổi ý sau khi thấy ${neighbours} nhận chuyển khoản`, 5));
    } else {
      funnel.push(step('has_account'));
    }
  };

  switch (final) {
    case 'surveyed':
      return funnel;
    case 'has_account':
      changedMind();
      return funnel;
    case 'qr_verified':
      changedMind();
      funnel.push(step('qr_verified'));
      return funnel;
    case 'installed':
      changedMind();
      funnel.push(step('qr_verified'), step('installed'));
      // The sticker was lost or spoilt: back to "QR verified" until a new one is put up.
      if (rng.chance(0.07)) {
        const loss = rng.pick(['Mất bảng mã QR', 'Bảng mã QR bị mưa làm hỏng', 'Bảng mã QR bị rách khi dọn hàng']);
        funnel.push(step('qr_verified', null, loss, 5), step('installed', null, 'Đã dán lại mã QR mới', 1));
      }
      return funnel;
    case 'refused': {
      const reason = REFUSAL_ROTATION[counters.refused++ % REFUSAL_ROTATION.length]!;
      const roll = rng.next();
      if (roll < 0.2) funnel.push(step('has_account'));
      else if (roll < 0.25) funnel.push(step('has_account'), step('qr_verified'));
      funnel.push(step('refused', reason));
      return funnel;
    }
    case 'closed': {
      // Every fourth closed stall had its sticker up before it stopped trading.
      const closedIndex = counters.closed++;
      if (closedIndex % 4 === 0) funnel.push(step('has_account'), step('qr_verified'), step('installed'));
      else if (rng.chance(0.5)) funnel.push(step('has_account'));
      funnel.push(step('closed', rng.pick(CLOSED_REASONS), '', 3));
      return funnel;
    }
  }
}

/**
 * Day numbers (0 … LAST_DAY) of each step: the survey between the site's first and last survey day, most
 * stalls early, and each later step up to 3 weeks after the previous one (often the same day for the
 * account), never sooner than the step's minDays.
 */
function stepDays(rng: Rng, [from, to]: readonly [number, number], steps: readonly Step[]): number[] {
  const gaps = steps.length - 1;
  const minTotal = steps.reduce((sum, step, i) => (i === 0 ? sum : sum + step.minDays), 0);
  const latestStart = Math.max(0, LAST_DAY - minTotal - 2 * gaps);
  const start = Math.min(latestStart, from + Math.floor((to - from) * rng.next() ** 1.4));
  const days = [start];
  if (gaps === 0) return days;
  const maxExtra = Math.max(1, Math.min(21, Math.floor((LAST_DAY - start - minTotal) / gaps)));
  for (let i = 1; i < steps.length; i++) {
    const sameDay = rng.chance(i === 1 ? 0.35 : 0.12);
    days.push(days[i - 1]! + steps[i]!.minDays + (sameDay ? 0 : rng.int(1, maxExtra)));
  }
  return days;
}

/** Labels as the site uses them, unique within the site; stalls of a kind sit together, as in a market. */
function labelStalls(
  rng: Rng,
  site: DemoSiteSpec,
  categories: GoodsCategory[],
): { label: string; category: GoodsCategory }[] {
  if (site.labelStyle === 'street') {
    const labels: string[] = [];
    let houseNumber = rng.int(2, 40);
    while (labels.length < categories.length) {
      labels.push(`số ${houseNumber}`);
      if (labels.length < categories.length && rng.chance(0.08)) labels.push(`số ${houseNumber}A`);
      houseNumber += rng.int(1, 9);
    }
    return labels.map((label, index) => ({ label, category: categories[index]! }));
  }

  const categoryOrder = Object.keys(GOODS_CATEGORIES) as GoodsCategory[];
  const sorted = [...categories].sort((a, b) => categoryOrder.indexOf(a) - categoryOrder.indexOf(b));
  const next = { sap: 0, quay: 0, kiot: 0 };
  const kioskBlock = site.labelStyle === 'trade_centre' ? 12 : 10;
  const labelled = sorted.map((category) => {
    const kind = stallKind(site.labelStyle, category);
    const n = ++next[kind];
    if (kind === 'kiot') {
      const block = String.fromCharCode('A'.charCodeAt(0) + Math.floor((n - 1) / kioskBlock));
      return { label: `Ki-ốt ${block}${((n - 1) % kioskBlock) + 1}`, category };
    }
    return { label: `${kind === 'sap' ? 'Sạp' : 'Quầy'} ${n}`, category };
  });
  return labelled;
}

/** Sạp (open stall), quầy (counter: meat and fish, fresh food in a trade centre) or ki-ốt (lockable kiosk). */
function stallKind(style: DemoSiteSpec['labelStyle'], category: GoodsCategory): 'sap' | 'quay' | 'kiot' {
  const counter = category === 'thit' || category === 'hai_san';
  if (style === 'temporary_market') return counter ? 'quay' : 'sap';
  if (style === 'trade_centre') {
    return counter || category === 'rau_cu' || category === 'trai_cay' || category === 'gao_do_kho' ? 'quay' : 'kiot';
  }
  if (counter) return 'quay';
  const kiosk: readonly GoodsCategory[] = [
    'quan_ao',
    'giay_dep',
    'my_pham',
    'vang_bac',
    'dien_thoai',
    'gia_dung',
    'dich_vu',
  ];
  return kiosk.includes(category) ? 'kiot' : 'sap';
}
