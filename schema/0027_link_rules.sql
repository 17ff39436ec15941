-- 0027: links that route (issue 16). A link may carry ordered redirect rules and weighted A/B variants
-- (JSON, validated by src/domain/link-rules.ts before they are stored), a click cap and a fallback URL
-- for visits after the cap or the expiry. A touch records the rule it matched (its label, else "rule N"),
-- the variant it got (its label, else A, B …) and whether it came after the cap or expiry.
ALTER TABLE links ADD COLUMN rules TEXT;          -- JSON [{destination, conditions: [{type, op?, value}], label?, variants?}]
ALTER TABLE links ADD COLUMN variants TEXT;       -- JSON [{destination, weight, label?}]
ALTER TABLE links ADD COLUMN max_clicks INTEGER;  -- NULL: no cap
ALTER TABLE links ADD COLUMN fallback_url TEXT;   -- NULL: the 410 page after the cap or expiry

ALTER TABLE touches ADD COLUMN rule TEXT;
ALTER TABLE touches ADD COLUMN variant TEXT;
ALTER TABLE touches ADD COLUMN after_cap INTEGER NOT NULL DEFAULT 0;


-- Clicks of capped links only, counted atomically on the main database before the redirect answers
-- (one upsert … RETURNING per visit), so a cap of 20 lets exactly 20 visits through however many arrive at once.
CREATE TABLE link_click_counts (
  link_id TEXT PRIMARY KEY,
  clicks  INTEGER NOT NULL
) WITHOUT ROWID;
