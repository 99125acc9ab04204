-- Single notices through the outbox: one message to one chat that someone relies on (a
-- reporter's status notice, "your role was removed", "your invite was used", the first
-- message of a delivery report). Written in the same transaction as the decision they tell
-- about, sent by their own lane so that an alert to thousands cannot hold them up.
--
-- The text is a catalogue key with values (JSON), rendered in the recipient's language when
-- it is sent. A notice is only ever written for someone who may be reached: never for an
-- anonymous reporter, so no row links an anonymous tip to anyone.

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
    updated_at  TEXT
);
CREATE INDEX notices_pending ON notices(id) WHERE status = 'pending';
CREATE INDEX notices_chat ON notices(chat_id);
CREATE INDEX notices_about ON notices(about_id) WHERE about_id IS NOT NULL;

-- What the delivery report message shows now, so that it is never edited into the same
-- content (Telegram refuses that), not even after a restart.
ALTER TABLE alerts ADD COLUMN report_text TEXT;
-- The draft an alert was sent from: pressing Send twice, or the same press handled again
-- after a crash, queues the alert once.
ALTER TABLE alerts ADD COLUMN draft_key TEXT;
CREATE UNIQUE INDEX alerts_draft_key ON alerts(draft_key) WHERE draft_key IS NOT NULL;
