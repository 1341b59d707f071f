-- The citation graph, as SQLite's 0013: the works papers cite (corpus papers or stubs), who cites what
-- as which source read it on which day, and whose references each source has read.

-- A cited work; `paper_pk` is set once a corpus paper is known to be it (at once, or when it is
-- imported later and claims the stub through a shared key).
CREATE TABLE works (
    pk       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    paper_pk bigint REFERENCES papers (pk) ON DELETE SET NULL,
    title    text,
    year     integer
);

CREATE INDEX works_paper ON works (paper_pk) WHERE paper_pk IS NOT NULL;

-- 'arxiv:<id>', 'doi:<doi>', 'openalex:W...', 's2:<id>', 'title:<fingerprint>', normalised as identities'.
CREATE TABLE work_keys (
    key     text   NOT NULL,
    work_pk bigint NOT NULL REFERENCES works (pk) ON DELETE CASCADE,
    PRIMARY KEY (key, work_pk)
);

CREATE INDEX work_keys_work ON work_keys (work_pk);

CREATE TABLE citation_edges (
    citing_pk bigint NOT NULL REFERENCES papers (pk) ON DELETE CASCADE,
    work_pk   bigint NOT NULL REFERENCES works (pk) ON DELETE CASCADE,
    source    text   NOT NULL,   -- 'openalex', 'semantic_scholar' or 'file'
    as_of     date   NOT NULL,
    PRIMARY KEY (citing_pk, work_pk, source)
);

CREATE INDEX citation_edges_work ON citation_edges (work_pk, citing_pk);

CREATE TABLE reference_reads (
    paper_pk bigint  NOT NULL REFERENCES papers (pk) ON DELETE CASCADE,
    source   text    NOT NULL,
    as_of    date    NOT NULL,
    found    integer NOT NULL,
    PRIMARY KEY (paper_pk, source)
);
