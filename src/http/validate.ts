/** Small pure checks shared by form validators; each returns the cleaned value or undefined. */

import { cleanText } from '../text/fold.js';

export type FormInput = Record<string, unknown>;

/** The field as trimmed NFC text ('' when absent or not a string). */
export function textField(input: FormInput, name: string): string {
  const value = input[name];
  return typeof value === 'string' ? cleanText(value) : '';
}

/** A form checkbox the user ticked. */
export function ticked(input: FormInput, name: string): boolean {
  return input[name] === 'yes' || input[name] === 'on';
}

export function parseWholeNumber(value: string): number | undefined {
  return /^\d{1,9}$/.test(value) ? Number(value) : undefined;
}
