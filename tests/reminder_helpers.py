"""Builders and runners for the reminder tests: plans, the real task worker, fixed moments."""

import signal
from collections.abc import Iterable
from datetime import UTC, datetime, time

from django.core.management import call_command

from tracker.models import ReminderPlan

# Monday 4 January 2027, 08:00 in Paris (07:00 UTC): a reminder's moment, far from any DST
# change, on the first day of a Monday-first week.
MONDAY_EIGHT_PARIS = datetime(2027, 1, 4, 7, 0, tzinfo=UTC)
EVERY_DAY = list(range(7))


def make_plan(
    owner,
    *,
    days: Iterable[int] = EVERY_DAY,
    at: time = time(8, 0),
    mode: str = ReminderPlan.Mode.ALWAYS,
    by_email: bool = True,
) -> ReminderPlan:
    """A plan as the settings form saves it (its next reminder worked out from now)."""
    return ReminderPlan.objects.save_plan(owner, days=days, at=at, mode=mode, by_email=by_email)


def run_worker() -> None:
    """`manage.py db_worker --batch`: run every task that is ready, then return.

    Use it in a `django_db(transaction=True)` test: the worker opens and closes connections
    as it does in production. The worker takes over Ctrl-C and SIGTERM; they are given back.
    """
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        call_command(
            "db_worker",
            "--batch",
            "--no-startup-delay",
            "--no-reload",
            "--interval",
            "0",
            verbosity=0,
        )
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)
