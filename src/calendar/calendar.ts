/**
 * Calendar days as the programme counts them: 'YYYY-MM-DD' dates in Vietnam time (UTC+7 all year), day
 * numbers for arithmetic, ISO weeks. Pure: no clock, the caller passes the instant.
 */

export const DAY_MS = 86_400_000;
/** Vietnam is UTC+7 all year (no daylight saving). */
export const VIETNAM_OFFSET_MS = 7 * 3_600_000;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date written 'YYYY-MM-DD' (2026-02-30 is not). */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const day = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return new Date(day).toISOString().slice(0, 10) === value;
}

/** Day number of a calendar date: days since 1970-01-01 (so 1970-01-02 is 1). */
export function dayNumber(date: string): number {
  const match = ISO_DATE.exec(date);
  if (!match) throw new RangeError(`Not a 'YYYY-MM-DD' date: ${date}`);
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / DAY_MS;
}

/** The calendar date of a day number. */
export function dateOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return dateOfDay(dayNumber(date) + days);
}

/** The Vietnam calendar day (a day number) an instant falls on. */
export function vietnamDayOf(instantMs: number): number {
  return Math.floor((instantMs + VIETNAM_OFFSET_MS) / DAY_MS);
}

/**
 * The first instant after calendar day `date` in Vietnam, as an ISO UTC string: a row belongs to "as of
 * date" when its timestamp is before this ('2026-11-22' → '2026-11-22T17:00:00.000Z').
 */
export function cutoffAfter(date: string): string {
  return new Date((dayNumber(date) + 1) * DAY_MS - VIETNAM_OFFSET_MS).toISOString();
}

export interface IsoWeek {
  /** '2026-W47' */
  readonly label: string;
  readonly monday: string;
  readonly sunday: string;
}

/** The ISO week (Monday to Sunday) holding a calendar date. */
export function isoWeekOf(date: string): IsoWeek {
  const day = dayNumber(date);
  // 1970-01-01 was a Thursday: (day + 3) mod 7 is 0 on Mondays.
  const monday = day - ((((day + 3) % 7) + 7) % 7);
  // The ISO year is the year of the week's Thursday; week 1 holds that year's first Thursday.
  const thursday = monday + 3;
  const year = new Date(thursday * DAY_MS).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1) / DAY_MS) / 7) + 1;
  return {
    label: `${year}-W${String(week).padStart(2, '0')}`,
    monday: dateOfDay(monday),
    sunday: dateOfDay(monday + 6),
  };
}

/** The `count` ISO weeks up to and including the week of `date`, oldest first. */
export function weeksEndingAt(date: string, count: number): IsoWeek[] {
  const last = dayNumber(isoWeekOf(date).monday);
  return Array.from({ length: count }, (_, i) => isoWeekOf(dateOfDay(last - 7 * (count - 1 - i))));
}

/** Trend points: `date` and the same weekday 1 … `weeks` weeks before it, oldest first (weeks + 1 dates). */
export function weeklyDates(date: string, weeks: number): string[] {
  const day = dayNumber(date);
  return Array.from({ length: weeks + 1 }, (_, i) => dateOfDay(day - 7 * (weeks - i)));
}

/** The calendar date in Vietnam of an instant: 'YYYY-MM-DD'. */
export function vietnamDate(instant: Date): string {
  return dateOfDay(vietnamDayOf(instant.getTime()));
}

/** '2026-11-22' → "22/11/2026", as Vietnamese readers write a date. */
export function dayMonthYear(date: string): string {
  return `${date.slice(8, 10)}/${date.slice(5, 7)}/${date.slice(0, 4)}`;
}
