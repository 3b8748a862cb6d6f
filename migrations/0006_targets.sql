-- Targets over time: a deadline per site, and campaigns that set one target and deadline for several sites.

ALTER TABLE sites ADD COLUMN target_deadline TEXT
  CHECK (target_deadline IS NULL OR target_deadline GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]');

CREATE TABLE campaigns (
  id             INTEGER PRIMARY KEY,
  name           TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  target_percent INTEGER NOT NULL CHECK (target_percent BETWEEN 1 AND 100),
  starts_on      TEXT NOT NULL CHECK (starts_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  deadline       TEXT NOT NULL CHECK (deadline GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  created_at     TEXT NOT NULL,
  created_by     INTEGER REFERENCES users (id),
  CHECK (starts_on <= deadline)
) STRICT;

-- A site belongs to at most one campaign at a time; the campaign's target and deadline then apply to it.
CREATE TABLE campaign_sites (
  campaign_id INTEGER NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  site_id     INTEGER NOT NULL UNIQUE REFERENCES sites (id),
  PRIMARY KEY (campaign_id, site_id)
) STRICT;

-- Every export of registry data (personal data law, 1/1/2026): who took what, when, how many rows.
CREATE TABLE export_log (
  id          INTEGER PRIMARY KEY,
  exported_at TEXT NOT NULL,
  exported_by INTEGER REFERENCES users (id),
  what        TEXT NOT NULL,
  format      TEXT NOT NULL CHECK (format IN ('csv', 'xlsx', 'pdf', 'json')),
  scope       TEXT NOT NULL,
  row_count   INTEGER NOT NULL
) STRICT;
