-- Rate limits as moving windows: one row per counted request, so "at most N in the last T seconds" is
-- a count of rows newer than now - T, whatever process counted them. Old rows of a key are pruned
-- when the key is counted again. (rate_limits, fixed 15-minute windows, is no longer written.)

CREATE TABLE rate_hits (
    key TEXT NOT NULL,
    at  REAL NOT NULL  -- seconds since the epoch
);

CREATE INDEX rate_hits_key_at ON rate_hits (key, at);
