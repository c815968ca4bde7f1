"""The largest import the settings allow, and how long it holds the database for writing:
`python -m benchmarks.imports` (part of `make bench`; set DATABASE_URL for PostgreSQL).

It builds an export at every limit at once (IMPORT_MAX_SESSIONS sessions, IMPORT_MAX_ROUTINES
routines of ROUTINE_MAX_STEPS steps, IMPORT_MAX_TOOLS tools, IMPORT_MAX_PRODUCTS products,
PHOTO_QUOTA photos, a reminder plan with MAX_SENT reminders sent), imports it into a new
account on a throwaway database (a SQLite file by default, as deployed: WAL, IMMEDIATE
transactions), and meanwhile has another person log a session every few milliseconds from
another thread. It prints the import's phases, the time
its one transaction held the write lock, and the other person's slowest write.

`largest_export()` is also what the tests import (tests/test_import_limits.py).
"""

import io
import json
import os
import sys
import tempfile
import threading
import time
import zipfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from PIL import Image

GOAL_WRITE_SECONDS = 1.0


def tiny_jpeg(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 6), colour).save(out, "JPEG", quality=70)
    return out.getvalue()


def largest_export(
    *,
    sessions: int,
    routines: int,
    steps: int,
    tools: int,
    products: int,
    photos: int,
    today: date,
    reminders_sent: int = 0,
) -> bytes:
    """An export ZIP at the given counts, made in bulk (a few seconds at the defaults).

    Every record is one the forms accept: dates in range, names within their lengths, links
    between the records as a real account has them.
    """
    first = today - timedelta(days=sessions // 3 + 10)
    tool_keys = [f"tool-{n}" for n in range(1, tools + 1)]
    product_keys = [f"product-{n}" for n in range(1, products + 1)]
    document = {
        "format": "facetrack-export",
        "version": 1,
        "profile": {"timezone": "Europe/Berlin", "week_start": 6, "target_minutes": 10},
        "tools": [
            {"key": key, "name": f"Roller {n}", "kind": "jade_roller", "material": "jade"}
            for n, key in enumerate(tool_keys)
        ],
        "products": [
            {"key": key, "name": f"Oil {n}", "kind": "oil", "patch_test": "passed"}
            for n, key in enumerate(product_keys)
        ],
        "routines": [
            {
                "key": f"routine-{r}",
                "name": f"Routine {r}",
                "description": "Upward strokes",
                "products": product_keys[r % max(products, 1) :][:1],
                "steps": [
                    {
                        "technique": "effleurage",
                        "area": "neck",
                        "seconds": 30,
                        "instruction": f"Step {s}",
                        "tool": tool_keys[(r + s) % tools] if tools else None,
                    }
                    for s in range(steps)
                ],
            }
            for r in range(1, routines + 1)
        ],
        "sessions": [
            {
                "key": f"session-{n}",
                "performed_at": f"{first + timedelta(days=n // 3)}T{7 + 6 * (n % 3):02d}:30Z",
                "local_date": str(first + timedelta(days=n // 3)),
                "minutes": 10,
                "techniques": ["effleurage", "lymphatic"],
                "areas": ["neck", "jawline"],
                "pressure": "gentle",
                "clean_hands_and_tools": n % 3 == 0,
                "reaction": "none",
                "rating": 1 + n % 5,
                "notes": "Felt calm" if n % 4 == 0 else "",
                "routine": f"routine-{1 + n % routines}" if routines else None,
                "tools": tool_keys[n % tools :][:1] if tools else [],
                "products": product_keys[n % products :][:1] if products else [],
            }
            for n in range(sessions)
        ],
        "rest_weeks": [
            {"week_start": str(first + timedelta(weeks=w)), "reason": ""} for w in range(3)
        ],
        "photos": [
            {
                "taken_at": f"{first + timedelta(days=n % max(sessions // 3, 1))}T08:00:00+00:00",
                "angle": "front",
                "timing": "before",
                "file": f"photos/photo-{n}.jpg",
                "session": f"session-{n}" if n < sessions else None,
            }
            for n in range(photos)
        ],
        "reminders": {
            "plan": {
                "days": [0, 2, 4],
                "time": "07:45",
                "mode": "behind",
                "by_email": True,
                "enabled": True,
            },
            "calendar_feed": True,
            "sent": [
                {
                    "occurrence": f"{today - timedelta(days=n)}T06:45:00+00:00",
                    "status": "sent",
                    "attempts": 1,
                    "delivered": ["email"],
                    "note": "",
                }
                for n in range(1, reminders_sent + 1)
            ],
        },
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(document))
        for n in range(photos):
            info = zipfile.ZipInfo(f"photos/photo-{n}.jpg")
            archive.writestr(info, tiny_jpeg((n % 256, 128, 255 - n % 256)))
    return out.getvalue()


def main() -> None:
    with tempfile.TemporaryDirectory() as var:
        os.environ.setdefault("DJANGO_VAR_DIR", var)
        os.environ.setdefault("DJANGO_MEDIA_ROOT", str(Path(var) / "media"))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        import django

        django.setup()
        run()


def run() -> None:
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.db import connection, connections

    from tracker.models import MassageSession
    from tracker.portability import import_zip
    from tracker.portability.reminders import MAX_SENT

    vendor = connection.vendor
    if vendor == "postgresql":
        # A throwaway database beside the configured one's: never write into real data.
        settings.DATABASES["default"]["NAME"] = (
            f"{settings.DATABASES['default']['NAME']}_bench_imports"
        )
        create_postgres_database(settings.DATABASES["default"])
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    data = largest_export(
        sessions=settings.IMPORT_MAX_SESSIONS,
        routines=settings.IMPORT_MAX_ROUTINES,
        steps=settings.ROUTINE_MAX_STEPS,
        tools=settings.IMPORT_MAX_TOOLS,
        products=settings.IMPORT_MAX_PRODUCTS,
        photos=settings.PHOTO_QUOTA,
        today=datetime.now(UTC).date() - timedelta(days=1),
        reminders_sent=MAX_SENT,
    )
    built = time.perf_counter() - started
    importer = User.objects.create_user("importer")
    other = User.objects.create_user("neighbour")

    waits: list[float] = []
    failures: list[Exception] = []
    done = threading.Event()

    def neighbour() -> None:
        # Another person logging all along: each write timed, none may fail.
        try:
            owner = User.objects.get(pk=other.pk)
            while not done.is_set():
                began = time.perf_counter()
                try:
                    MassageSession.objects.log(owner, performed_at=datetime.now(UTC), minutes=5)
                except Exception as error:
                    failures.append(error)
                waits.append(time.perf_counter() - began)
                time.sleep(0.005)
        finally:
            connections.close_all()

    thread = threading.Thread(target=neighbour)
    thread.start()
    started = time.perf_counter()
    result = import_zip(importer, io.BytesIO(data))
    total = time.perf_counter() - started
    done.set()
    thread.join()

    print(
        f"database={vendor} archive_mb={len(data) / 1e6:.1f} built_in_s={built:.1f} "
        f"sessions={result.sessions} routines={result.routines} tools={result.tools} "
        f"products={result.products} photos={result.photos}"
    )
    print(f"import total_s={total:.2f} write_transaction_s={result.write_seconds:.3f}")
    print(
        f"neighbour writes={len(waits)} failed={len(failures)} "
        f"slowest_ms={max(waits) * 1000:.0f} median_ms={sorted(waits)[len(waits) // 2] * 1000:.1f}"
    )
    met = "yes" if result.write_seconds < GOAL_WRITE_SECONDS else "NO"
    if vendor == "sqlite":
        print(f"goal write lock < {GOAL_WRITE_SECONDS:.0f} s: {result.write_seconds:.3f} s {met}")
    else:
        # No database-wide write lock: only the importer's own rows are locked meanwhile.
        print(f"transaction {result.write_seconds:.3f} s; other people's writes do not wait for it")
    if vendor == "postgresql":
        connections.close_all()
    if failures:
        sys.exit(f"another person's write failed during the import: {failures[0]}")


def create_postgres_database(config: dict) -> None:
    import psycopg

    params = {"host": config["HOST"], "port": config["PORT"], "user": config["USER"]}
    if config.get("PASSWORD"):
        params["password"] = config["PASSWORD"]
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}"')
        admin.execute(f'CREATE DATABASE "{config["NAME"]}"')


if __name__ == "__main__":
    main()
