-- Which stalls' bank accounts changed, in commit order: an account is inserted, name-checked, retired,
-- moved or deleted in place, unlike the append-only history and visits. Every app process keeps the name
-- checks in memory for the data-quality figures (adoption-snapshot.ts) and re-reads only the accounts of
-- the stalls logged here since it last looked. Only stall ids: no account number or name is copied.
CREATE TABLE stall_account_changes (
  id       INTEGER PRIMARY KEY,
  stall_id INTEGER NOT NULL
);

CREATE TRIGGER stall_account_changes_insert AFTER INSERT ON stall_accounts
BEGIN
  INSERT INTO stall_account_changes (stall_id) VALUES (NEW.stall_id);
END;

CREATE TRIGGER stall_account_changes_update
AFTER UPDATE OF stall_id, verified_at, retired_at ON stall_accounts
BEGIN
  INSERT INTO stall_account_changes (stall_id) VALUES (NEW.stall_id);
  INSERT INTO stall_account_changes (stall_id) SELECT OLD.stall_id WHERE OLD.stall_id IS NOT NEW.stall_id;
END;

CREATE TRIGGER stall_account_changes_delete AFTER DELETE ON stall_accounts
BEGIN
  INSERT INTO stall_account_changes (stall_id) VALUES (OLD.stall_id);
END;
