-- Facts about the database as a whole (e.g. "demo": the day its bundled demo data ends), and the
-- arXiv comment of a paper (pages, figures, venue), which listings carry and the pages show.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

ALTER TABLE papers ADD COLUMN comment TEXT;
