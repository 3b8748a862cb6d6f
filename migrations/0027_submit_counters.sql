-- Two small tables that keep the onboarding pages from growing with the site or with the volunteer (issue 16).
-- Both are derived, kept by the triggers below in the transaction of each write, so every writer (the app, the
-- demo seed, imports, the command line, the benches' generators) keeps them right and every worker of a cluster
-- reads the same. Pure SQL: PostgreSQL (issue 18) keeps them with trigger functions the same way.
-- No code moves a stall to another site (see 0008); a feature that does must move these rows too.

-- The sites a user worked on and when last, one row per (user, site): the site picker's "recent sites" are the
-- first rows of the (user_id, last_visit_at) index, not a GROUP BY over every visit the user ever made.
CREATE TABLE user_recent_sites (
  user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  site_id       INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  last_visit_at TEXT NOT NULL,
  PRIMARY KEY (user_id, site_id)
) STRICT, WITHOUT ROWID;
CREATE INDEX user_recent_sites_latest ON user_recent_sites (user_id, last_visit_at);
CREATE INDEX user_recent_sites_site ON user_recent_sites (site_id);

INSERT INTO user_recent_sites (user_id, site_id, last_visit_at)
SELECT v.user_id, st.site_id, max(v.visited_at)
FROM visits v JOIN stalls st ON st.id = v.stall_id
WHERE v.user_id IS NOT NULL
GROUP BY v.user_id, st.site_id;

-- A visit dated earlier than the newest one (sent from the phone's offline queue) does not move it back.
CREATE TRIGGER visits_recent_site AFTER INSERT ON visits
WHEN NEW.user_id IS NOT NULL
BEGIN
  INSERT INTO user_recent_sites (user_id, site_id, last_visit_at)
  SELECT NEW.user_id, site_id, NEW.visited_at FROM stalls WHERE id = NEW.stall_id
  ON CONFLICT (user_id, site_id) DO UPDATE SET last_visit_at = max(last_visit_at, excluded.last_visit_at);
END;

-- The active (not retired) accounts of each site by bank: the onboarding form's bank picker puts the site's
-- most used banks first from these few rows instead of counting the accounts of every stall of the site.
CREATE TABLE site_bank_usage (
  site_id  INTEGER NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  bin      TEXT NOT NULL,
  accounts INTEGER NOT NULL CHECK (accounts >= 0),
  PRIMARY KEY (site_id, bin)
) STRICT, WITHOUT ROWID;

INSERT INTO site_bank_usage (site_id, bin, accounts)
SELECT st.site_id, a.bin, count(*)
FROM stall_accounts a JOIN stalls st ON st.id = a.stall_id
WHERE a.retired_at IS NULL
GROUP BY st.site_id, a.bin;

CREATE TRIGGER stall_accounts_bank_usage_insert AFTER INSERT ON stall_accounts
WHEN NEW.retired_at IS NULL
BEGIN
  INSERT INTO site_bank_usage (site_id, bin, accounts)
  SELECT site_id, NEW.bin, 1 FROM stalls WHERE id = NEW.stall_id
  ON CONFLICT (site_id, bin) DO UPDATE SET accounts = accounts + 1;
END;

-- Retiring (or, should it ever happen, un-retiring or moving) an account: out of the old count, into the new.
CREATE TRIGGER stall_accounts_bank_usage_update AFTER UPDATE OF stall_id, retired_at ON stall_accounts
BEGIN
  UPDATE site_bank_usage SET accounts = accounts - 1
  WHERE OLD.retired_at IS NULL AND bin = OLD.bin AND site_id = (SELECT site_id FROM stalls WHERE id = OLD.stall_id);
  INSERT INTO site_bank_usage (site_id, bin, accounts)
  SELECT site_id, NEW.bin, 1 FROM stalls WHERE id = NEW.stall_id AND NEW.retired_at IS NULL
  ON CONFLICT (site_id, bin) DO UPDATE SET accounts = accounts + 1;
END;

-- Accounts are deleted only when the demo programme is removed (0021), before their stalls.
CREATE TRIGGER stall_accounts_bank_usage_delete AFTER DELETE ON stall_accounts
WHEN OLD.retired_at IS NULL
BEGIN
  UPDATE site_bank_usage SET accounts = accounts - 1
  WHERE bin = OLD.bin AND site_id = (SELECT site_id FROM stalls WHERE id = OLD.stall_id);
END;
