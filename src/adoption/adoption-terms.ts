/**
 * Targets in time (migrations/0018_target_history.sql): what target, deadline and campaign were in force
 * for a site on a day, from the three append-only histories (a site's own target and deadline, a campaign's
 * target, start and deadline, a site's campaign membership). Pure: rows in, small per-site timelines out.
 *
 * In force on day D: the last row (by effective_on, then id) with effective_on ≤ D, so of several changes
 * on one day the last one holds that day and after; before an entity's first day, what was in force on its
 * first day; an entity without any row (inserted outside the services, e.g. by a seed), its current
 * columns on every day.
 *
 * A site's timeline is built once per reference load (sites are thousands, their changes few): one entry
 * per day on which anything about it changed, so looking a day up is a walk over one or two entries.
 */
import { dayNumber } from '../calendar/calendar.js';

/** Before every day a date reaches: the first entry of a timeline starts here. */
export const SINCE_ALWAYS = -(2 ** 31);

export interface CampaignInfo {
  readonly id: number;
  readonly name: string;
  readonly targetPercent: number;
  readonly startsOn: string;
  readonly deadline: string;
}

/** What applies to a site from `fromDay` on (until the next entry). */
export interface SiteTerms {
  readonly fromDay: number;
  /** The campaign's target and deadline when the site is in one, else the site's own. */
  readonly targetPercent: number;
  readonly deadline: string | null;
  /** The campaign it is in, with the campaign's values in force then. */
  readonly campaign: CampaignInfo | null;
}

/** A value from a day on. */
export interface Dated<T> {
  readonly fromDay: number;
  readonly value: T;
}

/** The entry of a timeline in force on `day` (the first one before its first day). */
export function inForce<T extends { readonly fromDay: number }>(timeline: readonly T[], day: number): T {
  let i = timeline.length - 1;
  while (i > 0 && timeline[i]!.fromDay > day) i--;
  return timeline[i]!;
}

/**
 * Rows of one entity sorted by (effective_on, id) → a timeline: one entry per day, the day's last row; the
 * first entry from SINCE_ALWAYS. Empty in, empty out.
 */
export function timelineOf<R extends { readonly effective_on: string }, T>(
  rows: readonly R[],
  value: (row: R) => T,
): Dated<T>[] {
  const out: Dated<T>[] = [];
  for (const row of rows) {
    const day = dayNumber(row.effective_on);
    if (out.length > 0 && out[out.length - 1]!.fromDay === day) out.pop();
    out.push({ fromDay: day, value: value(row) });
  }
  // What was in force on the first day stands for every day before it.
  if (out.length > 0) out[0] = { fromDay: SINCE_ALWAYS, value: out[0]!.value };
  return out;
}

/** Groups rows (already sorted by entity, day, id) by entity. */
export function groupRows<R, K>(rows: readonly R[], key: (row: R) => K): Map<K, R[]> {
  const groups = new Map<K, R[]>();
  for (const row of rows) {
    const k = key(row);
    const list = groups.get(k);
    if (list) list.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

export interface OwnTerms {
  readonly targetPercent: number;
  readonly deadline: string | null;
}

/**
 * A site's terms over time from its own timeline, its membership timeline (campaign id or null) and the
 * campaigns' timelines: an entry on every day one of them changes, equal neighbours merged.
 */
export function siteTermsOf(
  own: readonly Dated<OwnTerms>[],
  membership: readonly Dated<number | null>[],
  campaigns: ReadonlyMap<number, readonly Dated<CampaignInfo>[]>,
): SiteTerms[] {
  const days = new Set<number>([SINCE_ALWAYS]);
  for (const entry of own) days.add(entry.fromDay);
  for (const entry of membership) {
    days.add(entry.fromDay);
    if (entry.value !== null) for (const version of campaigns.get(entry.value) ?? []) days.add(version.fromDay);
  }
  const out: SiteTerms[] = [];
  for (const day of [...days].sort((a, b) => a - b)) {
    const mine = inForce(own, day).value;
    const campaignId = inForce(membership, day).value;
    const versions = campaignId === null ? undefined : campaigns.get(campaignId);
    const campaign = versions ? inForce(versions, day).value : null;
    const terms: SiteTerms = {
      fromDay: day,
      targetPercent: campaign ? campaign.targetPercent : mine.targetPercent,
      deadline: campaign ? campaign.deadline : mine.deadline,
      campaign,
    };
    const last = out[out.length - 1];
    if (
      last &&
      last.targetPercent === terms.targetPercent &&
      last.deadline === terms.deadline &&
      last.campaign === terms.campaign
    )
      continue;
    out.push(terms);
  }
  return out;
}
