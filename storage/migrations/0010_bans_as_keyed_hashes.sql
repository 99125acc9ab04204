-- Bans that outlive /forget. A ban is kept under a keyed hash of the user id, so that it still
-- works once the person's own data is erased, and can be set before someone ever registered,
-- while the table alone names nobody. The key is random, made once, and kept in the database
-- beside the hashes: whoever can read the file can test a known id against it, but nobody can
-- list who is banned from the hashes alone.
CREATE TABLE bot_secrets (
    name   TEXT PRIMARY KEY,
    value  BLOB NOT NULL
) WITHOUT ROWID;

INSERT INTO bot_secrets (name, value) VALUES ('ban_key', randomblob(32));

CREATE TABLE bans (
    user_hash  TEXT NOT NULL PRIMARY KEY,  -- hex HMAC-SHA256(ban_key, user id in decimal)
    banned_on  TEXT NOT NULL,              -- a date (YYYY-MM-DD), not a time
    reason     TEXT                        -- cleared by /forget: it may name the person
) WITHOUT ROWID;

-- The bans made so far move over in this same transaction (hmac_sha256 is registered on every
-- connection by storage/db.py), so there is no moment at which a ban exists in one place only.
INSERT INTO bans (user_hash, banned_on, reason)
SELECT hmac_sha256((SELECT value FROM bot_secrets WHERE name = 'ban_key'), user_id),
       substr(banned_at, 1, 10), ban_reason
FROM participants
WHERE banned_at IS NOT NULL;

-- participants.banned_at stays as a flag for the recipient filters, written together with the
-- hash row and holding the same date; the reason lives in bans only.
UPDATE participants SET banned_at = substr(banned_at, 1, 10) WHERE banned_at IS NOT NULL;
ALTER TABLE participants DROP COLUMN ban_reason;
