-- Printed stickers: one serial per account's sticker, reprints counted, revocation history, print log.

CREATE TABLE stickers (
  id                INTEGER PRIMARY KEY,
  -- Province, commune and a sequence within the commune: 52-23575-000123.
  serial            TEXT NOT NULL UNIQUE,
  commune_code      TEXT NOT NULL REFERENCES communes (code),
  sequence          INTEGER NOT NULL CHECK (sequence > 0),
  -- Short code for the public page /v/CODE, typed when the small QR cannot be scanned.
  verification_code TEXT NOT NULL UNIQUE,
  stall_id          INTEGER NOT NULL REFERENCES stalls (id),
  account_id        INTEGER NOT NULL REFERENCES stall_accounts (id),
  payload           TEXT NOT NULL,
  status            TEXT NOT NULL DEFAULT 'valid' CHECK (status IN ('valid', 'revoked', 'replaced')),
  status_changed_at TEXT,
  status_reason     TEXT,
  print_count       INTEGER NOT NULL DEFAULT 0,
  created_at        TEXT NOT NULL,
  created_by        INTEGER REFERENCES users (id),
  UNIQUE (commune_code, sequence)
) STRICT;
-- Reprinting an account's sticker keeps its serial: at most one valid sticker per account.
CREATE UNIQUE INDEX stickers_one_valid_per_account ON stickers (account_id) WHERE status = 'valid';
CREATE INDEX stickers_stall ON stickers (stall_id);

CREATE TABLE sticker_prints (
  id         INTEGER PRIMARY KEY,
  sticker_id INTEGER NOT NULL REFERENCES stickers (id),
  printed_at TEXT NOT NULL,
  printed_by INTEGER REFERENCES users (id),
  format     TEXT NOT NULL CHECK (format IN ('a6', 'a5', 'small', 'a4-2x2', 'a4-8'))
) STRICT;
CREATE INDEX sticker_prints_sticker ON sticker_prints (sticker_id);
