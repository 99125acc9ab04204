-- The whole schema as the migrations in storage/migrations produce it, for reading.
-- Generated: python -m storage.schema > storage/schema.sql
-- Databases are never created from this file; they are migrated.

CREATE TABLE schema_migrations (
    version     INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    applied_at  TEXT NOT NULL
);

CREATE TABLE areas (
    id          INTEGER PRIMARY KEY,
    code        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE area_postcodes (
    postcode    TEXT PRIMARY KEY,
    area_id     INTEGER NOT NULL REFERENCES areas(id) ON DELETE CASCADE
);
CREATE INDEX area_postcodes_area ON area_postcodes(area_id);

CREATE TABLE participants (
    user_id     INTEGER PRIMARY KEY,          -- Telegram user id
    first_name  TEXT NOT NULL,
    language    TEXT NOT NULL CHECK (language IN ('sv', 'en')),
    consent_at  TEXT NOT NULL,
    active      INTEGER NOT NULL DEFAULT 1,   -- 0 once Telegram says the user blocked the bot
    banned_at   TEXT, inactive_since TEXT);
CREATE INDEX participants_inactive ON participants(inactive_since)
 WHERE inactive_since IS NOT NULL;
CREATE TRIGGER participants_inactive_new AFTER INSERT ON participants
BEGIN
    UPDATE participants SET inactive_since = date('now')
     WHERE user_id = NEW.user_id
       AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = NEW.user_id);
END;
CREATE TRIGGER participants_inactive_blocked AFTER UPDATE OF active ON participants
 WHEN NEW.active = 0 AND OLD.active = 1
BEGIN
    UPDATE participants SET inactive_since = date('now')
     WHERE user_id = NEW.user_id AND inactive_since IS NULL;
END;
CREATE TRIGGER participants_inactive_back AFTER UPDATE OF active ON participants
 WHEN NEW.active = 1 AND OLD.active = 0
BEGIN
    UPDATE participants
       SET inactive_since = CASE
           WHEN EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = NEW.user_id) THEN NULL
           ELSE date('now') END
     WHERE user_id = NEW.user_id;
END;

CREATE TABLE memberships (
    user_id     INTEGER NOT NULL REFERENCES participants(user_id) ON DELETE CASCADE,
    area_id     INTEGER NOT NULL REFERENCES areas(id) ON DELETE CASCADE,
    joined_at   TEXT NOT NULL,
    PRIMARY KEY (user_id, area_id)
) WITHOUT ROWID;
CREATE INDEX memberships_area ON memberships(area_id);
CREATE TRIGGER participants_inactive_join AFTER INSERT ON memberships
BEGIN
    UPDATE participants SET inactive_since = NULL
     WHERE user_id = NEW.user_id AND active = 1;
END;
CREATE TRIGGER participants_inactive_leave AFTER DELETE ON memberships
BEGIN
    UPDATE participants SET inactive_since = date('now')
     WHERE user_id = OLD.user_id AND inactive_since IS NULL
       AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = OLD.user_id);
END;

CREATE TABLE roles (
    user_id     INTEGER NOT NULL REFERENCES participants(user_id) ON DELETE CASCADE,
    role        TEXT NOT NULL CHECK (role IN ('police', 'contact')),
    area_id     INTEGER REFERENCES areas(id) ON DELETE CASCADE,  -- set for area contacts
    granted_by  INTEGER,
    granted_at  TEXT NOT NULL
);
CREATE UNIQUE INDEX roles_unique ON roles(user_id, role, IFNULL(area_id, 0));

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    actor_id    INTEGER,
    action      TEXT NOT NULL,
    target      TEXT,
    outcome     TEXT NOT NULL CHECK (outcome IN ('ok', 'refused')),
    detail      TEXT,
    times       INTEGER NOT NULL DEFAULT 1 CHECK (times >= 1)
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_refusals ON audit_log(actor_id, action, at) WHERE outcome = 'refused';

CREATE TABLE group_links (
    chat_id     INTEGER PRIMARY KEY,         -- Telegram group chat id (negative)
    area_id     INTEGER NOT NULL REFERENCES areas(id) ON DELETE CASCADE,
    title       TEXT NOT NULL DEFAULT '',
    linked_by   INTEGER,
    linked_at   TEXT NOT NULL,
    active      INTEGER NOT NULL DEFAULT 1  -- 0 once the bot was removed from the group
);
CREATE INDEX group_links_area ON group_links(area_id);

CREATE TABLE alerts (
    id                 INTEGER PRIMARY KEY,
    kind               TEXT NOT NULL CHECK (kind IN ('police', 'municipality', 'notice', 'reminder')),
    sender_id          INTEGER,              -- NULL for scheduled reminders
    area_names         TEXT NOT NULL,        -- as shown in the heading when it was sent
    text               TEXT NOT NULL,        -- as typed by the sender, unescaped
    created_at         TEXT NOT NULL,
    finished_at        TEXT,                 -- set when no delivery is pending any more
    report_chat_id     INTEGER,              -- the sender's delivery report message
    report_message_id  INTEGER,
    text_key           TEXT,
    report_text        TEXT,
    draft_key          TEXT
);
CREATE INDEX alerts_created ON alerts(created_at);
CREATE UNIQUE INDEX alerts_draft_key ON alerts(draft_key) WHERE draft_key IS NOT NULL;

CREATE TABLE alert_areas (
    alert_id    INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
    area_id     INTEGER NOT NULL REFERENCES areas(id) ON DELETE CASCADE,
    PRIMARY KEY (alert_id, area_id)
) WITHOUT ROWID;
CREATE INDEX alert_areas_area ON alert_areas(area_id);

CREATE TABLE deliveries (
    id          INTEGER PRIMARY KEY,
    alert_id    INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
    chat_id     INTEGER NOT NULL,
    is_group    INTEGER NOT NULL DEFAULT 0,
    language    TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'delivered', 'blocked', 'failed')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT,
    updated_at  TEXT,
    UNIQUE (alert_id, chat_id)
);
CREATE INDEX deliveries_pending ON deliveries(id) WHERE status = 'pending';
CREATE INDEX deliveries_pending_alert ON deliveries(alert_id) WHERE status = 'pending';
CREATE INDEX deliveries_chat ON deliveries(chat_id);

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

CREATE TABLE signup_events (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    event       TEXT NOT NULL CHECK (event IN ('consent', 'forget', 'join', 'leave')),
    area_id     INTEGER REFERENCES areas(id) ON DELETE SET NULL
);
CREATE INDEX signup_events_at ON signup_events(at);

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
    updated_at   TEXT NOT NULL, ref_check TEXT NOT NULL DEFAULT '', occurred_at TEXT,
    UNIQUE (year, seq)
);
CREATE INDEX tips_created ON tips(created_at);
CREATE INDEX tips_area_created ON tips(area_id, created_at);
CREATE INDEX tips_status ON tips(status, created_at);
CREATE INDEX tips_reporter ON tips(reporter_id) WHERE reporter_id IS NOT NULL;
CREATE INDEX tips_created_category_area ON tips(created_at, category, area_id);

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

CREATE TABLE summary_runs (
    week           TEXT PRIMARY KEY,         -- '2026-W05', the week the summary is about
    scheduled_for  TEXT NOT NULL,            -- UTC fire time it belongs to
    sent_at        TEXT NOT NULL
);

CREATE TABLE schedule_state (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);

CREATE TABLE tip_copies (
    id          INTEGER PRIMARY KEY,
    tip_id      INTEGER NOT NULL REFERENCES tips(id) ON DELETE CASCADE,
    chat_id     INTEGER NOT NULL,
    is_group    INTEGER NOT NULL DEFAULT 0,
    language    TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'delivered', 'blocked', 'failed')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT,
    updated_at  TEXT,
    UNIQUE (tip_id, chat_id)
);
CREATE INDEX tip_copies_pending ON tip_copies(id) WHERE status = 'pending';
CREATE INDEX tip_copies_chat ON tip_copies(chat_id);

CREATE TABLE flow_state (
    user_id     INTEGER NOT NULL,
    name        TEXT NOT NULL,      -- the flow ('tip', 'alert') or the entry kept ('lang')
    chat_id     INTEGER,            -- flows: the chat the conversation is in
    step        TEXT,               -- flows: the conversation's state, as JSON
    value       TEXT NOT NULL,      -- JSON: the draft, or the entry's value
    touched_at  TEXT NOT NULL,      -- the user's last update (UTC, milliseconds)
    PRIMARY KEY (user_id, name)
);
CREATE INDEX flow_state_touched ON flow_state(name, touched_at);

CREATE TABLE notices (
    id          INTEGER PRIMARY KEY,
    chat_id     INTEGER NOT NULL,            -- the recipient
    text_key    TEXT NOT NULL,
    vals        TEXT NOT NULL DEFAULT '{}',  -- the text's values; {"$t": KEY} is a text itself
    about_id    INTEGER,                     -- the person the notice is about, if not the
                                             -- recipient: /forget removes it with them
    purpose     TEXT,                        -- e.g. 'report': the report message of an alert
    subject_id  INTEGER,                     -- what the purpose refers to (the alert's id)
    message_id  INTEGER,                     -- the message it became, once sent
    status      TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'delivered', 'blocked', 'failed')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    last_error  TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT,
    not_before  TEXT
);
CREATE INDEX notices_pending ON notices(id) WHERE status = 'pending';
CREATE INDEX notices_chat ON notices(chat_id);
CREATE INDEX notices_about ON notices(about_id) WHERE about_id IS NOT NULL;
CREATE INDEX notices_held ON notices(not_before)
 WHERE status = 'pending' AND not_before IS NOT NULL;

CREATE TABLE chat_moves (
    old_chat_id  INTEGER PRIMARY KEY,
    new_chat_id  INTEGER NOT NULL,
    moved_at     TEXT NOT NULL
);

CREATE TABLE tip_copy_parts (
    copy_id  INTEGER NOT NULL REFERENCES tip_copies(id) ON DELETE CASCADE,
    part     TEXT NOT NULL,              -- 'card', 'photo:1', 'photo:2', ..., 'location'
    status   TEXT NOT NULL CHECK (status IN ('sent', 'refused')),
    reason   TEXT,                       -- Telegram's answer, for a refused part
    at       TEXT NOT NULL,
    PRIMARY KEY (copy_id, part)
) WITHOUT ROWID;

CREATE TABLE bot_secrets (
    name   TEXT PRIMARY KEY,
    value  BLOB NOT NULL
) WITHOUT ROWID;

CREATE TABLE bans (
    user_hash  TEXT NOT NULL PRIMARY KEY,  -- hex HMAC-SHA256(ban_key, user id in decimal)
    banned_on  TEXT NOT NULL,              -- a date (YYYY-MM-DD), not a time
    reason     TEXT                        -- cleared by /forget: it may name the person
) WITHOUT ROWID;
