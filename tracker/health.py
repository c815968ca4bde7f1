"""Is the app healthy? One check per part, for /health/ and `manage.py background_status`.

Each check answers for itself: the database, each cache the app uses, then the background
processes. A load balancer asks /health/ on every server: a server whose database or cache does
not answer is taken out of rotation, and the failing part is named.
"""

import os
import secrets
import socket
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError, connection
from django.utils import timezone

from tracker.models import BackgroundRun

# The background processes, as they name themselves in BackgroundRun.
PROCESSES = {
    "scheduler": "manage.py schedule_reminders",
    "worker": "manage.py db_worker",
}


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    details: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"ok": self.ok, **self.details}


def failure(error: BaseException) -> dict[str, Any]:
    """What went wrong, by kind only: a message could carry a password from a connection URL."""
    return {"error": type(error).__name__}


def database(now: datetime) -> list[Check]:
    """The database answers a query (one round trip, on this process's connection)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return [Check("database", False, failure(error))]
    return [Check("database", True)]


# The caches checked, by alias; `pages` only where the settings define it.
CACHE_ALIASES = ("default", "pages")
# One key per process, overwritten by each check and gone a minute later.
CACHE_KEY = f"health:{socket.gethostname()}:{os.getpid()}"


def cache(now: datetime) -> list[Check]:
    """Each cache keeps what was just written to it: a round trip, set then get."""
    checks = []
    for alias in CACHE_ALIASES:
        if alias not in settings.CACHES:
            continue
        name = "cache" if alias == "default" else f"cache_{alias}"
        value = secrets.token_hex(8)
        try:
            caches[alias].set(CACHE_KEY, value, timeout=60)
            ok = caches[alias].get(CACHE_KEY) == value
        except Exception as error:  # each backend raises errors of its own
            checks.append(Check(name, False, failure(error)))
            continue
        checks.append(Check(name, ok, {} if ok else {"error": "value not kept"}))
    return checks


def background(now: datetime) -> list[Check]:
    """The worker and the scheduler are alive while their last run is recent."""
    try:
        runs = BackgroundRun.objects.last_runs()
    except DatabaseError as error:
        return [Check(name, False, failure(error)) for name in PROCESSES]
    checks = []
    for name in PROCESSES:
        run = runs.get(name)
        if run is None:
            checks.append(Check(name, False, {"last_run": None}))
            continue
        age = max((now - run.last_run_at).total_seconds(), 0)
        checks.append(
            Check(
                name,
                age <= settings.BACKGROUND_STALE_SECONDS,
                {"last_run": run.last_run_at.isoformat(), "seconds_ago": round(age)},
            )
        )
    return checks


CHECKS = [database, cache, background]


def run_checks(now: datetime | None = None) -> list[Check]:
    now = now or timezone.now()
    return [check for function in CHECKS for check in function(now)]
