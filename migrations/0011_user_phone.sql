-- A user's phone number, so that a team lead can reach the volunteers of a list created in bulk
-- (/admin/users/import reads it from the volunteers' list). Optional: most accounts have none, and none
-- existing ones get one. Personal data, shown only to those who manage the user (admins; team leads for the
-- volunteers inside their reach). Stored as 10 digits starting with 0, as src/text/phone.ts normalizes it.
ALTER TABLE users ADD COLUMN phone TEXT CHECK (phone IS NULL OR phone GLOB '0[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]');
