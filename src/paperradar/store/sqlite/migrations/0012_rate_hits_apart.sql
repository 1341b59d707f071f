-- Rate-limit hits moved to a file of their own beside the database (store/sqlite/hits.py), so that
-- counting a login never waits for an import's write lock. Counts in flight are a few minutes' worth.

DROP TABLE IF EXISTS rate_hits;
