-- Live sources: dated signals on papers, richer citation snapshots, and where each sync got to.

-- What a source observed about a paper on a day: Hugging Face upvotes, a daily pick, GitHub stars,
-- a code or project link. One row per source, kind and day, so counts form a history.
CREATE TABLE signals (
    paper_pk INTEGER NOT NULL REFERENCES papers (pk) ON DELETE CASCADE,
    source   TEXT    NOT NULL,               -- 'huggingface', ...
    kind     TEXT    NOT NULL,               -- 'hf_upvotes', 'github_stars', 'hf_daily_pick', ...
    as_of    TEXT    NOT NULL,               -- ISO date the value was read (the listing day for picks)
    value    INTEGER NOT NULL,
    url      TEXT,                           -- where a person can check it
    extra    TEXT    NOT NULL DEFAULT '{}',  -- JSON object of anything else the source said
    PRIMARY KEY (paper_pk, source, kind, as_of)
) WITHOUT ROWID;

CREATE INDEX signals_kind_day ON signals (kind, as_of);

-- Provider details that come with a count (influential citations, citations per year), as JSON.
ALTER TABLE citation_snapshots ADD COLUMN extra TEXT NOT NULL DEFAULT '{}';

CREATE INDEX citation_snapshots_source_day ON citation_snapshots (source, as_of);

-- One row per sync (e.g. 'arxiv-oai:cs:arXiv'): the harvest in progress and the next starting point.
CREATE TABLE sync_state (
    name             TEXT PRIMARY KEY,
    last_datestamp   TEXT,                   -- ISO date the next incremental run starts from
    resumption_token TEXT,                   -- set while a paged harvest is unfinished
    cursor           TEXT NOT NULL DEFAULT '{}',  -- JSON: the harvest's arguments and progress
    updated_at       TEXT NOT NULL
);
