-- Targets in time: what target, deadline and campaign were in force on which day, so figures as of a past
-- date are computed against what was in force then (issue 12). Before this, changing a site's target from
-- 70 to 40 rewrote the figures of every past week.
--
-- Three append-only histories, each row "from this day on": a site's own target and deadline, a campaign's
-- target, start and deadline, and a site's campaign membership (campaign_id NULL: in no campaign). The
-- current columns (sites.target_percent, campaigns.*, campaign_sites) stay what the forms edit and what
-- "today" reads; the services append a row here in the same transaction as every change to them.
--
-- What is in force on day D (a 'YYYY-MM-DD' Vietnam calendar day, from the app's clock):
-- - the row with the latest effective_on ≤ D, and among rows of that day the last written (highest id):
--   several changes on one day leave the last one in force for that whole day and after;
-- - before an entity's first day, what was in force on its first day: the values a site or campaign started
--   with also stand for any earlier date (stalls surveyed before the site was registered keep being
--   measured against them);
-- - an entity with no row at all (inserted outside the services, e.g. by a seed script): its current
--   columns, on every day. A service changing such an entity first writes its current values as its
--   starting row (from its earliest known day, at the latest the day before the change), so the change
--   does not reach back.
--
-- Backfill: every existing site, campaign and membership gets one row with its current values. Its
-- effective_on is the earliest day known for it — a site's launch date or its registration day (Vietnam
-- date of created_at), whichever is earlier; a campaign's start or its creation day, whichever is earlier;
-- a membership the site's own day — but by the first-day rule above it stands for every earlier day too.
-- So this migration changes no figure: nothing was recorded about earlier values, and the honest reading
-- of "no history" is "these values all along"; changes made from now on step from their day.

CREATE TABLE site_target_history (
  id              INTEGER PRIMARY KEY,
  site_id         INTEGER NOT NULL REFERENCES sites (id),
  effective_on    TEXT NOT NULL CHECK (effective_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  target_percent  INTEGER NOT NULL CHECK (target_percent BETWEEN 1 AND 100),
  target_deadline TEXT CHECK (target_deadline IS NULL OR
                              target_deadline GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  changed_at      TEXT NOT NULL,
  changed_by      INTEGER REFERENCES users (id)
) STRICT;
CREATE INDEX site_target_history_site ON site_target_history (site_id, effective_on, id);

CREATE TABLE campaign_target_history (
  id             INTEGER PRIMARY KEY,
  campaign_id    INTEGER NOT NULL REFERENCES campaigns (id),
  effective_on   TEXT NOT NULL CHECK (effective_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  target_percent INTEGER NOT NULL CHECK (target_percent BETWEEN 1 AND 100),
  starts_on      TEXT NOT NULL CHECK (starts_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  deadline       TEXT NOT NULL CHECK (deadline GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  changed_at     TEXT NOT NULL,
  changed_by     INTEGER REFERENCES users (id),
  CHECK (starts_on <= deadline)
) STRICT;
CREATE INDEX campaign_target_history_campaign ON campaign_target_history (campaign_id, effective_on, id);

CREATE TABLE campaign_membership_history (
  id           INTEGER PRIMARY KEY,
  site_id      INTEGER NOT NULL REFERENCES sites (id),
  -- The campaign the site is in from effective_on on; NULL: in none (it left, or never joined).
  campaign_id  INTEGER REFERENCES campaigns (id),
  effective_on TEXT NOT NULL CHECK (effective_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  changed_at   TEXT NOT NULL,
  changed_by   INTEGER REFERENCES users (id)
) STRICT;
CREATE INDEX campaign_membership_history_site ON campaign_membership_history (site_id, effective_on, id);

INSERT INTO site_target_history (site_id, effective_on, target_percent, target_deadline, changed_at, changed_by)
SELECT id,
       CASE WHEN launched_on IS NOT NULL AND launched_on < date(created_at, '+7 hours')
            THEN launched_on ELSE date(created_at, '+7 hours') END,
       target_percent, target_deadline, created_at, created_by
  FROM sites ORDER BY id;

INSERT INTO campaign_target_history (campaign_id, effective_on, target_percent, starts_on, deadline, changed_at,
                                     changed_by)
SELECT id, min(starts_on, date(created_at, '+7 hours')), target_percent, starts_on, deadline, created_at, created_by
  FROM campaigns ORDER BY id;

INSERT INTO campaign_membership_history (site_id, campaign_id, effective_on, changed_at, changed_by)
SELECT s.id, cs.campaign_id,
       CASE WHEN s.launched_on IS NOT NULL AND s.launched_on < date(s.created_at, '+7 hours')
            THEN s.launched_on ELSE date(s.created_at, '+7 hours') END,
       s.created_at, s.created_by
  FROM sites s LEFT JOIN campaign_sites cs ON cs.site_id = s.id ORDER BY s.id;

CREATE TRIGGER site_target_history_no_update BEFORE UPDATE ON site_target_history
BEGIN
  SELECT RAISE(ABORT, 'site_target_history is append-only: rows are never changed');
END;
CREATE TRIGGER site_target_history_no_delete BEFORE DELETE ON site_target_history
BEGIN
  SELECT RAISE(ABORT, 'site_target_history is append-only: rows are never deleted');
END;
CREATE TRIGGER campaign_target_history_no_update BEFORE UPDATE ON campaign_target_history
BEGIN
  SELECT RAISE(ABORT, 'campaign_target_history is append-only: rows are never changed');
END;
CREATE TRIGGER campaign_target_history_no_delete BEFORE DELETE ON campaign_target_history
BEGIN
  SELECT RAISE(ABORT, 'campaign_target_history is append-only: rows are never deleted');
END;
CREATE TRIGGER campaign_membership_history_no_update BEFORE UPDATE ON campaign_membership_history
BEGIN
  SELECT RAISE(ABORT, 'campaign_membership_history is append-only: rows are never changed');
END;
CREATE TRIGGER campaign_membership_history_no_delete BEFORE DELETE ON campaign_membership_history
BEGIN
  SELECT RAISE(ABORT, 'campaign_membership_history is append-only: rows are never deleted');
END;
