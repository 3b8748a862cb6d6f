-- The audit trail: who did what, when, to which record — the processing log the personal-data law asks
-- for (Decree 356/2025). Written by src/audit/audit-service.ts in the same transaction as the change it
-- records, so a rolled-back change leaves no row and a committed one always has its row.
--
-- It never holds personal data as values: `changes` is JSON of {field: {before, after}} for plain fields,
-- {field: {changed: true}} for owner names, phones, holder names and free-text notes, and masked account
-- numbers (•••• 1234); so erasing a trader's data leaves nothing of it here. Append-only, enforced below.

CREATE TABLE audit_log (
  id           INTEGER PRIMARY KEY,
  at           TEXT NOT NULL,
  -- Who acted: a user, or NULL for the command line, the system, or a member of the public (/v).
  user_id      INTEGER REFERENCES users (id),
  -- 'stall.update', 'account.add', 'login.failure', 'export.table', … (src/audit/audit-actions.ts)
  action       TEXT NOT NULL CHECK (length(action) BETWEEN 3 AND 40),
  -- 'stall', 'site', 'account', 'sticker', 'campaign', 'user', 'login', 'export', …
  entity       TEXT NOT NULL CHECK (length(entity) BETWEEN 2 AND 30),
  entity_id    INTEGER,
  -- Where, for reach: a team lead reads the rows of the sites their reach covers. NULL: admins only.
  site_id      INTEGER REFERENCES sites (id),
  commune_code TEXT REFERENCES communes (code),
  changes      TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(changes)),
  -- The request's address (logins, public reports); '' for the command line.
  address      TEXT NOT NULL DEFAULT '' CHECK (length(address) <= 64)
) STRICT;
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id, at);
CREATE INDEX audit_log_user ON audit_log (user_id, at);
CREATE INDEX audit_log_site ON audit_log (site_id, at);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only: rows are never changed');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only: rows are never deleted');
END;
