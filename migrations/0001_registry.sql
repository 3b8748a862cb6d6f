-- The registry: administrative units, users and sessions, sites, stalls and their status history.
-- Timestamps are ISO-8601 UTC text ('2026-11-22T05:00:00.000Z'); calendar dates are 'YYYY-MM-DD'.
-- *_folded columns hold foldForSearch() of the name (no accents, lower case) for accent-insensitive search.

CREATE TABLE provinces (
  code        TEXT PRIMARY KEY CHECK (length(code) = 2),
  name        TEXT NOT NULL,
  unit_type   TEXT NOT NULL CHECK (unit_type IN ('tinh', 'thanh_pho')),
  name_folded TEXT NOT NULL
) STRICT;

CREATE TABLE communes (
  code          TEXT PRIMARY KEY CHECK (length(code) = 5),
  province_code TEXT NOT NULL REFERENCES provinces (code),
  name          TEXT NOT NULL,
  unit_type     TEXT NOT NULL CHECK (unit_type IN ('xa', 'phuong', 'dac_khu')),
  name_folded   TEXT NOT NULL
) STRICT;
CREATE INDEX communes_province ON communes (province_code);

-- Old (pre-1/7/2025) communes and the new commune that holds them, to import lists that use old names.
-- Some source rows carry no old code, so the old code is not a key.
CREATE TABLE commune_mappings (
  id                INTEGER PRIMARY KEY,
  old_code          TEXT,
  old_name          TEXT NOT NULL,
  old_district_name TEXT NOT NULL,
  old_province_name TEXT NOT NULL,
  new_commune_code  TEXT NOT NULL REFERENCES communes (code),
  old_name_folded   TEXT NOT NULL
) STRICT;
CREATE INDEX commune_mappings_old_code ON commune_mappings (old_code);
CREATE INDEX commune_mappings_new_code ON commune_mappings (new_commune_code);

CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  username      TEXT NOT NULL UNIQUE COLLATE NOCASE,
  display_name  TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('admin', 'leader', 'team_lead', 'volunteer', 'viewer')),
  password_hash TEXT NOT NULL,
  active        INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  created_at    TEXT NOT NULL
) STRICT;

-- The cookie carries a random token; only its SHA-256 is stored, so a copy of the database opens no session.
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id    INTEGER REFERENCES users (id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
) STRICT;
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE sites (
  id             INTEGER PRIMARY KEY,
  kind           TEXT NOT NULL CHECK (kind IN ('street', 'market', 'trade_centre')),
  name           TEXT NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  name_folded    TEXT NOT NULL,
  commune_code   TEXT NOT NULL REFERENCES communes (code),
  address        TEXT NOT NULL DEFAULT '',
  target_percent INTEGER NOT NULL DEFAULT 70 CHECK (target_percent BETWEEN 1 AND 100),
  launched_on    TEXT CHECK (launched_on IS NULL OR launched_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  note           TEXT NOT NULL DEFAULT '',
  created_at     TEXT NOT NULL,
  created_by     INTEGER REFERENCES users (id),
  updated_at     TEXT NOT NULL,
  updated_by     INTEGER REFERENCES users (id)
) STRICT;
CREATE INDEX sites_commune ON sites (commune_code);

CREATE TABLE stalls (
  id             INTEGER PRIMARY KEY,
  site_id        INTEGER NOT NULL REFERENCES sites (id),
  label          TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 40),
  business_name  TEXT NOT NULL DEFAULT '',
  owner_name     TEXT NOT NULL DEFAULT '',
  phone          TEXT,
  goods_category TEXT NOT NULL,
  status         TEXT NOT NULL CHECK (status IN ('surveyed', 'has_account', 'qr_verified', 'installed', 'refused', 'closed')),
  -- Filled while the status is 'refused'; the history keeps the reason of every change.
  refusal_reason TEXT CHECK (refusal_reason IN ('prefers_cash', 'no_smartphone', 'fears_fraud', 'no_bank_account', 'other')),
  search_folded  TEXT NOT NULL,
  created_at     TEXT NOT NULL,
  created_by     INTEGER REFERENCES users (id),
  updated_at     TEXT NOT NULL,
  updated_by     INTEGER REFERENCES users (id),
  CHECK ((status = 'refused') = (refusal_reason IS NOT NULL))
) STRICT;
-- Adoption counts group stalls by site and status; (site_id, status) serves them, site_id alone is slower.
CREATE INDEX stalls_site_status ON stalls (site_id, status);
CREATE INDEX stalls_site_label ON stalls (site_id, label);

-- Every status change, so coverage at any past date can be recomputed.
CREATE TABLE stall_status_history (
  id          INTEGER PRIMARY KEY,
  stall_id    INTEGER NOT NULL REFERENCES stalls (id),
  from_status TEXT CHECK (from_status IN ('surveyed', 'has_account', 'qr_verified', 'installed', 'refused', 'closed')),
  to_status   TEXT NOT NULL CHECK (to_status IN ('surveyed', 'has_account', 'qr_verified', 'installed', 'refused', 'closed')),
  changed_at  TEXT NOT NULL,
  changed_by  INTEGER REFERENCES users (id),
  reason      TEXT,
  note        TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX stall_status_history_stall ON stall_status_history (stall_id, changed_at);
CREATE INDEX stall_status_history_changed ON stall_status_history (changed_at);
