/**
 * What changed, as the audit trail keeps it: plain fields with their values before and after; personal
 * fields (owner names, phones, holder names, free-text notes) only as "changed", never their values; account
 * numbers masked. Pure, so the rule that no personal value reaches the log is checked in one place.
 */
import { maskAccount } from '../vocabulary/masking.js';

export type AuditValue = string | number | boolean | null;

export type FieldChange =
  | { readonly before?: AuditValue; readonly after?: AuditValue }
  /** A personal field: that it changed, never what it held. */
  | { readonly changed: true };

export type AuditChanges = Readonly<Record<string, FieldChange>>;

/** How each field of a record is kept in the log. */
export interface AuditFields {
  /** Values are kept. */
  readonly plain?: readonly string[];
  /** Only "changed" is kept. */
  readonly personal?: readonly string[];
  /** Kept masked: •••• 1234. */
  readonly accountNumbers?: readonly string[];
}

type Record_ = Readonly<Record<string, unknown>>;

function plainValue(value: unknown): AuditValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  return String(value);
}

function maskedValue(value: unknown): AuditValue {
  return typeof value === 'string' && value !== '' ? maskAccount(value) : null;
}

/**
 * The fields that differ between `before` and `after` (a new record: `before` undefined; a removed one:
 * `after` undefined), kept as `fields` says. A field not named in `fields` is left out: the log records only
 * what the feature chose to record, so a new personal column cannot leak by default.
 */
export function auditChanges(
  before: Record_ | undefined,
  after: Record_ | undefined,
  fields: AuditFields,
): AuditChanges {
  const changes: Record<string, FieldChange> = {};
  const differs = (field: string) => !Object.is(before?.[field] ?? null, after?.[field] ?? null);
  const side = (record: Record_ | undefined, field: string, keep: (value: unknown) => AuditValue) =>
    record === undefined ? {} : { value: keep(record[field]) };
  const entry = (field: string, keep: (value: unknown) => AuditValue): FieldChange => {
    const b = side(before, field, keep);
    const a = side(after, field, keep);
    return { ...('value' in b ? { before: b.value } : {}), ...('value' in a ? { after: a.value } : {}) };
  };
  for (const field of fields.plain ?? []) if (differs(field)) changes[field] = entry(field, plainValue);
  for (const field of fields.accountNumbers ?? []) if (differs(field)) changes[field] = entry(field, maskedValue);
  for (const field of fields.personal ?? []) if (differs(field)) changes[field] = { changed: true };
  return changes;
}
