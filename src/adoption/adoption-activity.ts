/**
 * Volunteer activity of a scope: visits and stalls onboarded per volunteer per ISO week (Monday–Sunday), the
 * last weeks up to a date, summed from the snapshot's visit totals per site, day and volunteer (the entries of
 * the scope's sites in the window, not every visit). Counting is in memory; the volunteers' names come from the
 * database (AdoptionRepo.userNames), so the answer is built in two steps.
 */
import { dayNumber, weeksEndingAt } from '../calendar/calendar.js';
import type { ResolvedScope } from './adoption-scope.js';
import type { AdoptionSnapshot } from './adoption-snapshot.js';
import type { VolunteerActivity, VolunteerRow } from './adoption-types.js';

const nameOrder = new Intl.Collator('vi', { sensitivity: 'base' });

/** Per user with a visit in the window: [week · 2] visits, [week · 2 + 1] stalls onboarded. */
export interface VisitCounts {
  readonly scope: ResolvedScope;
  readonly asOf: string;
  readonly weeks: number;
  readonly perUser: ReadonlyMap<number, Int32Array>;
}

/** Counts the visits on the scope's stalls in the `weeks` ISO weeks up to asOf (days after asOf left out). */
export function countVisits(snap: AdoptionSnapshot, scope: ResolvedScope, asOf: string, weeks: number): VisitCounts {
  const window = weeksEndingAt(asOf, weeks);
  const from = dayNumber(window[0]!.monday);
  const to = dayNumber(asOf);
  const perUser = new Map<number, Int32Array>();
  snap.forEachVisit(scope.indexes, from, to, (day, user, visits, onboarded) => {
    let row = perUser.get(user);
    if (!row) perUser.set(user, (row = new Int32Array(weeks * 2)));
    const week = Math.floor((day - from) / 7);
    row[week * 2]! += visits;
    row[week * 2 + 1]! += onboarded;
  });
  return { scope, asOf, weeks, perUser };
}

/** The activity answer from the counts and the names of their users (by id; a missing name shows as #id). */
export function activityOf(
  { scope, asOf, weeks, perUser }: VisitCounts,
  users: ReadonlyMap<number, string>,
): VolunteerActivity {
  const window = weeksEndingAt(asOf, weeks);
  const volunteers: VolunteerRow[] = [...perUser].map(([userId, row]) => {
    const perWeek = window.map((_, w) => ({ visits: row[w * 2]!, onboarded: row[w * 2 + 1]! }));
    return {
      userId,
      displayName: users.get(userId) ?? `#${userId}`,
      weeks: perWeek,
      visits: perWeek.reduce((sum, week) => sum + week.visits, 0),
      onboarded: perWeek.reduce((sum, week) => sum + week.onboarded, 0),
      activeWeeks: perWeek.filter((week) => week.visits > 0).length,
    };
  });
  volunteers.sort(
    (a, b) => b.visits - a.visits || nameOrder.compare(a.displayName, b.displayName) || a.userId - b.userId,
  );
  return {
    scope: scope.info,
    asOf,
    weeks: window.map((week, w) => ({
      ...week,
      through: week.sunday < asOf ? week.sunday : asOf,
      visits: volunteers.reduce((sum, v) => sum + v.weeks[w]!.visits, 0),
      onboarded: volunteers.reduce((sum, v) => sum + v.weeks[w]!.onboarded, 0),
      activeVolunteers: volunteers.filter((v) => v.weeks[w]!.visits > 0).length,
    })),
    volunteers,
  };
}
