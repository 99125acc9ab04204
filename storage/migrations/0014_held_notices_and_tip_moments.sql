-- A notice may be held back until a moment (UTC stamp): a tip status set by button can be
-- undone for a short while, and the reporter hears of it only once that while has passed.
-- NULL: send at once.
ALTER TABLE notices ADD COLUMN not_before TEXT;
CREATE INDEX notices_held ON notices(not_before)
 WHERE status = 'pending' AND not_before IS NOT NULL;

-- The moment a resident chose "happening now" in the tip flow, so that the card can say when
-- it happened instead of "now" read days later.
ALTER TABLE tips ADD COLUMN occurred_at TEXT;
