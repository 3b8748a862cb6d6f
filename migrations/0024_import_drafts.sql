-- A file uploaded for import (issue 15), kept between its preview and its confirmation: the confirmation acts
-- on exactly the rows that were previewed, read once, not on a second upload. A draft belongs to the user who
-- uploaded it and to one site; it is read back only by that user, and removed once confirmed or after a day.
-- table_json is the parsed table (header, rows of text cells, numeric cells); it may hold traders' personal
-- data from the file until the draft is removed, which is why it lives no longer than the import needs.
CREATE TABLE import_drafts (
  token       TEXT PRIMARY KEY CHECK (length(token) BETWEEN 20 AND 64),
  user_id     INTEGER NOT NULL REFERENCES users (id),
  site_id     INTEGER NOT NULL REFERENCES sites (id),
  file_name   TEXT NOT NULL CHECK (length(file_name) <= 255),
  table_json  TEXT NOT NULL,
  created_at  TEXT NOT NULL
) STRICT;

CREATE INDEX import_drafts_created ON import_drafts (created_at);
