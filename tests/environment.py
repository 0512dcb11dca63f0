"""Loaded with `-p tests.environment` before Django starts: test-only environment defaults."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("API_THROTTLE_RATE", "100000/minute")
# pytest-httpserver serves feeds from 127.0.0.1, which the SSRF guard refuses otherwise.
os.environ.setdefault("ICAL_ALLOWED_HOSTS", "127.0.0.1,localhost")
# The test client speaks plain HTTP; production redirects it to HTTPS.
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
