-- Consent, joins and sign-up events keep the date only. A time to the second, next to an
-- area, could name the one resident who signed up in the minute an anonymous tip came in.
-- Earlier rows were UTC timestamps; their UTC date is kept (SQL knows no time zones, so a
-- sign-up within a few hours of midnight may be dated a day off: a weekly count can
-- bear that, the time is what must go).
UPDATE participants SET consent_at = substr(consent_at, 1, 10);
UPDATE memberships SET joined_at = substr(joined_at, 1, 10);
UPDATE signup_events SET at = substr(at, 1, 10);

-- A refusal is written once per user, action and hour; repeats within the hour only count
-- up, so that pressing a refused button all day cannot flood the log.
ALTER TABLE audit_log ADD COLUMN times INTEGER NOT NULL DEFAULT 1 CHECK (times >= 1);
CREATE INDEX audit_log_refusals ON audit_log(actor_id, action, at) WHERE outcome = 'refused';
