"""`manage.py run_oncall_events`: the on-call events in one process, without a broker.

It runs, then sleeps until the next change the engine foretold (or a delivery's retry), at
most ONCALL_EVENTS_TICK_SECONDS so that edits are seen soon; `--once` runs once (cron)."""

import signal
import threading
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from oncall_events.runner import next_wake, run_once


class Command(BaseCommand):
    help = "Record on-call changes and carry out their Slack calls and webhook deliveries."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run once and exit")

    def handle(self, *args, once: bool = False, **options):
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        while not stop.is_set():
            now = timezone.now()
            report = run_once(now)
            if report.recorded or report.delivered or report.failed:
                self.stdout.write(
                    f"{now.isoformat()} recorded {report.recorded}, delivered "
                    f"{report.delivered}, failed {report.failed}"
                )
            if once:
                return
            tick = timedelta(seconds=settings.ONCALL_EVENTS_TICK_SECONDS)
            after = timezone.now()
            wake = min(next_wake(after) or after + tick, after + tick)
            # At least a second: a delivery waiting behind another must not make this spin.
            stop.wait(max((wake - timezone.now()).total_seconds(), 1.0))
