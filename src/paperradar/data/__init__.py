"""The bundled demo corpus: the 450 seed papers, so a fresh install has something to show."""
