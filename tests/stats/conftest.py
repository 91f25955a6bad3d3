import pytest

from stats.services import stats_pack_load


@pytest.fixture
def stats_pack(db):
    """The comms pack's statistics, sources, metrics and the /statistics/ page, loaded."""
    return stats_pack_load(reset=False)
