-- Login throttling, kept in the database so that every worker process and instance sees the same counts
-- (src/auth/login-throttle-service.ts holds the rules). Both tables are append-only: they are the record of
-- failed logins and locks that the audit trail reads, and the rules only ever count rows, never change them.
-- They hold no personal data beyond the username typed (folded to lower case, at most 64 characters) and
-- the address the request came from.

CREATE TABLE login_failures (
  id        INTEGER PRIMARY KEY,
  username  TEXT NOT NULL CHECK (length(username) BETWEEN 1 AND 64),
  address   TEXT NOT NULL CHECK (length(address) <= 64),
  failed_at TEXT NOT NULL
) STRICT;

-- The three counts: one username from one address, one username from anywhere, one address for any username.
CREATE INDEX login_failures_by_username ON login_failures (username, failed_at);
CREATE INDEX login_failures_by_address ON login_failures (address, failed_at);

-- A lock and its unlock are two rows: the account is locked while its newest row says 'locked'; failures
-- before an 'unlocked' row no longer count.
CREATE TABLE login_locks (
  id          INTEGER PRIMARY KEY,
  username    TEXT NOT NULL CHECK (length(username) BETWEEN 1 AND 64),
  event       TEXT NOT NULL CHECK (event IN ('locked', 'unlocked')),
  happened_at TEXT NOT NULL,
  -- Who unlocked: a user, or NULL for the command line (and for the locks, which the rules make).
  by_user     INTEGER REFERENCES users (id)
) STRICT;

CREATE INDEX login_locks_by_username ON login_locks (username, id);

CREATE TRIGGER login_failures_no_update BEFORE UPDATE ON login_failures
BEGIN
  SELECT RAISE(ABORT, 'login_failures is append-only');
END;

CREATE TRIGGER login_failures_no_delete BEFORE DELETE ON login_failures
BEGIN
  SELECT RAISE(ABORT, 'login_failures is append-only');
END;

CREATE TRIGGER login_locks_no_update BEFORE UPDATE ON login_locks
BEGIN
  SELECT RAISE(ABORT, 'login_locks is append-only');
END;

CREATE TRIGGER login_locks_no_delete BEFORE DELETE ON login_locks
BEGIN
  SELECT RAISE(ABORT, 'login_locks is append-only');
END;
