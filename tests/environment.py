"""Loaded with `-p tests.environment` before Django starts: test-only environment defaults."""

import os

os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("API_THROTTLE_RATE", "100000/minute")
