-- Why an account was retired: retiring revokes the trader's sticker, so it is never done without a reason
-- (src/vocabulary/retire-reasons.ts). Accounts retired before this migration keep NULL: their reason was
-- never asked.
ALTER TABLE stall_accounts ADD COLUMN retired_reason TEXT
  CHECK (retired_reason IS NULL OR retired_reason IN ('new_account', 'account_closed', 'wrong_account', 'suspected_fraud', 'other'));
