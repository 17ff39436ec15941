-- 0035: the visitor index covers the journeys of the data-driven model (docs/DESIGN.md "Data-driven model", "When
-- it is computed"). Every visitor's human touches of a range, grouped by visitor in (occurred_at, id) order with
-- their channels, are read from the index alone in visitor order, instead of a range scan of touches_time, a lookup
-- of each row and a sort of the range by visitor (1M touches in 30 days: 4.8 s → about 0.5 s for this read,
-- `npm run bench:markov`). The index is widened, not added: attribution's reads of a visitor's touches by time use
-- the same prefix, and a touch still writes the same number of index rows (D1 bills rows written per index); the
-- three columns add about 35 bytes per raw touch in D1 (hot window only). Like every touch index it lives on every
-- touch shard.
DROP INDEX touches_visitor_time;
CREATE INDEX touches_visitor_time ON touches (visitor_id, occurred_at, id, channel, is_bot);
