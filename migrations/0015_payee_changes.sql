-- Money routes change with two people (issue 12): once a stall's sticker has been printed or installed, adding a
-- primary account, changing the primary or retiring it is a request here until a team lead or admin who did not
-- ask approves it (src/accounts/accounts-service.ts). Until then nothing about the stall's accounts, stickers
-- or status changes; the account of an add_primary request is saved as a non-primary account meanwhile.

CREATE TABLE payee_changes (
  id              INTEGER PRIMARY KEY,
  stall_id        INTEGER NOT NULL REFERENCES stalls (id),
  kind            TEXT NOT NULL CHECK (kind IN ('add_primary', 'set_primary', 'retire_primary')),
  -- The account concerned: the one to become primary (add_primary, set_primary) or to be retired.
  account_id      INTEGER NOT NULL REFERENCES stall_accounts (id),
  -- The primary account when the request was made (NULL: the stall had none), to show old → new.
  from_account_id INTEGER REFERENCES stall_accounts (id),
  -- Free text the requester typed: personal data, never copied into the audit trail. The service requires it;
  -- the table allows '' so an erasure can clear it.
  reason          TEXT NOT NULL CHECK (length(reason) <= 500),
  -- Only for retire_primary: why the account stops (src/vocabulary/retire-reasons.ts).
  retire_reason   TEXT CHECK (retire_reason IS NULL OR retire_reason IN
                    ('new_account', 'account_closed', 'wrong_account', 'suspected_fraud', 'other')),
  requested_by    INTEGER NOT NULL REFERENCES users (id),
  requested_at    TEXT NOT NULL,
  status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'refused', 'cancelled')),
  decided_by      INTEGER REFERENCES users (id),
  decided_at      TEXT,
  decision_note   TEXT NOT NULL DEFAULT '' CHECK (length(decision_note) <= 500),
  CHECK ((kind = 'retire_primary') = (retire_reason IS NOT NULL)),
  CHECK ((status = 'pending') = (decided_at IS NULL)),
  CHECK (status = 'pending' OR decided_by IS NOT NULL),
  -- Two people: whoever asked never approves or refuses (withdrawing one's own request is allowed).
  CHECK (status IN ('pending', 'cancelled') OR decided_by <> requested_by)
) STRICT;
-- At most one open request per stall: a second one waits until the first is decided or withdrawn.
CREATE UNIQUE INDEX payee_changes_one_pending ON payee_changes (stall_id) WHERE status = 'pending';
CREATE INDEX payee_changes_status ON payee_changes (status, requested_at);
CREATE INDEX payee_changes_requested ON payee_changes (requested_at);
