"""WSGI entry point (gunicorn oncall.wsgi)."""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oncall.settings")
application = get_wsgi_application()

# Objects loaded at start-up live as long as the process: keep them out of the collector's
# full passes, which otherwise walk them again during every large final_shifts computation.
gc.freeze()
# A timeline computed after a write makes tens of thousands of tuples that the worker keeps
# (docs/performance.md): at the default threshold (700) the collector ran about 70 times while
# a year of an hourly rotation was computed, and its full passes walked everything kept. Almost
# nothing here makes reference cycles (tuples are freed by their reference counts), so a young
# generation of 50,000 objects costs little memory and spares most of those passes.
gc.set_threshold(50_000, 10, 10)
