-- /latest lists papers newest first (the undated last), then the last added first: an index in
-- exactly that order lets a page read its rows straight off the index. papers_listing (day, ascending,
-- NULLS LAST) read backwards gives NULLS FIRST, so every page sorted the whole table instead. This one
-- leads with the same expression, so the period and newest-day queries that papers_listing served
-- use it instead.

CREATE INDEX papers_latest ON papers ((COALESCE(listing_date, published)) DESC NULLS LAST, pk DESC);
DROP INDEX papers_listing;
