-- The coordinators' (and officers') copies of a new tip go through the outbox like every
-- other delivery: one row per recipient chat, written in the same transaction as the tip, so
-- that a crash right after a tip was stored cannot keep it from the people who handle it.
-- The rows name the recipients only, never the reporter.

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
