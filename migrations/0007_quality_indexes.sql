-- Data-quality checks read from the index alone instead of scanning the tables on every dashboard.

-- Withdrawn stickers (a few percent of all): the partial index holds only them, with what the check reads.
CREATE INDEX stickers_withdrawn ON stickers (stall_id, status, status_changed_at, created_at)
  WHERE status IN ('revoked', 'replaced');

-- "Has a name-checked account as of a date", per stall, without reading the account rows.
CREATE INDEX stall_accounts_verified ON stall_accounts (stall_id, verified_at, retired_at)
  WHERE verified_at IS NOT NULL;
