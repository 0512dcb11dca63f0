"""Settings the type checker loads (django-stubs imports them): the real settings with a
placeholder SECRET_KEY, so that mypy runs without the service's environment."""

import os

os.environ.setdefault("SECRET_KEY", "type-checking-only")

from oncall.settings import *  # noqa: F403
