"""The portal as a reader finds it: the comms pack loaded, a post, an issue, a send."""

import pytest

from tests.security.content import portal_content


@pytest.fixture
def portal(db):
    """Every kind of page and admin object the permission matrix visits, by name."""
    return portal_content()
