-- A customer's report about a sticker, from the public page /v/CODE ("Báo mã đáng ngờ"): what looks wrong
-- (a fixed list, src/vocabulary/sticker-reports.ts), an optional detail and an optional phone to be called
-- back on. It lands on the work list of the team leads whose reach covers the stall, who close it with an
-- outcome from a fixed list. The phone is only for the call back: closing a report removes it.
-- The detail and the phone are personal data: the audit trail records that they were given, never them.
CREATE TABLE sticker_reports (
  id          INTEGER PRIMARY KEY,
  sticker_id  INTEGER NOT NULL REFERENCES stickers (id),
  problem     TEXT NOT NULL CHECK (problem IN ('name_differs', 'covers_other', 'owner_denies', 'other')),
  detail      TEXT CHECK (detail IS NULL OR length(detail) BETWEEN 1 AND 500),
  -- Stored as 10 digits starting with 0 (src/text/phone.ts).
  phone       TEXT CHECK (phone IS NULL OR (length(phone) = 10 AND phone GLOB '0[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]')),
  received_at TEXT NOT NULL,
  status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  closed_by   INTEGER REFERENCES users (id),
  closed_at   TEXT,
  outcome     TEXT CHECK (outcome IS NULL OR outcome IN ('sticker_ok', 'sticker_fixed', 'handed_over', 'duplicate', 'other')),
  close_note  TEXT CHECK (close_note IS NULL OR length(close_note) BETWEEN 1 AND 500),
  CHECK (
    (status = 'open' AND closed_at IS NULL AND closed_by IS NULL AND outcome IS NULL AND close_note IS NULL)
    OR (status = 'closed' AND closed_at IS NOT NULL AND outcome IS NOT NULL)
  )
) STRICT;
-- The work list: open reports, newest first.
CREATE INDEX sticker_reports_open ON sticker_reports (status, received_at);
CREATE INDEX sticker_reports_sticker ON sticker_reports (sticker_id);
