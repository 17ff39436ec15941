-- 0014: indexes for the campaign page's grouped reads. A link's page lists the
-- conversions credited to it, and the code section sums the conversions
-- credited to the touches of its code entries and promo redemptions: both look
-- up conversion_credits by link and by touch, which no index covered (each read
-- scanned every credit).
CREATE INDEX conversion_credits_link ON conversion_credits (link_id, model) WHERE link_id IS NOT NULL;
CREATE INDEX conversion_credits_touch ON conversion_credits (touch_id) WHERE touch_id IS NOT NULL;
