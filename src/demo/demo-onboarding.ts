/**
 * The onboarding side of the demo, planned from each stall's status history: the trader's consent, bank
 * accounts (stall_accounts) with their name checks, and the visits (visits) that match the history rows,
 * plus follow-up visits after the sticker went up.
 *
 * Invariants the demo keeps (test/demo/demo-seed.test.ts checks them):
 * - no consent, no personal data: a stall without consent keeps only its label, goods category and status;
 * - every stall whose history reached has_account has exactly one primary, non-retired account; the primary
 *   of a stall that reached qr_verified was verified at that history row, by its author, with the holder
 *   name seen; no other account is verified;
 * - one visit per action, at the time and by the volunteer of the matching history row; follow-ups only
 *   after the stall's installation, and a follow-up that found no sticker before each "sticker lost" step;
 * - account numbers are unique across the demo except for ONE planted duplicate, and phones are unique
 *   except for ONE planted shared phone (see plantWarningSignals).
 */
import type { GoodsCategory } from '../vocabulary/goods-categories.js';
import { REFUSAL_REASON_LABELS, isRefusalReason, type StallStatus } from '../vocabulary/stall-status.js';
import type { VisitAction } from '../vocabulary/visit-actions.js';
import { toBankHolderName } from '../vietqr/holder-name.js';
import {
  DEMO_BANKS,
  SECOND_ACCOUNT_BANKS,
  pickBank,
  randomAccountNumber,
  randomCardNumber,
  type BankWeights,
  type DemoBank,
} from './demo-banks.js';
import type { Rng } from './prng.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** Share of the surveyed or refused stalls (that never opened an account) whose trader gave no consent. */
const NO_CONSENT_SHARE = 0.05;
const SECOND_ACCOUNT_CHANCE = 0.2;
/** Of the stalls with a second account, those with a third. */
const THIRD_ACCOUNT_CHANCE = 0.2;
const RETIRED_ACCOUNT_CHANCE = 0.03;
/** Of the extra (non-primary) accounts, those given as a domestic card number instead of an account. */
const CARD_CHANCE = 0.1;
/** Of the installed stalls with at least FOLLOW_UP_MIN_DAYS left in the window, those visited again. */
const FOLLOW_UP_SHARE = 0.65;
const FOLLOW_UP_MIN_DAYS = 5;

export type AccountSource = 'typed' | 'pasted' | 'photo';
export type StickerDisplayed = 'yes' | 'no' | 'replaced';

/** A history row as planned; `by` is an index in DEMO_USERS. */
export interface OnboardingChange {
  from: StallStatus | null;
  to: StallStatus;
  at: number;
  by: number;
  reason: string | null;
  note: string;
}

/** The parts of a planned stall the onboarding needs. planOnboarding edits the personal data in place. */
export interface OnboardingStall {
  site: number;
  ownerName: string;
  businessName: string;
  phone: string | null;
  category: GoodsCategory;
  history: readonly OnboardingChange[];
}

export interface PlannedAccount {
  bank: DemoBank;
  accountNumber: string;
  service: 'account' | 'card';
  holderName: string;
  source: AccountSource;
  primary: boolean;
  createdAt: number;
  createdBy: number;
  verified: { at: number; by: number } | null;
  retired: { at: number; by: number } | null;
}

export interface PlannedVisit {
  at: number;
  by: number;
  action: VisitAction;
  sticker: StickerDisplayed | null;
  transferShare: number | null;
  /** Index in the stall's accounts, or null. */
  account: number | null;
  note: string;
}

export interface StallOnboarding {
  consent: { at: number; by: number } | null;
  accounts: PlannedAccount[];
  visits: PlannedVisit[];
}

export interface OnboardingContext {
  /** Main-account bank weights of each site (by site index). */
  siteBanks: readonly BankWeights[];
  /** DEMO_USERS indexes of the volunteers of each site (by site index). */
  siteVolunteers: readonly (readonly number[])[];
  /** Local midnight of history day 0, in ms. */
  firstDay: number;
  /** The last history day (yesterday). */
  lastDay: number;
}

/** One entry per stall, in the order of `stalls`. */
export function planOnboarding(rng: Rng, stalls: OnboardingStall[], context: OnboardingContext): StallOnboarding[] {
  withholdConsent(rng, stalls);
  const used = new Set<string>();
  const plans = stalls.map((stall): StallOnboarding => {
    const first = stall.history[0]!;
    const hasPersonalData = stall.ownerName !== '' || stall.businessName !== '' || stall.phone !== null;
    const consent = hasPersonalData ? { at: first.at, by: first.by } : null;
    const accounts = planAccounts(rng, stall, context, used);
    const visits = planVisits(rng, stall, accounts, context);
    return { consent, accounts, visits };
  });
  plantWarningSignals(rng, stalls, plans);
  return plans;
}

/**
 * A few traders who were only surveyed or who refused did not agree to have their data stored: those stalls
 * keep their label, goods category and status, and nothing personal.
 */
function withholdConsent(rng: Rng, stalls: OnboardingStall[]): void {
  const candidates = stalls.filter(
    (stall) => (current(stall) === 'surveyed' || current(stall) === 'refused') && !reached(stall, 'has_account'),
  );
  const chosen = rng.shuffle(candidates).slice(0, Math.ceil(candidates.length * NO_CONSENT_SHARE));
  for (const stall of chosen) {
    stall.ownerName = '';
    stall.businessName = '';
    stall.phone = null;
  }
}

function current(stall: OnboardingStall): StallStatus {
  return stall.history[stall.history.length - 1]!.to;
}

function reached(stall: OnboardingStall, status: StallStatus): boolean {
  return stall.history.some((change) => change.to === status);
}

function planAccounts(
  rng: Rng,
  stall: OnboardingStall,
  context: OnboardingContext,
  used: Set<string>,
): PlannedAccount[] {
  const openedIndex = stall.history.findIndex((change) => change.to === 'has_account');
  if (openedIndex < 0) return [];
  const opened = stall.history[openedIndex]!;
  const nextAt = stall.history[openedIndex + 1]?.at ?? localMidnightAfter(context, context.lastDay);
  const verifiedRow = stall.history.find((change) => change.to === 'qr_verified');
  const holderName = toBankHolderName(stall.ownerName);

  const account = (bank: DemoBank, createdAt: number, service: 'account' | 'card' = 'account'): PlannedAccount => ({
    bank,
    accountNumber: uniqueNumber(rng, bank, service, used),
    service,
    holderName,
    source: rng.weighted({ typed: 70, pasted: 20, photo: 10 }),
    primary: false,
    createdAt,
    createdBy: opened.by,
    verified: null,
    retired: null,
  });

  const accounts: PlannedAccount[] = [];
  const mainBank = pickBank(rng, context.siteBanks[stall.site]!);
  // Rarely, the account first typed in was an old one the trader no longer uses: it is retired and the new
  // one becomes the primary, before the name check.
  if (rng.chance(RETIRED_ACCOUNT_CHANCE)) {
    const old = account(pickBank(rng, context.siteBanks[stall.site]!), opened.at);
    const replacedAt = workingTimeBetween(rng, context, opened.at, nextAt);
    old.retired = { at: replacedAt, by: opened.by };
    accounts.push(old);
    accounts.push({ ...account(mainBank, replacedAt), primary: true });
  } else {
    accounts.push({ ...account(mainBank, opened.at), primary: true });
  }

  // Traders often show two or three banks: the extra ones are added in the same visit.
  const extra = rng.chance(SECOND_ACCOUNT_CHANCE) ? (rng.chance(THIRD_ACCOUNT_CHANCE) ? 2 : 1) : 0;
  const banks: DemoBank[] = [mainBank];
  for (let k = 1; k <= extra; k++) {
    const bank = pickBank(rng, SECOND_ACCOUNT_BANKS, banks);
    banks.push(bank);
    accounts.push(account(bank, sameVisit(opened.at, nextAt, k, extra), rng.chance(CARD_CHANCE) ? 'card' : 'account'));
  }

  if (verifiedRow) {
    const primary = accounts.find((a) => a.primary)!;
    primary.verified = { at: verifiedRow.at, by: verifiedRow.by };
  }
  return accounts;
}

function uniqueNumber(rng: Rng, bank: DemoBank, service: 'account' | 'card', used: Set<string>): string {
  for (;;) {
    const number = service === 'card' ? randomCardNumber(rng, bank) : randomAccountNumber(rng, bank);
    const key = `${DEMO_BANKS[bank].bin}:${number}`;
    if (!used.has(key)) {
      used.add(key);
      return number;
    }
  }
}

function planVisits(
  rng: Rng,
  stall: OnboardingStall,
  accounts: readonly PlannedAccount[],
  context: OnboardingContext,
): PlannedVisit[] {
  const visits: PlannedVisit[] = [];
  const visit = (at: number, by: number, action: VisitAction, account: number | null = null, note = '') =>
    visits.push({ at, by, action, sticker: null, transferShare: null, account, note });
  const primary = accounts.findIndex((a) => a.primary);
  let accountsLogged = false;

  stall.history.forEach((change, i) => {
    if (i === 0) {
      visit(change.at, change.by, 'onboarded');
      return;
    }
    switch (change.to) {
      case 'has_account': {
        // The funnel reaches it once; the accounts belong to that first time. The accounts typed in at this
        // visit, then, if the first one was an old account, its retirement and the new primary.
        if (accountsLogged) break;
        accountsLogged = true;
        const retired = accounts.findIndex((a) => a.retired !== null);
        accounts.forEach((account, index) => {
          if (retired < 0 || index !== primary) visit(account.createdAt, account.createdBy, 'account_added', index);
        });
        const old = retired >= 0 ? accounts[retired] : undefined;
        if (old?.retired) {
          visit(old.retired.at, old.retired.by, 'account_retired', retired);
          visit(accounts[primary]!.createdAt, accounts[primary]!.createdBy, 'account_added', primary);
        }
        break;
      }
      case 'qr_verified':
        if (change.from === 'installed') {
          // The follow-up that found the sticker gone is what sent the stall back to "QR verified".
          visits.push({
            at: change.at - rng.int(2, 10) * MINUTE,
            by: change.by,
            action: 'follow_up',
            sticker: 'no',
            transferShare: null,
            account: null,
            note: change.note,
          });
        } else {
          visit(change.at, change.by, 'name_checked', primary);
        }
        break;
      case 'installed':
        visit(change.at, change.by, 'installed', primary, change.note);
        break;
      case 'refused':
        visit(
          change.at,
          change.by,
          'refused',
          null,
          isRefusalReason(change.reason) ? REFUSAL_REASON_LABELS[change.reason] : '',
        );
        break;
      case 'surveyed':
      case 'closed':
        // Closing is noted by the team, not a visit at the counter.
        break;
    }
  });

  const last = stall.history[stall.history.length - 1]!;
  if (last.to === 'installed') visits.push(...followUps(rng, stall, last, context));
  return visits;
}

/** Transfer share as traders tell it, by what they sell (young customers pay by transfer more). */
const SHARE_BIAS: Partial<Record<GoodsCategory, number>> = {
  giai_khat: 12,
  dien_thoai: 10,
  an_uong: 8,
  my_pham: 8,
  quan_ao: 5,
  giay_dep: 5,
  vang_bac: -10,
  rau_cu: -8,
  gao_do_kho: -8,
  thit: -5,
  hai_san: -5,
};

function followUps(
  rng: Rng,
  stall: OnboardingStall,
  installed: OnboardingChange,
  context: OnboardingContext,
): PlannedVisit[] {
  let day = dayOf(context, installed.at);
  if (context.lastDay - day < FOLLOW_UP_MIN_DAYS || !rng.chance(FOLLOW_UP_SHARE)) return [];
  const volunteers = context.siteVolunteers[stall.site]!;
  const spread = (rng.next() + rng.next() + rng.next() - 1.5) * 36;
  const step = rng.chance(0.6) ? 10 : 5;
  let share = clamp(Math.round((50 + (SHARE_BIAS[stall.category] ?? 0) + spread) / step) * step, 5, 95);

  const visits: PlannedVisit[] = [];
  const count = rng.int(1, 3);
  let previous: StickerDisplayed | null = null;
  for (let k = 0; k < count; k++) {
    const remaining = context.lastDay - day;
    if (remaining < FOLLOW_UP_MIN_DAYS) break;
    day += rng.int(FOLLOW_UP_MIN_DAYS, Math.min(remaining, 21));
    // After a missing sticker, the next visit finds it back up.
    const sticker: StickerDisplayed = previous === 'no' ? 'yes' : rng.weighted({ yes: 84, no: 8, replaced: 8 });
    const note =
      sticker === 'no'
        ? 'Tiểu thương cất bảng mã QR khi dọn hàng, đã nhắc treo lại'
        : sticker === 'replaced'
          ? rng.pick(['Bảng mã QR bị phai màu, đã thay bảng mới', 'Bảng mã QR bị bong góc, đã dán bảng mới'])
          : '';
    visits.push({
      at: workingTime(rng, context, day),
      by: rng.chance(0.7) ? installed.by : rng.pick(volunteers),
      action: 'follow_up',
      sticker,
      // A few traders cannot say.
      transferShare: rng.chance(0.08) ? null : share,
      account: null,
      note,
    });
    previous = sticker;
    share = Math.min(100, share + rng.int(0, 2) * 5);
  }
  return visits;
}

/**
 * The warning signals the app must show, planted on purpose (everything else is unique):
 * - ONE account (same BIN and number) on two stalls of different sites: the second stall's trader showed a
 *   QR that belongs to someone else's account, the pattern of QR-swap fraud. That stall has not been name
 *   checked yet, so its account stays unverified.
 * - ONE phone number on two stalls of the same site (one family, or one person behind two stalls).
 */
function plantWarningSignals(rng: Rng, stalls: readonly OnboardingStall[], plans: readonly StallOnboarding[]): void {
  const indexes = rng.shuffle(stalls.map((_, index) => index));

  const original = indexes.find((i) => plans[i]!.accounts.some((a) => a.primary && a.verified));
  if (original === undefined) throw new Error('Demo: no verified account to duplicate');
  const copy = indexes.find(
    (i) =>
      stalls[i]!.site !== stalls[original]!.site &&
      current(stalls[i]!) === 'has_account' &&
      !reached(stalls[i]!, 'qr_verified'),
  );
  if (copy === undefined) throw new Error('Demo: no unverified stall on another site for the duplicate account');
  const source = plans[original]!.accounts.find((a) => a.primary)!;
  const target = plans[copy]!.accounts.find((a) => a.primary)!;
  Object.assign(target, {
    bank: source.bank,
    accountNumber: source.accountNumber,
    service: source.service,
    source: 'pasted',
  });

  const first = indexes.find((i) => stalls[i]!.phone !== null);
  if (first === undefined) throw new Error('Demo: no stall with a phone');
  const second = indexes.find(
    (i) => i !== first && stalls[i]!.site === stalls[first]!.site && stalls[i]!.phone !== null,
  );
  if (second === undefined) throw new Error('Demo: no second stall with a phone on the same site');
  stalls[second]!.phone = stalls[first]!.phone;
}

function dayOf(context: OnboardingContext, at: number): number {
  return Math.floor((at - context.firstDay) / DAY);
}

function localMidnightAfter(context: OnboardingContext, day: number): number {
  return context.firstDay + (day + 1) * DAY;
}

/** A time in working hours (7:30–17:30 local) on history day `day`. */
function workingTime(rng: Rng, context: OnboardingContext, day: number): number {
  return context.firstDay + day * DAY + rng.int(7 * 60 + 30, 17 * 60 + 30) * MINUTE;
}

/** A time strictly between `after` and `before`, in working hours if they leave room for it, else halfway. */
function workingTimeBetween(rng: Rng, context: OnboardingContext, after: number, before: number): number {
  const slots: [number, number][] = [];
  for (let day = dayOf(context, after); day <= Math.min(dayOf(context, before), context.lastDay); day++) {
    const start = context.firstDay + day * DAY;
    const from = Math.max(start + (7 * 60 + 30) * MINUTE, Math.floor(after / MINUTE + 1) * MINUTE);
    const to = Math.min(start + (17 * 60 + 30) * MINUTE, Math.ceil(before / MINUTE - 1) * MINUTE);
    if (from <= to) slots.push([from, to]);
  }
  if (slots.length === 0) return after + Math.floor((before - after) / 2);
  const [from, to] = rng.pick(slots);
  return from + rng.int(0, (to - from) / MINUTE) * MINUTE;
}

/** The k-th of n further actions in the visit at `at`: a few minutes later, and before the next history row. */
function sameVisit(at: number, nextAt: number, k: number, n: number): number {
  return at + Math.max(1, Math.floor(Math.min(3 * MINUTE * k, ((nextAt - at) * k) / (n + 1))));
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
