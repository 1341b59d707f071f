import pytest


@pytest.fixture(scope="module")
def seeded_store_library(seeded_db, tmp_path_factory):
    """One read-only seeded library for property tests (hypothesis reuses it across examples)."""
    from paperradar.service import Library
    from paperradar.settings import load_settings

    lib = Library.open(load_settings(database_url=f"sqlite:///{seeded_db}"))
    yield lib
    lib.close()
