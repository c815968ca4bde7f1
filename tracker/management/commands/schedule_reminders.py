"""The reminder scheduler: every minute, claim the reminders that fell due and enqueue them."""

import logging
import signal
import threading
import time

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections
from django.utils import timezone

from tracker.reminders.scheduler import run_once

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Find the reminders that are due, claim each once and enqueue it for the task worker "
        "(manage.py db_worker). Runs every minute until stopped; --once runs once."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--once", action="store_true", help="Run once, then exit.")
        parser.add_argument(
            "--interval",
            type=int,
            default=60,
            help="Seconds between runs, aligned to the clock (default: 60, on the minute).",
        )

    def handle(self, *args, once: bool, interval: int, verbosity: int, **options) -> None:
        stop = threading.Event()
        if not once:
            for number in (signal.SIGINT, signal.SIGTERM):
                # Finish the run in progress, then exit: a claim is never left half-made.
                signal.signal(number, lambda *_: stop.set())
            self.stdout.write(f"Scheduling reminders every {interval} s (Ctrl-C stops).")
        while not stop.is_set():
            close_old_connections()
            try:
                report = run_once()
            except DatabaseError:
                # The database was away for a moment: the next run picks up what is still due.
                logger.exception("Scheduler run failed")
            else:
                if report.due or report.pruned or verbosity > 1:
                    self.stdout.write(f"{timezone.now():%Y-%m-%d %H:%M:%S} {report.summary()}")
            if once:
                break
            # On the minute (plus a little): a reminder set for 08:00 leaves at 08:00.
            stop.wait(interval - time.time() % interval + 0.1)
