-- /api/stats counted the whole papers table on every call (146-234 ms at 74.7k papers). The counts now
-- live in one row that the writes to papers keep current, so reading them costs a single-row lookup;
-- the years come from min/max over papers_year_citations. Statement-level triggers with transition
-- tables add up a whole COPY or batch at once: one update of the row per statement, not per paper.
-- Writers of papers already queue on the "papers" advisory lock, so the row's lock adds no waiting.

CREATE TABLE paper_counts (
    id             integer PRIMARY KEY CHECK (id = 1),
    papers         bigint NOT NULL,
    with_abstract  bigint NOT NULL,
    with_citations bigint NOT NULL,
    with_arxiv_id  bigint NOT NULL
);

INSERT INTO paper_counts (id, papers, with_abstract, with_citations, with_arxiv_id)
SELECT 1, count(*), count(NULLIF(abstract, '')), count(citations), count(arxiv_id) FROM papers;

CREATE FUNCTION paper_counts_add(sign integer, rows_papers bigint, rows_abstract bigint, rows_citations bigint,
                                 rows_arxiv bigint) RETURNS void LANGUAGE sql AS $$
    UPDATE paper_counts SET papers = papers + sign * rows_papers,
        with_abstract = with_abstract + sign * rows_abstract,
        with_citations = with_citations + sign * rows_citations,
        with_arxiv_id = with_arxiv_id + sign * rows_arxiv
    WHERE id = 1;
$$;

CREATE FUNCTION paper_counts_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM paper_counts_add(1, count(*), count(NULLIF(abstract, '')), count(citations), count(arxiv_id))
    FROM added HAVING count(*) > 0;
    RETURN NULL;
END $$;

CREATE FUNCTION paper_counts_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM paper_counts_add(-1, count(*), count(NULLIF(abstract, '')), count(citations), count(arxiv_id))
    FROM removed HAVING count(*) > 0;
    RETURN NULL;
END $$;

CREATE FUNCTION paper_counts_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM paper_counts_add(1, 0, count(NULLIF(abstract, '')), count(citations), count(arxiv_id)) FROM new_rows;
    PERFORM paper_counts_add(-1, 0, count(NULLIF(abstract, '')), count(citations), count(arxiv_id)) FROM old_rows;
    RETURN NULL;
END $$;

CREATE TRIGGER paper_counts_insert AFTER INSERT ON papers REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION paper_counts_inserted();
CREATE TRIGGER paper_counts_delete AFTER DELETE ON papers REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION paper_counts_deleted();
CREATE TRIGGER paper_counts_update AFTER UPDATE ON papers REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION paper_counts_updated();

-- TRUNCATE fires no delete trigger: an emptied table is counted as empty.
CREATE FUNCTION paper_counts_emptied() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE paper_counts SET papers = 0, with_abstract = 0, with_citations = 0, with_arxiv_id = 0 WHERE id = 1;
    RETURN NULL;
END $$;

CREATE TRIGGER paper_counts_truncate AFTER TRUNCATE ON papers FOR EACH STATEMENT EXECUTE FUNCTION paper_counts_emptied();
