"""Loaded with `-p tests.environment` before Django starts: test-only environment defaults."""

import os

from hypothesis import settings

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("API_THROTTLE_RATE", "100000/minute")
# pytest-httpserver serves feeds from 127.0.0.1, which the SSRF guard refuses otherwise.
os.environ.setdefault("ICAL_ALLOWED_HOSTS", "127.0.0.1,localhost")
# The test client speaks plain HTTP; production redirects it to HTTPS.
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")

# Hypothesis fails an example slower than 200 ms by default: a timed test in all but name, which
# fails on a machine that other work keeps busy (one did: an example that took 19 ms alone took
# 276 ms there). The suite judges examples by their results only.
settings.register_profile("suite", deadline=None)
settings.load_profile("suite")
