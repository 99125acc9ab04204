-- Flows in progress, kept over a restart (bot/persistence.py): the step a conversation is at
-- together with its draft (an alert being written, a tip half-way through), or a language
-- chosen before consent. A row exists only while its flow is in progress: it is deleted when
-- the flow ends, and when it has been idle for longer than the flow's timeout, because a
-- half-written tip may hold a description and a phone number.

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
