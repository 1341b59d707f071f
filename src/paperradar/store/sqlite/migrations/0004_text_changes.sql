-- A change log of paper texts, so keyword indexes outside the database (tantivy) catch up by
-- reading the rows written since the last one they applied, in whatever process wrote them.

CREATE TABLE text_changes (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    paper_pk INTEGER NOT NULL
);

INSERT INTO text_changes (paper_pk) SELECT pk FROM papers ORDER BY pk;

CREATE TRIGGER text_changes_insert AFTER INSERT ON papers BEGIN
    INSERT INTO text_changes (paper_pk) VALUES (new.pk);
END;

CREATE TRIGGER text_changes_update AFTER UPDATE OF title, abstract, authors ON papers
WHEN old.title IS NOT new.title OR old.abstract IS NOT new.abstract OR old.authors IS NOT new.authors BEGIN
    INSERT INTO text_changes (paper_pk) VALUES (new.pk);
END;

CREATE TRIGGER text_changes_delete AFTER DELETE ON papers BEGIN
    INSERT INTO text_changes (paper_pk) VALUES (old.pk);
END;
