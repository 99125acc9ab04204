-- Incident tips from residents, their status history and attachments.
-- An anonymous tip has reporter_id NULL and no other trace of who sent it.

CREATE TABLE tips (
    id           INTEGER PRIMARY KEY,
    ref          TEXT NOT NULL UNIQUE,       -- T-2026-000042: year and a sequence per year
    year         INTEGER NOT NULL,
    seq          INTEGER NOT NULL,
    category     TEXT NOT NULL CHECK (category IN ('drugs', 'burglary', 'theft', 'traffic',
                     'vandalism', 'suspicious', 'unsafe_place', 'other')),
    area_id      INTEGER REFERENCES areas(id) ON DELETE SET NULL,
    occurred     TEXT,                       -- 'now' | 'today' | 'yesterday' | 'YYYY-MM-DD'
    description  TEXT NOT NULL,
    reporter_id  INTEGER,                    -- NULL when anonymous
    contact      TEXT NOT NULL CHECK (contact IN ('anonymous', 'telegram', 'phone')),
    phone        TEXT,                       -- only when the reporter offered it
    latitude     REAL,                       -- rounded to about 100 m
    longitude    REAL,
    status       TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'reviewed', 'forwarded',
                     'closed', 'false_alarm')),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    UNIQUE (year, seq)
);
CREATE INDEX tips_created ON tips(created_at);
CREATE INDEX tips_area_created ON tips(area_id, created_at);
CREATE INDEX tips_status ON tips(status, created_at);
CREATE INDEX tips_reporter ON tips(reporter_id) WHERE reporter_id IS NOT NULL;

CREATE TABLE tip_status_history (
    id          INTEGER PRIMARY KEY,
    tip_id      INTEGER NOT NULL REFERENCES tips(id) ON DELETE CASCADE,
    status      TEXT NOT NULL,
    note        TEXT,
    changed_by  INTEGER,                     -- the coordinator or officer; NULL for the reporter
    changed_at  TEXT NOT NULL
);
CREATE INDEX tip_status_history_tip ON tip_status_history(tip_id);

CREATE TABLE tip_attachments (
    id              INTEGER PRIMARY KEY,
    tip_id          INTEGER NOT NULL REFERENCES tips(id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('photo')),
    file_id         TEXT NOT NULL,           -- Telegram's file id; photos are not downloaded
    file_unique_id  TEXT NOT NULL
);
CREATE INDEX tip_attachments_tip ON tip_attachments(tip_id);
