-- The whole schema of the PostgreSQL backend: papers with a generated full-text vector, identities,
-- citation snapshots, signals, sync state, and embeddings in pgvector. Mirrors the SQLite
-- migrations 0001-0003; the keyword and vector indexes live inside the database, so nothing like
-- SQLite's text_changes log is needed.

CREATE EXTENSION IF NOT EXISTS vector;

-- array_to_string is only STABLE (it works on any array type), but on text[] it is immutable,
-- which a generated column needs.
CREATE FUNCTION paperradar_names(names text[]) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE RETURN array_to_string(names, ' ');

CREATE TABLE papers (
    pk               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,  -- internal; first-seen order
    id               text   NOT NULL UNIQUE,      -- public id: arXiv id, else a content-derived key
    arxiv_id         text,
    doi              text,
    title            text   NOT NULL,
    abstract         text   NOT NULL DEFAULT '',
    authors          text[] NOT NULL DEFAULT '{}',
    year             integer,
    published        date,
    listing_date     date,
    categories       text[] NOT NULL DEFAULT '{}', -- primary first
    venue            text,
    url              text,
    pdf_url          text,
    code_url         text,
    citations        integer,
    citations_source text,
    citations_date   date,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    -- Weights rank a title word above an author's name above an abstract word (ts_rank_cd reads A-D).
    search           tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', title), 'A')
        || setweight(to_tsvector('english', abstract), 'B')
        || setweight(to_tsvector('english', paperradar_names(authors)), 'C')
    ) STORED
);

CREATE INDEX papers_search ON papers USING gin (search);
CREATE INDEX papers_year_citations ON papers (year, citations DESC);
CREATE INDEX papers_citations ON papers (citations DESC) WHERE citations IS NOT NULL;
CREATE INDEX papers_listing ON papers ((COALESCE(listing_date, published)));
CREATE INDEX papers_categories ON papers USING gin (categories);

-- Every key a paper is known by: 'arxiv:<id>', 'doi:<doi>', 'title:<fingerprint>'.
-- Title keys are not unique (same title, different years); `year` decides those matches.
CREATE TABLE identities (
    key      text    NOT NULL,
    paper_pk bigint  NOT NULL REFERENCES papers (pk) ON DELETE CASCADE,
    year     integer,
    PRIMARY KEY (key, paper_pk)
);

CREATE INDEX identities_paper ON identities (paper_pk);

-- Citation counts are history: one row per source per day read, never overwritten.
-- An unknown source is '' and an unknown day NULL (distinct from no other NULL day: PG 15's
-- NULLS NOT DISTINCT), as in the SQLite schema.
CREATE TABLE citation_snapshots (
    paper_pk bigint  NOT NULL REFERENCES papers (pk) ON DELETE CASCADE,
    source   text    NOT NULL,
    as_of    date,
    count    integer NOT NULL,
    extra    jsonb   NOT NULL DEFAULT '{}',
    UNIQUE NULLS NOT DISTINCT (paper_pk, source, as_of)
);

CREATE INDEX citation_snapshots_source_day ON citation_snapshots (source, as_of);

-- What a source observed about a paper on a day (upvotes, stars, a daily pick); one row per
-- source, kind and day, so counts form a history.
CREATE TABLE signals (
    paper_pk bigint  NOT NULL REFERENCES papers (pk) ON DELETE CASCADE,
    source   text    NOT NULL,
    kind     text    NOT NULL,
    as_of    date    NOT NULL,
    value    integer NOT NULL,
    url      text,
    extra    jsonb   NOT NULL DEFAULT '{}',
    PRIMARY KEY (paper_pk, source, kind, as_of)
);

CREATE INDEX signals_kind_day ON signals (kind, as_of);

CREATE TABLE sync_state (
    name             text PRIMARY KEY,
    last_datestamp   date,
    resumption_token text,
    cursor           jsonb NOT NULL DEFAULT '{}',
    updated_at       timestamptz NOT NULL
);

-- One vector per paper per embedding model, of any size. An HNSW index needs a fixed size, so the
-- index covers 384-dimensional vectors (all-MiniLM-L6-v2); vectors of other sizes are searched exactly.
CREATE TABLE embeddings (
    paper_pk   bigint  NOT NULL REFERENCES papers (pk) ON DELETE CASCADE,
    model      text    NOT NULL,
    text_hash  text    NOT NULL,
    vector     vector  NOT NULL,  -- unit length
    dimensions integer NOT NULL GENERATED ALWAYS AS (vector_dims(vector)) STORED,
    PRIMARY KEY (paper_pk, model)
);

CREATE INDEX embeddings_model ON embeddings (model);
CREATE INDEX embeddings_hnsw ON embeddings USING hnsw ((vector::vector(384)) vector_cosine_ops)
    WHERE dimensions = 384;

-- A paper whose title or abstract changes is embedded again: dropping its vector queues it.
CREATE FUNCTION paperradar_embeddings_stale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM embeddings WHERE paper_pk = OLD.pk;
    RETURN NULL;
END $$;

CREATE TRIGGER embeddings_stale AFTER UPDATE OF title, abstract ON papers
FOR EACH ROW WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.abstract IS DISTINCT FROM NEW.abstract)
EXECUTE FUNCTION paperradar_embeddings_stale();
