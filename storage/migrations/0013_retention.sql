-- Retention: a participant who left every area, or whom Telegram reports as having blocked
-- the bot, is deleted after [retention] inactive_participants days. The day they became
-- inactive is kept as a date (no time of day is needed to count days) and maintained by
-- triggers, so that every way of leaving or blocking (a button, /leave, an area removed, a
-- delivery refused) sets it without each of them having to remember.

ALTER TABLE participants ADD COLUMN inactive_since TEXT;  -- 'YYYY-MM-DD' (UTC); NULL: active

UPDATE participants SET inactive_since = date('now')
 WHERE active = 0
    OR NOT EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = participants.user_id);

CREATE INDEX participants_inactive ON participants(inactive_since)
 WHERE inactive_since IS NOT NULL;

-- Signed up but in no area yet.
CREATE TRIGGER participants_inactive_new AFTER INSERT ON participants
BEGIN
    UPDATE participants SET inactive_since = date('now')
     WHERE user_id = NEW.user_id
       AND NOT EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = NEW.user_id);
END;

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

CREATE TRIGGER participants_inactive_blocked AFTER UPDATE OF active ON participants
 WHEN NEW.active = 0 AND OLD.active = 1
BEGIN
    UPDATE participants SET inactive_since = date('now')
     WHERE user_id = NEW.user_id AND inactive_since IS NULL;
END;

-- Writing to the bot again is activity: the count starts anew if they are still in no area.
CREATE TRIGGER participants_inactive_back AFTER UPDATE OF active ON participants
 WHEN NEW.active = 1 AND OLD.active = 0
BEGIN
    UPDATE participants
       SET inactive_since = CASE
           WHEN EXISTS (SELECT 1 FROM memberships m WHERE m.user_id = NEW.user_id) THEN NULL
           ELSE date('now') END
     WHERE user_id = NEW.user_id;
END;
