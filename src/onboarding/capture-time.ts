import { ValidationError } from '../http/errors.js';
import type { FormInput } from '../http/validate.js';

/** How far ahead of the server's clock a phone's clock may run before its times are refused. */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;
/** The oldest capture a queued submit may still carry: a phone offline for longer has lost its way. */
export const MAX_QUEUE_AGE_DAYS = 30;
const MAX_QUEUE_AGE_MS = MAX_QUEUE_AGE_DAYS * 24 * 60 * 60 * 1000;

/** An ISO 8601 instant with its offset (as `Date.prototype.toISOString` writes it), nothing looser. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

function instantOf(input: FormInput, name: string): number | undefined {
  const raw = input[name];
  if (raw === undefined || raw === '') return undefined;
  const ms = typeof raw === 'string' && ISO_INSTANT.test(raw.trim()) ? Date.parse(raw.trim()) : NaN;
  if (Number.isNaN(ms)) throw refused('thời điểm ghi trên máy bị hỏng.');
  return ms;
}

function refused(why: string): ValidationError {
  return new ValidationError({}, `Chưa lưu được phiếu gửi từ hàng chờ: ${why} Hãy xem lại rồi lưu lại.`);
}

/**
 * When a stall was really captured: `captured_at` of a submit queued on the phone while offline (with
 * `queued_at`, when it was put in the queue), else now. Bounded, never clamped: a time in the future (beyond
 * the skew allowance), older than MAX_QUEUE_AGE_DAYS, or after the item was queued is refused with a 400, so
 * the figures never count a stall from a day the phone made up.
 */
export function captureTimeOf(input: FormInput, now: Date): string {
  const captured = instantOf(input, 'captured_at');
  const queued = instantOf(input, 'queued_at');
  if (captured === undefined) {
    if (queued !== undefined) throw refused('thiếu thời điểm ghi phiếu.');
    return now.toISOString();
  }
  if (queued === undefined) throw refused('thiếu thời điểm đưa vào hàng chờ.');
  const latest = now.getTime() + CLOCK_SKEW_MS;
  if (captured > latest || queued > latest) {
    throw refused('thời điểm ghi phiếu ở tương lai (đồng hồ của máy bị sai?).');
  }
  if (captured < now.getTime() - MAX_QUEUE_AGE_MS) {
    throw refused(`phiếu được ghi hơn ${MAX_QUEUE_AGE_DAYS} ngày trước.`);
  }
  if (captured > queued) throw refused('thời điểm ghi phiếu sau thời điểm đưa vào hàng chờ.');
  // A phone clock a little ahead: the stall never counts from after the server received it.
  return new Date(Math.min(captured, now.getTime())).toISOString();
}
