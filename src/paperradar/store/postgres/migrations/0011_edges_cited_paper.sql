-- As SQLite's 0014: each edge carries the corpus paper its work is (`cited_pk`, NULL for a stub), so
-- the graph's reads go paper to paper without a lookup in `works` per edge (bench/graph.py); a trigger
-- keeps it in step when a work is claimed, and deleting the paper clears it.

ALTER TABLE citation_edges ADD COLUMN cited_pk bigint REFERENCES papers (pk) ON DELETE SET NULL;

UPDATE citation_edges e SET cited_pk = w.paper_pk FROM works w WHERE w.pk = e.work_pk AND w.paper_pk IS NOT NULL;

-- Both ways as index-only scans: what a paper's neighbours cite, and who cites them.
CREATE INDEX citation_edges_cites ON citation_edges (citing_pk, cited_pk) WHERE cited_pk IS NOT NULL;
CREATE INDEX citation_edges_cited ON citation_edges (cited_pk, citing_pk) WHERE cited_pk IS NOT NULL;

CREATE FUNCTION paperradar_edges_follow_work() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE citation_edges SET cited_pk = NEW.paper_pk WHERE work_pk = NEW.pk;
    RETURN NULL;
END $$;

CREATE TRIGGER works_paper_edges AFTER UPDATE OF paper_pk ON works
FOR EACH ROW WHEN (OLD.paper_pk IS DISTINCT FROM NEW.paper_pk)
EXECUTE FUNCTION paperradar_edges_follow_work();
