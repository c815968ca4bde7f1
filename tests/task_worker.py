"""The real task worker, run inside a test: `manage.py db_worker --batch`."""

import signal

from django.core.management import call_command


def run_worker() -> None:
    """Run every task that is ready, then return.

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
