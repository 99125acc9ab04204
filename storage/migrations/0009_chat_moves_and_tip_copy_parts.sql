-- Groups that Telegram moved: a basic group that becomes a supergroup (at 200 members, or
-- when it is made public) gets a new chat id, and every stored reference follows it. The old
-- id is kept here because the configuration file may still name it ([roles]
-- coordinator_chat_id): the team chat must keep getting tips and summaries, also after a
-- restart, until the operator changes the file.
CREATE TABLE chat_moves (
    old_chat_id  INTEGER PRIMARY KEY,
    new_chat_id  INTEGER NOT NULL,
    moved_at     TEXT NOT NULL
);

-- A tip copy is several messages: the card, each photo, the location. Each part is noted
-- once it went out, so that a retry after a passing failure goes on where the last try
-- stopped instead of sending the card again; a part Telegram refused for good (a group that
-- allows text but no photos) is noted with Telegram's answer and not tried again.
CREATE TABLE tip_copy_parts (
    copy_id  INTEGER NOT NULL REFERENCES tip_copies(id) ON DELETE CASCADE,
    part     TEXT NOT NULL,              -- 'card', 'photo:1', 'photo:2', ..., 'location'
    status   TEXT NOT NULL CHECK (status IN ('sent', 'refused')),
    reason   TEXT,                       -- Telegram's answer, for a refused part
    at       TEXT NOT NULL,
    PRIMARY KEY (copy_id, part)
) WITHOUT ROWID;
