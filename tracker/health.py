"""Is the app healthy? One check per part, for /health/ and `manage.py background_status`.

Each check answers for itself; a later part (the database, the cache) adds its own function
to CHECKS.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.conf import settings
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


def background(now: datetime) -> list[Check]:
    """The worker and the scheduler are alive while their last run is recent."""
    runs = BackgroundRun.objects.last_runs()
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


CHECKS = [background]


def run_checks(now: datetime | None = None) -> list[Check]:
    now = now or timezone.now()
    return [check for function in CHECKS for check in function(now)]
