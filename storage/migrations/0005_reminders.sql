-- Scheduled reminders, the weekly summary's bookkeeping, and indexes for its statistics.
-- The JobQueue keeps jobs in memory only; these tables are what it is rebuilt from at start-up.

CREATE TABLE reminders (
    id                  INTEGER PRIMARY KEY,
    schedule            TEXT NOT NULL,       -- normalised WHEN: 'weekly tue 18:30', 'once 2026-06-20 09:00'
    all_areas           INTEGER NOT NULL DEFAULT 0,  -- 1: every area at the time it goes out
    text                TEXT NOT NULL,
    created_by          INTEGER,
    created_at          TEXT NOT NULL,
    next_run            TEXT,                -- UTC; for a missed one-off: when it was due
    last_run            TEXT,                -- UTC, when it last went out
    status              TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'done', 'missed')),
    missed_reported_at  TEXT                 -- when a weekly summary told the coordinator
);
CREATE INDEX reminders_status ON reminders(status, next_run);

CREATE TABLE reminder_areas (
    reminder_id INTEGER NOT NULL REFERENCES reminders(id) ON DELETE CASCADE,
    area_id     INTEGER NOT NULL REFERENCES areas(id) ON DELETE CASCADE,
    PRIMARY KEY (reminder_id, area_id)
) WITHOUT ROWID;

-- One row per ISO week whose scheduled summary went out, so that a missed run is sent once.
CREATE TABLE summary_runs (
    week           TEXT PRIMARY KEY,         -- '2026-W05', the week the summary is about
    scheduled_for  TEXT NOT NULL,            -- UTC fire time it belongs to
    sent_at        TEXT NOT NULL
);

-- Small key/value facts about the schedule, e.g. since when summaries are due at all.
CREATE TABLE schedule_state (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);

-- Weekly statistics read tips by time with their category and area; covering the three
-- keeps an eight-week chart from touching the table itself.
CREATE INDEX tips_created_category_area ON tips(created_at, category, area_id);
