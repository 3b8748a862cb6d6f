import { createHash } from 'node:crypto';

/**
 * Fields that travel with a submit but are not what the user sent: the form's token, the key itself, and when
 * the phone captured and queued it (a submit that reached the server while its answer was lost is sent again
 * from the phone's queue with those times; it is still the same submit).
 */
const NOT_CONTENT = new Set(['_csrf', 'idempotency_key', 'captured_at', 'queued_at']);

/** A field's value as it counts for "the same content": text in NFC and trimmed, so a resent form compares equal. */
function contentOf(value: unknown): unknown {
  if (typeof value === 'string') return value.normalize('NFC').trim();
  if (Array.isArray(value)) return value.map(contentOf);
  return value ?? null;
}

/**
 * What a submit said, as a SHA-256 hex digest: its fields (names sorted, so their order does not matter) and
 * the digest of its photo, if any. Two submits with the same fingerprint are one submit sent twice; a retry
 * that changed a field — or left out the photo — is another submit. Pure, so it is the same in every process.
 */
export function submitFingerprint(input: Record<string, unknown>, photo?: { readonly buffer: Buffer }): string {
  const fields = Object.keys(input)
    .filter((name) => !NOT_CONTENT.has(name))
    .sort()
    .map((name) => [name, contentOf(input[name])]);
  const photoDigest = photo ? createHash('sha256').update(photo.buffer).digest('hex') : null;
  return createHash('sha256')
    .update(JSON.stringify({ fields, photo: photoDigest }))
    .digest('hex');
}
