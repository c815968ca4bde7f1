"""The reminder scheduler's cost per run: `python -m benchmarks.reminders`.

`make bench-reminders` runs it (about 15 s).

Seeds a throwaway database with 10,000 people and their reminder plans (ten time zones, two
to four days a week at times from 06:00 to 22:00 in five-minute steps, a third of them with a
session this week, some in a rest week, half in "only when behind" mode), then times
`tracker.reminders.scheduler.run_once`, the scheduler's whole work for one minute:

- an idle minute: nothing due (most minutes of the day);
- the 30 busiest minutes of the seeded day, one after the other;
- everyone at once: all plans due in the same minute, the worst case.

SQLite in a temporary folder by default; with DATABASE_URL set (scripts/with-postgres.sh),
PostgreSQL, in a database of its own that is created and dropped.
"""

import argparse
import os
import random
import secrets
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from pathlib import Path

ZONES = [
    "Europe/Paris",
    "Europe/London",
    "America/New_York",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Asia/Tokyo",
    "Asia/Kolkata",
    "Australia/Sydney",
    "Pacific/Auckland",
    "Africa/Lagos",
]
# A Monday, far from any DST change in the zones above.
START = datetime(2027, 1, 18, 0, 0, tzinfo=UTC)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", type=int, default=10_000)
    parser.add_argument("--idle-runs", type=int, default=30)
    parser.add_argument("--busy-minutes", type=int, default=30)
    options = parser.parse_args()
    with throwaway_database():
        run(options)


@contextmanager
def throwaway_database():
    with tempfile.TemporaryDirectory(prefix="facetrack-bench-") as folder:
        os.environ["DJANGO_VAR_DIR"] = folder
        os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
        os.environ["DJANGO_DEBUG"] = "0"
        os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
        url = os.environ.get("DATABASE_URL")
        name = None
        if url:
            name = f"facetrack_bench_{secrets.token_hex(4)}"
            _postgres(url, f"CREATE DATABASE {name}")
            os.environ["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + name
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        try:
            yield Path(folder)
        finally:
            from django.db import connections

            connections.close_all()
            if name:
                _postgres(url, f"DROP DATABASE {name}")


def _postgres(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as connection:
        connection.execute(statement)


def run(options) -> None:
    from django.db import connection

    began = time.perf_counter()
    seeded = seed(options.plans)
    print(
        f"seeded {options.plans} people with reminder plans on {connection.vendor} "
        f"({seeded['sessions']} sessions this week, {seeded['rest']} in a rest week) "
        f"in {time.perf_counter() - began:.1f} s"
    )
    idle(options.idle_runs)
    busy(options.busy_minutes)
    everyone_at_once(options.plans)


def seed(count: int) -> dict[str, int]:
    from django.contrib.auth.models import User
    from django.db import transaction

    from tracker.models import MassageSession, Profile, ReminderPlan, RestWeek
    from tracker.reminders import due

    rng = random.Random(20270118)
    with transaction.atomic():
        User.objects.bulk_create(
            [
                User(username=f"person{n}", password="!", email=f"p{n}@example.org")
                for n in range(count)
            ],
            batch_size=2000,
        )
        users = list(User.objects.order_by("pk"))
        profiles, plans, sessions, rests = [], [], [], []
        for user in users:
            zone = rng.choice(ZONES)
            profile = Profile(user=user, timezone=zone, week_start=rng.choice([0, 0, 0, 6]))
            profiles.append(profile)
            plan = ReminderPlan(
                owner=user,
                days=sorted(rng.sample(range(7), rng.randint(2, 4))),
                at=clock(rng.randint(6, 21), rng.choice(range(0, 60, 5))),
                mode=rng.choice(list(ReminderPlan.Mode.values)),
                by_email=True,
            )
            plan.next_due_at = due.next_occurrence(
                START, days=plan.weekdays, at=plan.at, zone=profile.zone
            )
            plans.append(plan)
            if rng.random() < 1 / 3:
                sessions.append(
                    MassageSession(
                        owner=user, performed_at=START, local_date=START.date(), minutes=10
                    )
                )
            if rng.random() < 0.05:
                rests.append(RestWeek(owner=user, week_start=START.date()))
        # bulk_create sends no post_save: the profiles are made here, as the signal would.
        Profile.objects.bulk_create(profiles, batch_size=2000)
        ReminderPlan.objects.bulk_create(plans, batch_size=2000)
        MassageSession.objects.bulk_create(sessions, batch_size=2000)
        RestWeek.objects.bulk_create(rests, batch_size=2000)
    return {"sessions": len(sessions), "rest": len(rests)}


def timed(now: datetime):
    from django.db import connection

    from tracker.reminders.scheduler import run_once

    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        began = time.perf_counter()
        report = run_once(now)
        elapsed = time.perf_counter() - began
    return elapsed * 1000, report, len(queries)


def idle(runs: int) -> None:
    from tracker.models import ReminderPlan

    first = ReminderPlan.objects.order_by("next_due_at").values_list("next_due_at", flat=True)[0]
    quiet = first - timedelta(seconds=30)
    timed(quiet)  # the first run of the hour prunes: not a typical minute
    results = [timed(quiet) for _ in range(runs)]
    times = sorted(ms for ms, _, _ in results)
    print(
        f"idle minute      p50_ms={statistics.median(times):.2f} max_ms={times[-1]:.2f} "
        f"queries={results[0][2]} ({runs} runs, nothing due)"
    )


def busy(minutes: int) -> None:
    from django.db.models import Count

    from tracker.models import ReminderPlan

    slots = list(
        ReminderPlan.objects.values("next_due_at")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("next_due_at", "n")[:minutes]
    )
    results = []
    for moment, _ in sorted(slots):
        results.append(timed(moment + timedelta(seconds=1)))
    times = sorted(ms for ms, _, _ in results)
    due = [report.due for _, report, _ in results]
    claimed = [report.claimed for _, report, _ in results]
    per_plan = sum(times) / max(sum(due), 1)
    print(
        f"busiest minutes  p50_ms={statistics.median(times):.2f} max_ms={times[-1]:.2f} "
        f"due/min={statistics.median(due):.0f} (max {max(due)}) "
        f"enqueued/min={statistics.median(claimed):.0f} per_due_plan_ms={per_plan:.3f}"
    )


def everyone_at_once(count: int) -> None:
    from tracker.models import ReminderPlan
    from tracker.reminders import scheduler

    moment = START + timedelta(days=1, hours=7)
    ReminderPlan.objects.update(next_due_at=moment)
    ms, report, queries = timed(moment + timedelta(seconds=1))
    batches = -(-count // scheduler.BATCH)
    print(
        f"everyone at once ms={ms:.0f} due={report.due} enqueued={report.claimed} "
        f"skipped={sum(report.skipped.values())} queries={queries} ({batches} batches of "
        f"{scheduler.BATCH}); per_due_plan_ms={ms / max(report.due, 1):.3f}"
    )


if __name__ == "__main__":
    sys.exit(main())
