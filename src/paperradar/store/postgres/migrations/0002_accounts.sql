-- Accounts and what belongs to each: a personal library (saves, tags, notes, read marks), votes,
-- "not interested" marks, saved searches, the per-user recommendation models, and the counters of
-- the rate limiter (in the database so every web worker counts the same attempts).
-- Times are whole seconds since the epoch (bigint) as in SQLite 0005_accounts.sql, so the SQL is shared.

CREATE TABLE users (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email           text    NOT NULL UNIQUE,      -- lower-cased
    password_hash   text    NOT NULL,             -- argon2id; never leaves the store but to the verifier
    is_admin        integer NOT NULL DEFAULT 0,
    verified        integer NOT NULL DEFAULT 0,
    session_version integer NOT NULL DEFAULT 1,   -- bumped by logout and password changes: ends sessions
    feed_version    integer NOT NULL DEFAULT 1,   -- bumped to revoke the secret feed URL
    created_at      bigint  NOT NULL
);

CREATE TABLE shelf (
    user_id  bigint  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    paper_pk bigint  NOT NULL REFERENCES papers (pk) ON DELETE CASCADE,
    saved_at bigint  NOT NULL,
    is_read  integer NOT NULL DEFAULT 0,
    note     text    NOT NULL DEFAULT '',
    PRIMARY KEY (user_id, paper_pk)
);

CREATE INDEX shelf_paper ON shelf (paper_pk, saved_at);

CREATE TABLE shelf_tags (
    user_id  bigint  NOT NULL,
    paper_pk bigint  NOT NULL,
    tag      text    NOT NULL,
    PRIMARY KEY (user_id, paper_pk, tag),
    FOREIGN KEY (user_id, paper_pk) REFERENCES shelf (user_id, paper_pk) ON DELETE CASCADE
);

CREATE INDEX shelf_tags_tag ON shelf_tags (user_id, tag);

CREATE TABLE votes (
    user_id    bigint  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    paper_pk   bigint  NOT NULL REFERENCES papers (pk) ON DELETE CASCADE,
    created_at bigint  NOT NULL,
    PRIMARY KEY (user_id, paper_pk)
);

CREATE INDEX votes_paper ON votes (paper_pk, created_at);

CREATE TABLE dismissals (
    user_id    bigint  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    paper_pk   bigint  NOT NULL REFERENCES papers (pk) ON DELETE CASCADE,
    created_at bigint  NOT NULL,
    PRIMARY KEY (user_id, paper_pk)
);

CREATE TABLE saved_searches (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    bigint  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name       text    NOT NULL,
    query      text    NOT NULL,
    mode       text    NOT NULL,
    filters    text    NOT NULL DEFAULT '{}',     -- JSON
    created_at bigint  NOT NULL,
    last_seen  bigint                             -- when the user last looked at its new papers
);

CREATE INDEX saved_searches_user ON saved_searches (user_id);

-- One vector per user, tag ('' = the whole library) and embedding model: recommendations are a
-- nearest-neighbour search with it, so no request ever scores the whole corpus.
CREATE TABLE user_models (
    user_id    bigint  NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    tag        text    NOT NULL,
    model      text    NOT NULL,
    vector     bytea   NOT NULL,                  -- float32, unit length
    updated_at bigint  NOT NULL,
    PRIMARY KEY (user_id, tag, model)
);

CREATE TABLE rate_limits (
    key          text    NOT NULL,
    window_start bigint  NOT NULL,
    hits         bigint  NOT NULL,
    PRIMARY KEY (key, window_start)
);
