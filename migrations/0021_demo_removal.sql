-- `phoqr demo remove` (issue 13) deletes the invented demo programme from a registry that is going live. Its
-- rows sit in append-only tables whose triggers refuse every DELETE; while this one-row table holds its row —
-- only inside the removal's own transaction (src/demo/demo-repo.ts removeDemo), which empties it again before
-- committing — those triggers let rows go. Nothing else writes it, and outside that transaction it is empty,
-- so the tables stay append-only for everything else.
CREATE TABLE demo_removal (
  id INTEGER PRIMARY KEY CHECK (id = 1)
) STRICT;

DROP TRIGGER audit_log_no_delete;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
WHEN NOT EXISTS (SELECT 1 FROM demo_removal)
BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only: rows are never deleted');
END;

DROP TRIGGER campaign_membership_history_no_delete;
CREATE TRIGGER campaign_membership_history_no_delete BEFORE DELETE ON campaign_membership_history
WHEN NOT EXISTS (SELECT 1 FROM demo_removal)
BEGIN
  SELECT RAISE(ABORT, 'campaign_membership_history is append-only: rows are never deleted');
END;

DROP TRIGGER campaign_target_history_no_delete;
CREATE TRIGGER campaign_target_history_no_delete BEFORE DELETE ON campaign_target_history
WHEN NOT EXISTS (SELECT 1 FROM demo_removal)
BEGIN
  SELECT RAISE(ABORT, 'campaign_target_history is append-only: rows are never deleted');
END;

DROP TRIGGER login_locks_no_delete;
CREATE TRIGGER login_locks_no_delete BEFORE DELETE ON login_locks
WHEN NOT EXISTS (SELECT 1 FROM demo_removal)
BEGIN
  SELECT RAISE(ABORT, 'login_locks is append-only');
END;

DROP TRIGGER redactions_no_delete;
CREATE TRIGGER redactions_no_delete BEFORE DELETE ON redactions
WHEN NOT EXISTS (SELECT 1 FROM demo_removal)
BEGIN
  SELECT RAISE(ABORT, 'redactions is append-only');
END;

DROP TRIGGER site_target_history_no_delete;
CREATE TRIGGER site_target_history_no_delete BEFORE DELETE ON site_target_history
WHEN NOT EXISTS (SELECT 1 FROM demo_removal)
BEGIN
  SELECT RAISE(ABORT, 'site_target_history is append-only: rows are never deleted');
END;

DROP TRIGGER stall_accounts_no_delete;
CREATE TRIGGER stall_accounts_no_delete BEFORE DELETE ON stall_accounts
WHEN NOT EXISTS (SELECT 1 FROM demo_removal)
BEGIN
  SELECT RAISE(ABORT, 'stall_accounts rows are never deleted: retire the account instead');
END;

DROP TRIGGER stall_consents_no_delete;
CREATE TRIGGER stall_consents_no_delete BEFORE DELETE ON stall_consents
WHEN NOT EXISTS (SELECT 1 FROM demo_removal)
BEGIN
  SELECT RAISE(ABORT, 'stall_consents rows are never deleted');
END;

DROP TRIGGER stall_status_history_no_delete;
CREATE TRIGGER stall_status_history_no_delete BEFORE DELETE ON stall_status_history
WHEN NOT EXISTS (SELECT 1 FROM demo_removal)
BEGIN
  SELECT RAISE(ABORT, 'stall_status_history is append-only: rows are never deleted');
END;

DROP TRIGGER visits_no_delete;
CREATE TRIGGER visits_no_delete BEFORE DELETE ON visits
WHEN NOT EXISTS (SELECT 1 FROM demo_removal)
BEGIN
  SELECT RAISE(ABORT, 'visits is append-only: rows are never deleted');
END;
