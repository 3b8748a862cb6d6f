-- Who works which site: a team lead (or an admin) assigns volunteers — and team leads who work stalls — to the
-- sites of their reach; each assigned user's home lists their sites and the work waiting there. A row is the
-- assignment as it stands; it is deleted when the user is taken off the site. The history (who assigned or
-- unassigned whom, when) is the audit trail's rows `site.assign` and `site.unassign`, written in the same
-- transaction.
CREATE TABLE site_assignments (
  site_id     INTEGER NOT NULL REFERENCES sites (id),
  user_id     INTEGER NOT NULL REFERENCES users (id),
  assigned_by INTEGER REFERENCES users (id),
  assigned_at TEXT NOT NULL,
  PRIMARY KEY (site_id, user_id)
) STRICT, WITHOUT ROWID;
-- A user's sites (their home, the onboarding picker).
CREATE INDEX site_assignments_user ON site_assignments (user_id, site_id);
-- The last follow-up of a stall.
CREATE INDEX visits_follow_up ON visits (stall_id, visited_at) WHERE action = 'follow_up';
