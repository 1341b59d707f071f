"""A paper's neighbourhood as a picture: which papers to show (`pick`), how they link (`links`), where
they sit (`layout`) and how each is drawn (`drawing`). Pure logic over rankings and vectors."""
