import { describe, expect, it } from 'vitest';
import { dayMonthYear, vietnamDate } from '../../src/calendar/calendar.js';
import { formatDate } from '../../src/http/format.js';

describe('calendar days in Vietnam', () => {
  it('an instant belongs to the Vietnam day it falls on (UTC+7)', () => {
    expect(vietnamDate(new Date('2026-11-21T16:59:59.999Z'))).toBe('2026-11-21');
    expect(vietnamDate(new Date('2026-11-21T17:00:00.000Z'))).toBe('2026-11-22');
  });

  it('writes dates day first, and pages show calendar dates and timestamps the same way', () => {
    expect(dayMonthYear('2026-03-09')).toBe('09/03/2026');
    expect(formatDate('2026-03-09')).toBe('09/03/2026');
    expect(formatDate('2026-03-08T18:30:00.000Z')).toBe('09/03/2026');
    expect(formatDate('2026-02-30')).toBe('');
  });
});
