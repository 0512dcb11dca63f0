"""Celery application; used only when CELERY_BROKER_URL is set (see README, Deployment)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oncall.settings")

app = Celery("oncall")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
