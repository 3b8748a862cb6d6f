-- Append-only, enforced by the database: the status history and the visits are the audit trail, and the
-- in-memory adoption snapshot (src/adoption/adoption-snapshot.ts) is correct only because they never change.
--
-- What the snapshot and its caches rely on, table by table (read from adoption-snapshot.ts, adoption-repo.ts,
-- shared-accounts.ts):
-- - stall_status_history: read once by id, then only the rows with an id above the last one seen. An UPDATE
--   of an old row (its stall, status, reason or time) would never be seen; a DELETE is seen only when it
--   lowers max(id). Append-only below: no DELETE, no UPDATE except the one redaction path.
-- - visits: the same (id ranges), and every visit's day, user, stall and action are kept in memory for
--   volunteer activity, never re-read. Append-only below, with the same redaction path.
-- - stall_accounts: the duplicate-account check (shared-accounts.ts) finds the shared (BIN, number) pairs
--   once, then reads only accounts with a higher id: exact because an account's id, BIN and number never
--   change and accounts are never deleted (retiring sets retired_at, which the check reads fresh). Those
--   three columns are fixed below and DELETE is refused; the other columns (name check, primary, retirement,
--   holder name) keep changing as they do today. Erasing an account number, if the erasure issue needs it,
--   will need its own audited path here and a SharedAccountNumbers.reset().
-- - stalls: rows are read by id range when they appear; a stall's site is read again whenever it gets a
--   history row or a visit. Stalls change (status, names, consent) and are not guarded here. A stall with
--   history cannot be deleted anyway (the history's foreign key, now that the history stays), and the app
--   writes a stall's first history row when it creates the stall. No code moves a stall to another site: a
--   feature that does must also write a history row (or invalidate the snapshot).
-- - stickers, sticker_prints: not cached; the withdrawn-sticker check reads them fresh on each call.
-- - provinces, communes, sites, campaigns, campaign_sites: followed by TEMP triggers of the adoption repo
--   (any INSERT, UPDATE or DELETE reloads them), so they stay free to change.
--
-- The one way to change a history or visit row: redacting its free text for personal-data erasure.
-- Free text is the `note` of both tables (the history's `reason` is a refusal-reason code, not free text;
-- a refusal for "other" keeps its code when its note is blanked). A redaction sets the note to '' (the
-- marker: the column stays NOT NULL DEFAULT '', and '' already means "no note"), leaves every other column
-- as it was, and needs a row in `redactions` naming the table, the row and the field, written first. SQLite
-- cannot tell one transaction from another, so "in the same transaction" is the redaction repository's
-- part (src/redaction/redaction-repo.ts writes both in one); what the triggers ensure is that no note is
-- blanked without its redactions row and that a redactions row names text that is there. A note once blanked
-- stays blank, so each redactions row allows exactly one change; `redactions` itself is append-only. (An
-- UPDATE that sets every column to what it already holds changes nothing and is let through.)
--
-- A later migration that adds a column to stall_status_history or visits recreates its *_fixed_columns
-- trigger with the new column, or the new column is left unguarded.

CREATE TABLE redactions (
  id          INTEGER PRIMARY KEY,
  table_name  TEXT NOT NULL CHECK (table_name IN ('stall_status_history', 'visits')),
  row_id      INTEGER NOT NULL,
  field       TEXT NOT NULL CHECK (field IN ('note')),
  -- Why, e.g. the erasure request it answers; it is kept for good, so it names no person.
  reason      TEXT NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  redacted_at TEXT NOT NULL,
  redacted_by INTEGER NOT NULL REFERENCES users (id),
  -- Text once removed cannot come back, so a field is redacted at most once; also the index the guards read.
  UNIQUE (table_name, row_id, field)
) STRICT;

-- A redactions row records text that was there: the row must exist and its field must still hold text.
CREATE TRIGGER redactions_name_text BEFORE INSERT ON redactions
WHEN NOT (CASE NEW.table_name
  WHEN 'stall_status_history' THEN EXISTS (SELECT 1 FROM stall_status_history WHERE id = NEW.row_id AND note <> '')
  WHEN 'visits' THEN EXISTS (SELECT 1 FROM visits WHERE id = NEW.row_id AND note <> '')
  ELSE 0 END)
BEGIN
  SELECT RAISE(ABORT, 'redactions: the row named does not exist or holds no text in that field');
END;

CREATE TRIGGER redactions_no_update BEFORE UPDATE ON redactions
BEGIN
  SELECT RAISE(ABORT, 'redactions is append-only');
END;

CREATE TRIGGER redactions_no_delete BEFORE DELETE ON redactions
BEGIN
  SELECT RAISE(ABORT, 'redactions is append-only');
END;

-- stall_status_history

CREATE TRIGGER stall_status_history_no_delete BEFORE DELETE ON stall_status_history
BEGIN
  SELECT RAISE(ABORT, 'stall_status_history is append-only: rows are never deleted');
END;

CREATE TRIGGER stall_status_history_fixed_columns BEFORE UPDATE ON stall_status_history
WHEN NEW.id IS NOT OLD.id
  OR NEW.stall_id IS NOT OLD.stall_id
  OR NEW.from_status IS NOT OLD.from_status
  OR NEW.to_status IS NOT OLD.to_status
  OR NEW.changed_at IS NOT OLD.changed_at
  OR NEW.changed_by IS NOT OLD.changed_by
  OR NEW.reason IS NOT OLD.reason
BEGIN
  SELECT RAISE(ABORT, 'stall_status_history is append-only: only a redaction may change a row, and only its note');
END;

CREATE TRIGGER stall_status_history_note_redaction BEFORE UPDATE ON stall_status_history
WHEN NEW.note IS NOT OLD.note AND NOT (NEW.note = '' AND EXISTS (
  SELECT 1 FROM redactions WHERE table_name = 'stall_status_history' AND row_id = OLD.id AND field = 'note'))
BEGIN
  SELECT RAISE(ABORT, 'stall_status_history is append-only: a note may only be blanked, after a row in redactions');
END;

-- visits

CREATE TRIGGER visits_no_delete BEFORE DELETE ON visits
BEGIN
  SELECT RAISE(ABORT, 'visits is append-only: rows are never deleted');
END;

CREATE TRIGGER visits_fixed_columns BEFORE UPDATE ON visits
WHEN NEW.id IS NOT OLD.id
  OR NEW.stall_id IS NOT OLD.stall_id
  OR NEW.user_id IS NOT OLD.user_id
  OR NEW.visited_at IS NOT OLD.visited_at
  OR NEW.action IS NOT OLD.action
  OR NEW.sticker_displayed IS NOT OLD.sticker_displayed
  OR NEW.transfer_share IS NOT OLD.transfer_share
  OR NEW.account_id IS NOT OLD.account_id
BEGIN
  SELECT RAISE(ABORT, 'visits is append-only: only a redaction may change a row, and only its note');
END;

CREATE TRIGGER visits_note_redaction BEFORE UPDATE ON visits
WHEN NEW.note IS NOT OLD.note AND NOT (NEW.note = '' AND EXISTS (
  SELECT 1 FROM redactions WHERE table_name = 'visits' AND row_id = OLD.id AND field = 'note'))
BEGIN
  SELECT RAISE(ABORT, 'visits is append-only: a note may only be blanked, after a row in redactions');
END;

-- stall_accounts: never deleted (an account is retired); its id, BIN and number never change.

CREATE TRIGGER stall_accounts_no_delete BEFORE DELETE ON stall_accounts
BEGIN
  SELECT RAISE(ABORT, 'stall_accounts rows are never deleted: retire the account instead');
END;

CREATE TRIGGER stall_accounts_fixed_number BEFORE UPDATE OF id, bin, account_number ON stall_accounts
WHEN NEW.id IS NOT OLD.id OR NEW.bin IS NOT OLD.bin OR NEW.account_number IS NOT OLD.account_number
BEGIN
  SELECT RAISE(ABORT, 'stall_accounts: an account''s id, bin and account_number never change');
END;
