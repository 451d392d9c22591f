import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_invitation_attempt_counts():
    """families.throttle counts failed invitation tries in the cache: start each test at 0."""
    cache.clear()
    yield
    cache.clear()
