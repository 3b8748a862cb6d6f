-- The demo programme's mark (issue 13): a database holding the invented traders and users of src/demo/
-- says so on every page ("Dữ liệu mẫu"). Databases seeded before this migration are recognised by the
-- demo's first team lead, whom no real registry has.
CREATE TABLE demo_programme (
  id        INTEGER PRIMARY KEY CHECK (id = 1),
  seeded_at TEXT NOT NULL
) STRICT;
INSERT INTO demo_programme (id, seeded_at)
  SELECT 1, created_at FROM users WHERE username = 'totruong.hoalu' LIMIT 1;
