-- Reach: the part of the country a user works in or watches. A user's reach is either the whole country
-- (users.whole_country = 1) or the union of the rows of user_reach, each one province, one commune or one
-- site. A user with neither sees nothing until given a reach. The services enforce it on every read and
-- write (src/vocabulary/reach.ts holds the rules).

ALTER TABLE users ADD COLUMN whole_country INTEGER NOT NULL DEFAULT 0 CHECK (whole_country IN (0, 1));
-- Set by an admin's or team lead's password reset: the one-time password must be changed at the next login.
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0 CHECK (must_change_password IN (0, 1));

CREATE TABLE user_reach (
  id            INTEGER PRIMARY KEY,
  user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  province_code TEXT REFERENCES provinces (code),
  commune_code  TEXT REFERENCES communes (code),
  site_id       INTEGER REFERENCES sites (id),
  -- Exactly one unit per row.
  CHECK (
    (province_code IS NOT NULL AND commune_code IS NULL AND site_id IS NULL) OR
    (province_code IS NULL AND commune_code IS NOT NULL AND site_id IS NULL) OR
    (province_code IS NULL AND commune_code IS NULL AND site_id IS NOT NULL)
  )
) STRICT;
CREATE INDEX user_reach_user ON user_reach (user_id);

-- Existing admins and leaders keep seeing everything; other existing users see nothing until given a reach.
UPDATE users SET whole_country = 1 WHERE role IN ('admin', 'leader');
