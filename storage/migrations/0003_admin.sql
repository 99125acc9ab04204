-- Invites, and sign-up events for statistics.

CREATE TABLE invites (
    id          INTEGER PRIMARY KEY,
    code_hash   TEXT NOT NULL UNIQUE,        -- sha256 of the code; the code itself is never stored
    role        TEXT NOT NULL CHECK (role IN ('police', 'contact')),
    area_id     INTEGER REFERENCES areas(id) ON DELETE CASCADE,
    created_by  INTEGER,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT                         -- who redeemed it is in roles, not here
);

-- Counts for the weekly summary without keeping who: one row per consent, /forget, join or
-- leave, with the area where there is one and no user reference at all.
CREATE TABLE signup_events (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    event       TEXT NOT NULL CHECK (event IN ('consent', 'forget', 'join', 'leave')),
    area_id     INTEGER REFERENCES areas(id) ON DELETE SET NULL
);
CREATE INDEX signup_events_at ON signup_events(at);

-- System messages (e.g. "your area was removed") are written in each recipient's language
-- from this catalogue key instead of a sender's text.
ALTER TABLE alerts ADD COLUMN text_key TEXT;
