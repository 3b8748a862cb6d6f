-- The duplicate-label check (issue 16) on a stored key: a stall's label folded as src/text/fold.ts folds it
-- (no diacritics, đ/Đ → d, lower case, no invisible characters, single spaces), so "SẠP DUP 5", "sap dup 5" and
-- "Sạp\u200B dup 5" are one label, found through the (site_id, label_folded) index instead of folding every
-- stall of the site per submit. The app writes it with every insert and label change (stalls repo, demo seed).
--
-- Existing rows are filled here by fold(), which is foldForSearch itself: openDatabase (src/db/database.ts)
-- registers it on every connection, and the migration runner only runs on such connections (bootstrap, test
-- helpers, benches). Filled in this migration's own transaction, so no row is ever left without its key.
-- (PostgreSQL, issue 18, will fill it from the app the same way: the query never calls fold().)
ALTER TABLE stalls ADD COLUMN label_folded TEXT NOT NULL DEFAULT '';
UPDATE stalls SET label_folded = fold(label);
CREATE INDEX stalls_site_label_folded ON stalls (site_id, label_folded);
