-- Each edge carries the corpus paper its work is (`cited_pk`, NULL for a stub), so the graph's reads go
-- paper to paper without a lookup in `works` per edge: at 2.5M edges the prior and derivative works of
-- a paper with 1,200 neighbours read ~40k edges, and those lookups were most of their time
-- (bench/graph.py). The trigger keeps it in step when a work is claimed; deleting the paper clears it.

ALTER TABLE citation_edges ADD COLUMN cited_pk INTEGER REFERENCES papers (pk) ON DELETE SET NULL;

UPDATE citation_edges SET cited_pk = (SELECT paper_pk FROM works WHERE works.pk = citation_edges.work_pk);

-- Who cites a paper, and the neighbours' citers; the other way (what a paper cites) is the primary key,
-- whose rows hold `cited_pk` already.
CREATE INDEX citation_edges_cited ON citation_edges (cited_pk, citing_pk) WHERE cited_pk IS NOT NULL;

CREATE TRIGGER works_paper_edges AFTER UPDATE OF paper_pk ON works
WHEN new.paper_pk IS NOT old.paper_pk BEGIN
    UPDATE citation_edges SET cited_pk = new.paper_pk WHERE work_pk = new.pk;
END;
