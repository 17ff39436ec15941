-- 0012: code_entries.input no longer keeps what a customer typed unless it was
-- a known code. From now on it holds the normalised code when the entry matched
-- an action code (batch_id set) or a promo code (promo_code_id set); any other
-- input (an e-mail address typed into /redeem, a name, a typo) is stored only as
-- 'h:' followed by its HMAC-SHA-256 under HASH_SECRET (src/services/code-entry.ts),
-- so repeats of one wrong input still count together.
-- SQL cannot compute that HMAC, so the unmatched inputs stored before this
-- migration are cleared to '' (their result, time and campaign stay).
UPDATE code_entries SET input = '' WHERE batch_id IS NULL AND promo_code_id IS NULL;
