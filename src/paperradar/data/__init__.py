"""The bundled demo: 450 seed papers, five weeks of arXiv listings (DEMO-SOURCE.md) and their MiniLM vectors."""
