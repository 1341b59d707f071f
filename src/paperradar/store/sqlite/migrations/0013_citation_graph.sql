-- The citation graph: the works papers cite (corpus papers or stubs), who cites what as which source read
-- it on which day, and whose references each source has read (an empty list is an answer too).

-- A cited work. `paper_pk` is set once a corpus paper is known to be it (at once, or when the paper is
-- imported later and claims the stub through a shared key); until then title and year are the source's.
CREATE TABLE works (
    pk       INTEGER PRIMARY KEY,
    paper_pk INTEGER REFERENCES papers (pk) ON DELETE SET NULL,
    title    TEXT,
    year     INTEGER
);

CREATE INDEX works_paper ON works (paper_pk) WHERE paper_pk IS NOT NULL;

-- The keys a work is known by: 'arxiv:<id>', 'doi:<doi>', 'openalex:W...', 's2:<id>', 'title:<fingerprint>'
-- (normalised as identities' are, so a paper's keys find the stubs that are it).
CREATE TABLE work_keys (
    key     TEXT    NOT NULL,
    work_pk INTEGER NOT NULL REFERENCES works (pk) ON DELETE CASCADE,
    PRIMARY KEY (key, work_pk)
) WITHOUT ROWID;

CREATE INDEX work_keys_work ON work_keys (work_pk);

-- One edge per citing paper, cited work and source; a re-read moves `as_of` on.
CREATE TABLE citation_edges (
    citing_pk INTEGER NOT NULL REFERENCES papers (pk) ON DELETE CASCADE,
    work_pk   INTEGER NOT NULL REFERENCES works (pk) ON DELETE CASCADE,
    source    TEXT    NOT NULL,   -- 'openalex', 'semantic_scholar' or 'file'
    as_of     TEXT    NOT NULL,   -- ISO date the source was read
    PRIMARY KEY (citing_pk, work_pk, source)
) WITHOUT ROWID;

CREATE INDEX citation_edges_work ON citation_edges (work_pk, citing_pk);

CREATE TABLE reference_reads (
    paper_pk INTEGER NOT NULL REFERENCES papers (pk) ON DELETE CASCADE,
    source   TEXT    NOT NULL,
    as_of    TEXT    NOT NULL,
    found    INTEGER NOT NULL,    -- references the source listed
    PRIMARY KEY (paper_pk, source)
) WITHOUT ROWID;
