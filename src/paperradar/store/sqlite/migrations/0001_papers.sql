-- Papers, the keys that identify them, dated citation counts, and the keyword index.

CREATE TABLE papers (
    pk               INTEGER PRIMARY KEY,          -- internal; also the FTS rowid and first-seen order
    id               TEXT    NOT NULL UNIQUE,      -- public id: arXiv id, else a content-derived key
    arxiv_id         TEXT,
    doi              TEXT,
    title            TEXT    NOT NULL,
    abstract         TEXT    NOT NULL DEFAULT '',
    authors          TEXT    NOT NULL DEFAULT '[]', -- JSON list of names
    year             INTEGER,
    published        TEXT,                          -- ISO date of first publication
    listing_date     TEXT,                          -- ISO date the paper was announced or listed
    categories       TEXT    NOT NULL DEFAULT '[]', -- JSON list, primary first
    venue            TEXT,
    url              TEXT,
    pdf_url          TEXT,
    code_url         TEXT,
    citations        INTEGER,
    citations_source TEXT,
    citations_date   TEXT,
    created_at       TEXT    NOT NULL,
    updated_at       TEXT    NOT NULL
);

CREATE INDEX papers_year_citations ON papers (year, citations DESC);
CREATE INDEX papers_citations ON papers (citations DESC) WHERE citations IS NOT NULL;
CREATE INDEX papers_listing ON papers (COALESCE(listing_date, published));

-- Every key a paper is known by: 'arxiv:<id>', 'doi:<doi>', 'title:<fingerprint>'.
-- Title keys are not unique (same title, different years); `year` decides those matches.
CREATE TABLE identities (
    key      TEXT    NOT NULL,
    paper_pk INTEGER NOT NULL REFERENCES papers (pk) ON DELETE CASCADE,
    year     INTEGER,
    PRIMARY KEY (key, paper_pk)
) WITHOUT ROWID;

CREATE INDEX identities_paper ON identities (paper_pk);

-- Citation counts are history: one row per source per day read, never overwritten.
CREATE TABLE citation_snapshots (
    paper_pk INTEGER NOT NULL REFERENCES papers (pk) ON DELETE CASCADE,
    source   TEXT    NOT NULL,   -- '' when the input did not say
    as_of    TEXT    NOT NULL,   -- ISO date; '' when the input did not say
    count    INTEGER NOT NULL,
    PRIMARY KEY (paper_pk, source, as_of)
) WITHOUT ROWID;

CREATE VIRTUAL TABLE papers_fts USING fts5 (
    title, abstract, authors,
    content = 'papers', content_rowid = 'pk',
    tokenize = 'porter unicode61 remove_diacritics 2'
);

-- New papers are indexed in bulk by the store before each commit (twice as fast as a row trigger);
-- changes and deletions are kept in step by these triggers.

CREATE TRIGGER papers_fts_delete AFTER DELETE ON papers BEGIN
    INSERT INTO papers_fts (papers_fts, rowid, title, abstract, authors)
    VALUES ('delete', old.pk, old.title, old.abstract, old.authors);
END;

CREATE TRIGGER papers_fts_update AFTER UPDATE OF title, abstract, authors ON papers BEGIN
    INSERT INTO papers_fts (papers_fts, rowid, title, abstract, authors)
    VALUES ('delete', old.pk, old.title, old.abstract, old.authors);
    INSERT INTO papers_fts (rowid, title, abstract, authors)
    VALUES (new.pk, new.title, new.abstract, new.authors);
END;
