-- A change log of paper texts, so the tantivy BM25 index beside each server (store/bm25.py) catches
-- up by reading the rows written since the last one it applied, as the SQLite backend's does
-- (its 0004). Writers hold the store's advisory write lock, so rows commit in seq order.

CREATE TABLE text_changes (
    seq      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    paper_pk bigint NOT NULL
);

INSERT INTO text_changes (paper_pk) SELECT pk FROM papers ORDER BY pk;

-- Names this database for the index files kept outside it: a database dropped and made again
-- under the same name gets a new id, so an index of the old one is never read as the new one's.
CREATE TABLE paperradar_instance (
    id text PRIMARY KEY
);

INSERT INTO paperradar_instance (id) VALUES (md5(random()::text || clock_timestamp()::text));

CREATE FUNCTION paperradar_text_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO text_changes (paper_pk) VALUES (OLD.pk);
    ELSE
        INSERT INTO text_changes (paper_pk) VALUES (NEW.pk);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER text_changes_insert AFTER INSERT ON papers
FOR EACH ROW EXECUTE FUNCTION paperradar_text_changed();

CREATE TRIGGER text_changes_update AFTER UPDATE OF title, abstract, authors ON papers
FOR EACH ROW WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.abstract IS DISTINCT FROM NEW.abstract
                   OR OLD.authors IS DISTINCT FROM NEW.authors)
EXECUTE FUNCTION paperradar_text_changed();

CREATE TRIGGER text_changes_delete AFTER DELETE ON papers
FOR EACH ROW EXECUTE FUNCTION paperradar_text_changed();
