-- Accounts and what belongs to each: a personal library (saves, tags, notes, read marks), votes,
-- "not interested" marks, saved searches, the per-user recommendation models, and the counters of
-- the rate limiter (in the database so every web worker counts the same attempts).
-- Times are whole seconds since the epoch (INTEGER) in both backends, so the SQL is shared.

CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    email           TEXT    NOT NULL UNIQUE,      -- lower-cased
    password_hash   TEXT    NOT NULL,             -- argon2id; never leaves the store but to the verifier
    is_admin        INTEGER NOT NULL DEFAULT 0,
    verified        INTEGER NOT NULL DEFAULT 0,
    session_version INTEGER NOT NULL DEFAULT 1,   -- bumped by logout and password changes: ends sessions
    feed_version    INTEGER NOT NULL DEFAULT 1,   -- bumped to revoke the secret feed URL
    created_at      INTEGER NOT NULL
);

CREATE TABLE shelf (
    user_id  INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    paper_pk INTEGER NOT NULL REFERENCES papers (pk) ON DELETE CASCADE,
    saved_at INTEGER NOT NULL,
    is_read  INTEGER NOT NULL DEFAULT 0,
    note     TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (user_id, paper_pk)
);

CREATE INDEX shelf_paper ON shelf (paper_pk, saved_at);

CREATE TABLE shelf_tags (
    user_id  INTEGER NOT NULL,
    paper_pk INTEGER NOT NULL,
    tag      TEXT    NOT NULL,
    PRIMARY KEY (user_id, paper_pk, tag),
    FOREIGN KEY (user_id, paper_pk) REFERENCES shelf (user_id, paper_pk) ON DELETE CASCADE
);

CREATE INDEX shelf_tags_tag ON shelf_tags (user_id, tag);

CREATE TABLE votes (
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    paper_pk   INTEGER NOT NULL REFERENCES papers (pk) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, paper_pk)
);

CREATE INDEX votes_paper ON votes (paper_pk, created_at);

CREATE TABLE dismissals (
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    paper_pk   INTEGER NOT NULL REFERENCES papers (pk) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, paper_pk)
);

CREATE TABLE saved_searches (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name       TEXT    NOT NULL,
    query      TEXT    NOT NULL,
    mode       TEXT    NOT NULL,
    filters    TEXT    NOT NULL DEFAULT '{}',     -- JSON
    created_at INTEGER NOT NULL,
    last_seen  INTEGER                            -- when the user last looked at its new papers
);

CREATE INDEX saved_searches_user ON saved_searches (user_id);

-- One vector per user, tag ('' = the whole library) and embedding model: recommendations are a
-- nearest-neighbour search with it, so no request ever scores the whole corpus.
CREATE TABLE user_models (
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    tag        TEXT    NOT NULL,
    model      TEXT    NOT NULL,
    vector     BLOB    NOT NULL,                  -- float32, unit length
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, tag, model)
);

CREATE TABLE rate_limits (
    key          TEXT    NOT NULL,
    window_start INTEGER NOT NULL,
    hits         INTEGER NOT NULL,
    PRIMARY KEY (key, window_start)
);
