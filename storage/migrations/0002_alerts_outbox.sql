-- Alerts, notices (and later reminders) with one outbox row per recipient chat, and the
-- group chats linked to areas. The alert and all its delivery rows are written in one
-- transaction before the first message is sent.

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
    report_message_id  INTEGER
);
CREATE INDEX alerts_created ON alerts(created_at);

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
-- "is anything of this alert still pending?" is asked after every batch of outcomes
CREATE INDEX deliveries_pending_alert ON deliveries(alert_id) WHERE status = 'pending';
CREATE INDEX deliveries_chat ON deliveries(chat_id);
