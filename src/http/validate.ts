/** Small pure checks shared by form validators; each returns the cleaned value or undefined. */

import { cleanText } from '../text/fold.js';
import { normaliseText, type TextRule } from '../text/input-text.js';
import type { FieldErrors } from './errors.js';

export type FormInput = Record<string, unknown>;

/**
 * A choice, code or number typed in a form, as trimmed NFC text with single spaces ('' when absent or not a
 * string): for values checked against a list or a pattern afterwards. Free text people type goes through
 * `checkedText` instead.
 */
export function textField(input: FormInput, name: string): string {
  const value = input[name];
  return typeof value === 'string' ? cleanText(value) : '';
}

/**
 * A free-text field through the one input normaliser (src/text/input-text.ts): the text as kept, or '' with
 * the reason next to the field in `errors[name]` (hidden or unprintable characters, too long). Callers add
 * their own "required" message only when the field has none yet (`errors[name] ??= …`).
 */
export function checkedText(input: FormInput, name: string, rule: TextRule, errors: FieldErrors): string {
  const result = normaliseText(input[name], rule);
  if (result.ok) return result.value;
  errors[name] = result.message;
  return '';
}

/** A form checkbox the user ticked. */
export function ticked(input: FormInput, name: string): boolean {
  return input[name] === 'yes' || input[name] === 'on';
}

export function parseWholeNumber(value: string): number | undefined {
  return /^\d{1,9}$/.test(value) ? Number(value) : undefined;
}
