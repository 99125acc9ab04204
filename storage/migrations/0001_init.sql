-- Areas, residents and their memberships, roles and the audit log.
-- Personal data is kept to the contract's minimum: Telegram user id, first name, language,
-- consent time, areas and roles.

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
    banned_at   TEXT,
    ban_reason  TEXT
);

CREATE TABLE memberships (
    user_id     INTEGER NOT NULL REFERENCES participants(user_id) ON DELETE CASCADE,
    area_id     INTEGER NOT NULL REFERENCES areas(id) ON DELETE CASCADE,
    joined_at   TEXT NOT NULL,
    PRIMARY KEY (user_id, area_id)
) WITHOUT ROWID;
CREATE INDEX memberships_area ON memberships(area_id);

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
    detail      TEXT
);
CREATE INDEX audit_log_at ON audit_log(at);
