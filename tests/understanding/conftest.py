import pytest

from chalicelib import understanding as routing


@pytest.fixture(autouse=True)
def _fresh_routing_data(monkeypatch):
    """Every test starts (and ends) with the shipped data files."""
    monkeypatch.delenv("ULAKBEL_TAXONOMY_FILE", raising=False)
    monkeypatch.delenv("ULAKBEL_NEIGHBOURHOODS_FILE", raising=False)
    routing.reload()
    yield
    routing.reload()
