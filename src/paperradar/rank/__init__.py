"""Rankings over stored papers: best-of lists by citations (and, later, the daily feed and trending)."""
