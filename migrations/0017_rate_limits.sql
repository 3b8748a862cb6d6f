-- Rate limits kept in the database (issue 13): a limit held in one process's memory does not hold once the
-- app runs as several processes, or after a restart. One row per limited key (a limiter's prefix and, say, an
-- address): how many hits in its current window and when that window ends. Expired rows are swept now and
-- then (src/rate-limits/rate-limits-repo.ts); none is personal beyond the address it counts.
CREATE TABLE rate_limit_hits (
  key       TEXT PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 300),
  hits      INTEGER NOT NULL CHECK (hits >= 0),
  resets_at TEXT NOT NULL
) STRICT;
CREATE INDEX rate_limit_hits_resets ON rate_limit_hits (resets_at);
