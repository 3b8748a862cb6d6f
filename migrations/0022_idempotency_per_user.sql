-- Idempotency keys belong to a user and to what was sent (issue 14). The key alone was the primary key, so
-- another user's submit with the same key failed on the constraint (a 500), and the same key with edited
-- fields silently landed on the first stall. Now a key is (user, key), and the submit's fingerprint (a
-- SHA-256 of its fields, src/idempotency/submit-fingerprint.ts) tells a retry (same content: the first
-- result) from a different submit (409). Rows from before have no fingerprint: any replay of theirs is
-- taken as the retry it almost always was. result_url is '' while the claiming transaction is still open.
CREATE TABLE idempotency_keys_by_user (
  user_id     INTEGER NOT NULL REFERENCES users (id),
  key         TEXT NOT NULL CHECK (length(key) BETWEEN 16 AND 64),
  fingerprint TEXT CHECK (fingerprint IS NULL OR length(fingerprint) = 64),
  result_url  TEXT NOT NULL,
  created_at  TEXT NOT NULL,
  PRIMARY KEY (user_id, key)
) STRICT, WITHOUT ROWID;

INSERT INTO idempotency_keys_by_user (user_id, key, fingerprint, result_url, created_at)
  SELECT user_id, key, NULL, result_url, created_at FROM idempotency_keys;
DROP TABLE idempotency_keys;
ALTER TABLE idempotency_keys_by_user RENAME TO idempotency_keys;
