-- One vector per paper per embedding model, with a hash of the text it was computed from.

CREATE TABLE embeddings (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,  -- write order: the vector index catches up from its last seq
    paper_pk  INTEGER NOT NULL REFERENCES papers (pk) ON DELETE CASCADE,
    model     TEXT    NOT NULL,
    text_hash TEXT    NOT NULL,
    vector    BLOB    NOT NULL,                   -- float32, little-endian, unit length
    UNIQUE (paper_pk, model)
);

CREATE INDEX embeddings_model_seq ON embeddings (model, seq);

-- A paper whose title or abstract changes is embedded again: dropping its vector puts it back in the queue.
CREATE TRIGGER embeddings_stale AFTER UPDATE OF title, abstract ON papers
WHEN old.title IS NOT new.title OR old.abstract IS NOT new.abstract BEGIN
    DELETE FROM embeddings WHERE paper_pk = old.pk;
END;
