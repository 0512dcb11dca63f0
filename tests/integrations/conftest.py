import pytest


@pytest.fixture
def no_allowed_hosts(settings):
    """The production default: no host is exempt from the SSRF guard's address check."""
    settings.ICAL_ALLOWED_HOSTS = []
