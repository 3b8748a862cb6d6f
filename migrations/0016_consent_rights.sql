-- The trader's rights over their data (issue 12): the consent text as it was agreed to, withdrawing consent,
-- and erasing a stall's personal data. The stall stays in the census (label, goods category, status and its
-- status history), so every adoption figure, past or present, is computed as before.

-- The words a trader agrees to, one row per version, never changed: a consent record shows the exact text.
-- views/partials/consent.ejs shows the newest version (test/data-rights/consent-text.test.ts compares them):
-- changing those words means a new row here in the same commit.
CREATE TABLE consent_texts (
  version INTEGER PRIMARY KEY CHECK (version > 0),
  text    TEXT NOT NULL CHECK (length(text) > 0)
) STRICT;

-- Version 1 is the only text the form has ever shown: views/partials/consent.ejs has carried these words,
-- unchanged, since consent was introduced (migrations/0004_onboarding.sql, the same commit). So every
-- consent recorded before this migration was given to version 1; that is a fact of the history, not a guess.
INSERT INTO consent_texts (version, text) VALUES (1,
  'Tôi đồng ý cho Đoàn Thanh niên lưu họ tên, số điện thoại, tên cơ sở và tài khoản ngân hàng của tôi để tạo, in và kiểm tra mã QR nhận tiền tại sạp. Không lưu số CCCD hay ảnh giấy tờ; tôi có thể yêu cầu xóa bất cứ lúc nào.');

CREATE TRIGGER consent_texts_no_update BEFORE UPDATE ON consent_texts
BEGIN
  SELECT RAISE(ABORT, 'consent_texts: a consent text is never changed; add a new version');
END;

CREATE TRIGGER consent_texts_no_delete BEFORE DELETE ON consent_texts
BEGIN
  SELECT RAISE(ABORT, 'consent_texts: a consent text is never deleted');
END;

-- Every consent a stall's trader gave, with the text version in force when it was recorded, and its
-- withdrawal. stalls.consent_at / consent_by keep their meaning, "the consent in force" (NULL: none, or
-- withdrawn), so every check that asks for consent before storing personal data keeps working, and a trader
-- who agrees again after withdrawing gets a new row here.
CREATE TABLE stall_consents (
  id               INTEGER PRIMARY KEY,
  stall_id         INTEGER NOT NULL REFERENCES stalls (id),
  version          INTEGER NOT NULL REFERENCES consent_texts (version),
  given_at         TEXT NOT NULL,
  -- The volunteer who recorded it (NULL for consents imported without one).
  given_by         INTEGER REFERENCES users (id),
  withdrawn_at     TEXT,
  withdrawn_by     INTEGER REFERENCES users (id),
  -- A code of src/vocabulary/data-rights.ts, never free text: this row outlives an erasure.
  withdrawn_reason TEXT CHECK (withdrawn_reason IS NULL OR withdrawn_reason IN
                     ('trader_request', 'stopped_trading', 'no_longer_wants_qr', 'other')),
  CHECK ((withdrawn_at IS NULL) = (withdrawn_reason IS NULL))
) STRICT;
CREATE INDEX stall_consents_stall ON stall_consents (stall_id, given_at);
-- At most one consent in force per stall.
CREATE UNIQUE INDEX stall_consents_one_open ON stall_consents (stall_id) WHERE withdrawn_at IS NULL;

-- The consents in force today: all to version 1 (see above).
INSERT INTO stall_consents (stall_id, version, given_at, given_by)
  SELECT id, 1, consent_at, consent_by FROM stalls WHERE consent_at IS NOT NULL ORDER BY id;

-- Whoever records a consent (the stalls repository, the onboarding, the demo seed, a fixture) records it on
-- the stall; the row here follows in the same statement, with the newest text: the one the form shows.
CREATE TRIGGER stalls_consent_insert AFTER INSERT ON stalls
WHEN NEW.consent_at IS NOT NULL
BEGIN
  INSERT INTO stall_consents (stall_id, version, given_at, given_by)
    VALUES (NEW.id, (SELECT max(version) FROM consent_texts), NEW.consent_at, NEW.consent_by);
END;

CREATE TRIGGER stalls_consent_given AFTER UPDATE OF consent_at ON stalls
WHEN OLD.consent_at IS NULL AND NEW.consent_at IS NOT NULL
BEGIN
  INSERT INTO stall_consents (stall_id, version, given_at, given_by)
    VALUES (NEW.id, (SELECT max(version) FROM consent_texts), NEW.consent_at, NEW.consent_by);
END;

-- A consent row is history: only its withdrawal is ever written, once; rows are never deleted.
CREATE TRIGGER stall_consents_fixed BEFORE UPDATE ON stall_consents
WHEN NEW.id IS NOT OLD.id OR NEW.stall_id IS NOT OLD.stall_id OR NEW.version IS NOT OLD.version
  OR NEW.given_at IS NOT OLD.given_at OR NEW.given_by IS NOT OLD.given_by
  OR (OLD.withdrawn_at IS NOT NULL AND (NEW.withdrawn_at IS NOT OLD.withdrawn_at
      OR NEW.withdrawn_by IS NOT OLD.withdrawn_by OR NEW.withdrawn_reason IS NOT OLD.withdrawn_reason))
BEGIN
  SELECT RAISE(ABORT, 'stall_consents: only a withdrawal may be written, once');
END;

CREATE TRIGGER stall_consents_no_delete BEFORE DELETE ON stall_consents
BEGIN
  SELECT RAISE(ABORT, 'stall_consents rows are never deleted');
END;

-- An erased stall: its owner name, phone, business name, account holder names and numbers and free-text
-- notes were removed (src/data-rights/). The reason is a code, never free text.
ALTER TABLE stalls ADD COLUMN erased_at TEXT;
ALTER TABLE stalls ADD COLUMN erased_by INTEGER REFERENCES users (id);
ALTER TABLE stalls ADD COLUMN erased_reason TEXT
  CHECK (erased_reason IS NULL OR erased_reason IN ('trader_request', 'stopped_trading', 'no_longer_wants_qr', 'other'));

-- An erased account. Its holder name and the name the bank app showed become the marker 'ĐÃ XÓA' (the
-- columns are NOT NULL with a length check, and a real holder name never has diacritics, so the marker
-- cannot be taken for a name and reads as what it is wherever it is printed); its number becomes
-- 'xoa:<id>' (a real number is digits only; the id keeps erased accounts from looking shared with each
-- other in the duplicate-account check; src/vocabulary/masking.ts shows it as "đã xóa"). BIN, kind, source,
-- times and people stay: they say which bank, not whose account.
-- Accounts retired because consent ended get retired_reason 'other': the list is a CHECK of
-- migrations/0013_account_retire_reason.sql, which SQLite cannot change without rebuilding the table that
-- visits and stickers reference; the consent row (withdrawn_reason) and the audit rows say why.
ALTER TABLE stall_accounts ADD COLUMN erased_at TEXT;

-- Replaces the guard of migrations/0008_append_only.sql: an account's id and BIN still never change, and its
-- number changes exactly once, to the marker, in the update that erases it. Erased accounts stay erased.
DROP TRIGGER stall_accounts_fixed_number;
CREATE TRIGGER stall_accounts_fixed_number BEFORE UPDATE ON stall_accounts
WHEN NEW.id IS NOT OLD.id OR NEW.bin IS NOT OLD.bin
  OR (NEW.account_number IS NOT OLD.account_number
      AND NOT (OLD.erased_at IS NULL AND NEW.erased_at IS NOT NULL AND NEW.account_number = 'xoa:' || OLD.id))
BEGIN
  SELECT RAISE(ABORT, 'stall_accounts: an account''s id, bin and account_number never change, except by its erasure');
END;

CREATE TRIGGER stall_accounts_stay_erased BEFORE UPDATE ON stall_accounts
WHEN OLD.erased_at IS NOT NULL AND (NEW.erased_at IS NOT OLD.erased_at OR NEW.holder_name IS NOT OLD.holder_name
  OR NEW.verified_name_seen IS NOT OLD.verified_name_seen OR NEW.account_number IS NOT OLD.account_number
  OR NEW.retired_at IS NULL)
BEGIN
  SELECT RAISE(ABORT, 'stall_accounts: an erased account stays erased and retired');
END;
