-- Onboarding at the counter: bank accounts of a stall, name checks, consent, visits, idempotent submits.

-- The trader's consent to store personal data (name, phone, business name, accounts), with when and who.
-- Without it a stall keeps only its label, goods category and status.
ALTER TABLE stalls ADD COLUMN consent_at TEXT;
ALTER TABLE stalls ADD COLUMN consent_by INTEGER REFERENCES users (id);
CREATE INDEX stalls_phone ON stalls (phone) WHERE phone IS NOT NULL;

CREATE TABLE stall_accounts (
  id                 INTEGER PRIMARY KEY,
  stall_id           INTEGER NOT NULL REFERENCES stalls (id),
  bin                TEXT NOT NULL CHECK (length(bin) = 6),
  account_number     TEXT NOT NULL CHECK (length(account_number) BETWEEN 1 AND 19),
  service            TEXT NOT NULL CHECK (service IN ('account', 'card')),
  -- As bank apps show it: upper case, no diacritics (NGUYEN THI KIM DUNG).
  holder_name        TEXT NOT NULL CHECK (length(holder_name) BETWEEN 1 AND 50),
  -- How the account reached us: typed, pasted from the trader's QR, or read from a photo of it.
  source             TEXT NOT NULL CHECK (source IN ('typed', 'pasted', 'photo')),
  is_primary         INTEGER NOT NULL DEFAULT 0 CHECK (is_primary IN (0, 1)),
  verified_at        TEXT,
  verified_by        INTEGER REFERENCES users (id),
  -- The recipient name the volunteer's own bank app showed when scanning our code.
  verified_name_seen TEXT,
  retired_at         TEXT,
  retired_by         INTEGER REFERENCES users (id),
  created_at         TEXT NOT NULL,
  created_by         INTEGER REFERENCES users (id),
  CHECK ((verified_at IS NULL) = (verified_name_seen IS NULL)),
  CHECK (retired_at IS NULL OR is_primary = 0)
) STRICT;
CREATE INDEX stall_accounts_stall ON stall_accounts (stall_id);
-- The same account on unrelated stalls is a fraud signal; this index finds it.
CREATE INDEX stall_accounts_number ON stall_accounts (bin, account_number);
CREATE UNIQUE INDEX stall_accounts_one_primary ON stall_accounts (stall_id) WHERE is_primary = 1;

-- Every action at a stall, from which volunteer activity is counted.
CREATE TABLE visits (
  id                INTEGER PRIMARY KEY,
  stall_id          INTEGER NOT NULL REFERENCES stalls (id),
  user_id           INTEGER REFERENCES users (id),
  visited_at        TEXT NOT NULL,
  action            TEXT NOT NULL CHECK (action IN ('onboarded', 'account_added', 'name_checked', 'installed',
                      'refused', 'follow_up', 'account_retired', 'primary_changed', 'status_changed')),
  sticker_displayed TEXT CHECK (sticker_displayed IN ('yes', 'no', 'replaced')),
  transfer_share    INTEGER CHECK (transfer_share BETWEEN 0 AND 100),
  account_id        INTEGER REFERENCES stall_accounts (id),
  note              TEXT NOT NULL DEFAULT '',
  CHECK ((action = 'follow_up') = (sticker_displayed IS NOT NULL))
) STRICT;
CREATE INDEX visits_stall ON visits (stall_id, visited_at);
CREATE INDEX visits_user ON visits (user_id, visited_at);

-- A form's idempotency key and where its first successful submit led: a double tap or a retry after a
-- timeout lands on the same result instead of creating a second stall.
CREATE TABLE idempotency_keys (
  key        TEXT PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users (id),
  result_url TEXT NOT NULL,
  created_at TEXT NOT NULL
) STRICT;
