import { dayMonthYear, isIsoDate } from '../calendar/calendar.js';

/** Dates as Vietnamese users read them, in Vietnam's time zone (UTC+7, no daylight saving). */
const dateFormat = new Intl.DateTimeFormat('vi-VN', {
  timeZone: 'Asia/Ho_Chi_Minh',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
});
const dateTimeFormat = new Intl.DateTimeFormat('vi-VN', {
  timeZone: 'Asia/Ho_Chi_Minh',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

/** '2023-12-03' or an ISO timestamp → "03/12/2023". */
export function formatDate(value: string | null | undefined): string {
  if (!value) return '';
  // A calendar date is printed as written (no time zone shift); one that does not exist prints nothing.
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return isIsoDate(value) ? dayMonthYear(value) : '';
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? '' : dateFormat.format(date);
}

/** An ISO timestamp → "14:05 22/11/2026". */
export function formatDateTime(value: string | null | undefined): string {
  if (!value) return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  const parts = Object.fromEntries(dateTimeFormat.formatToParts(date).map((p) => [p.type, p.value]));
  return `${parts.hour}:${parts.minute} ${parts.day}/${parts.month}/${parts.year}`;
}
