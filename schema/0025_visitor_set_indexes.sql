-- 0025: the visitor sets (schema/0022: visitor_days through touch_cells) outlive the raw touches (0021 archives
-- them), so a link's exact unique visitors are counted from them: its cells (this index; touch_cells is small),
-- then the visitors of each (day, cell) the link has traffic on, through visitor_days' primary key. (0021 had put
-- indexes on visitor_daily, which 0022 turned into a view; on visitor_days each such index would add about 49 bytes
-- per touch, as much as the visitor sets themselves — measured with npm run bench:storage.)
CREATE INDEX touch_cells_link ON touch_cells (link_id);
