-- A user's search key (issue 13): username and display name folded (no diacritics, lower case, single spaces),
-- as src/text/fold.ts folds them, so the user list is searched in SQL instead of folding every user per query.
-- SQL cannot fold Vietnamese, so existing rows start empty; the list also reads rows with an empty key and folds
-- those itself, and the app fills them at start (users service: fillSearchKeys).
ALTER TABLE users ADD COLUMN search_folded TEXT NOT NULL DEFAULT '';
