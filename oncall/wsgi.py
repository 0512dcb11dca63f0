"""WSGI entry point (gunicorn oncall.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oncall.settings")
application = get_wsgi_application()

# Objects loaded at start-up live as long as the process: keep them out of the collector's
# full passes, which otherwise walk them again during every large final_shifts computation.
gc.freeze()
