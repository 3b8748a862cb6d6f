-- Admin-unit updates without a developer (issue 17): `phoqr admin-units update --from FILE --commit` applies a
-- patch (renames, type changes, merges, splits, new and removed units; README "Cập nhật đơn vị hành chính").
--
-- Codes stay keys, so a unit that a merge or removal ends is never deleted: stickers' serials (52-23575-000123,
-- UNIQUE per commune and sequence) and the append-only audit log keep pointing at its code. It is retired
-- instead, from the change's effective date: pickers, lists and the figures' units skip retired rows, and a
-- retired code is never given to a new unit.
ALTER TABLE provinces ADD COLUMN retired_on TEXT
  CHECK (retired_on IS NULL OR retired_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]');
ALTER TABLE communes ADD COLUMN retired_on TEXT
  CHECK (retired_on IS NULL OR retired_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]');

-- Every patch applied, by its id: the same patch twice is refused. `digest` is the SHA-256 of the file's
-- changes as read, so a later question "which version of the file was applied" has an answer.
CREATE TABLE admin_unit_patches (
  id           TEXT PRIMARY KEY CHECK (length(id) BETWEEN 3 AND 80),
  title        TEXT NOT NULL,
  digest       TEXT NOT NULL,
  change_count INTEGER NOT NULL CHECK (change_count >= 0),
  applied_at   TEXT NOT NULL,
  -- NULL: the command line without --as, or a migration.
  applied_by   INTEGER REFERENCES users (id),
  -- 'command' (phoqr admin-units update) or 'migration' (a change made by a migration before this table).
  applied_via  TEXT NOT NULL CHECK (applied_via IN ('command', 'migration'))
) STRICT;

-- A province's former names (a type change "Đồng Nai" → "Thành phố Đồng Nai", a rename, a province merged
-- into it), so imports and searches that use the old name still find it. Communes keep theirs in
-- commune_mappings (old_code, old_name → new_commune_code), which the commune picker shows as "trước đây".
CREATE TABLE province_former_names (
  id              INTEGER PRIMARY KEY,
  province_code   TEXT NOT NULL REFERENCES provinces (code),
  -- The code the name was under: the province's own, or the code of a province merged into it.
  old_code        TEXT NOT NULL,
  old_name        TEXT NOT NULL,
  old_name_folded TEXT NOT NULL,
  resolution      TEXT NOT NULL,
  effective_on    TEXT CHECK (effective_on IS NULL OR effective_on GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
  patch_id        TEXT NOT NULL REFERENCES admin_unit_patches (id)
) STRICT;
CREATE INDEX province_former_names_province ON province_former_names (province_code);

-- Migration 0003 already made the two 2026 changes that assets/admin-unit-patches/2026-thanh-pho-dong-nai-bac-ninh.json
-- describes: recorded as applied, so the command refuses to apply them a second time, and the old names kept.
INSERT INTO admin_unit_patches (id, title, digest, change_count, applied_at, applied_by, applied_via)
VALUES ('2026-thanh-pho-dong-nai-bac-ninh', 'Đồng Nai và Bắc Ninh trở thành thành phố trực thuộc trung ương (2026)',
        'migration 0003', 2, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), NULL, 'migration');
INSERT INTO province_former_names (province_code, old_code, old_name, old_name_folded, resolution, effective_on, patch_id)
SELECT code, code, old_name, old_folded, 'Nghị quyết của Quốc hội thành lập thành phố trực thuộc trung ương (số hiệu chưa xác minh)', NULL,
       '2026-thanh-pho-dong-nai-bac-ninh'
  FROM (SELECT '75' AS code, 'Đồng Nai' AS old_name, 'dong nai' AS old_folded
        UNION ALL SELECT '24', 'Bắc Ninh', 'bac ninh')
 WHERE code IN (SELECT code FROM provinces);
