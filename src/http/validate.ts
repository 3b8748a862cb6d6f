/** Small pure checks shared by form validators; each returns the cleaned value or undefined. */

import { cleanText } from '../text/fold.js';

export type FormInput = Record<string, unknown>;

/** The field as trimmed NFC text ('' when absent or not a string). */
export function textField(input: FormInput, name: string): string {
  const value = input[name];
  return typeof value === 'string' ? cleanText(value) : '';
}

/** A calendar date 'YYYY-MM-DD' that exists (rejects 2025-02-30). */
export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

export function parseWholeNumber(value: string): number | undefined {
  return /^\d{1,9}$/.test(value) ? Number(value) : undefined;
}
