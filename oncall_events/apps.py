from django.apps import AppConfig


class OncallEventsConfig(AppConfig):
    name = "oncall_events"
    verbose_name = "On-call log, Slack and webhooks"
