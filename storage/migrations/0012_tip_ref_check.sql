-- The check part of a tip reference: T-2026-000042-K7QF. The number stays sequential (staff
-- can still say "tip 42"); the four random characters make the full reference unguessable,
-- so that /tipstatus cannot be used to walk through other people's tips. `ref` keeps the
-- short form, which staff may type; only the full form works for residents.
-- The alphabet leaves out characters that look alike (0/O/D, 1/I/L, 2/Z, 5/S, 6/G, 8/B).
-- New tips get their check part from Python's `secrets`; tips that exist already get one
-- here from SQLite's random(), which is seeded from the operating system's randomness.
-- An empty check part (a row written without one) never matches a typed reference.
ALTER TABLE tips ADD COLUMN ref_check TEXT NOT NULL DEFAULT '';

UPDATE tips SET ref_check =
    substr('ACEFHJKMNPQRTUVWXY3479', (abs(random()) % 22) + 1, 1) ||
    substr('ACEFHJKMNPQRTUVWXY3479', (abs(random()) % 22) + 1, 1) ||
    substr('ACEFHJKMNPQRTUVWXY3479', (abs(random()) % 22) + 1, 1) ||
    substr('ACEFHJKMNPQRTUVWXY3479', (abs(random()) % 22) + 1, 1);
