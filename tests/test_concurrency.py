"""Many people logging at the same moment on one SQLite file: nobody sees "database is locked"."""

import threading
import time
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.utils import timezone

from tests.factories import make_routine
from tests.sqlite_file import default_database_in_file, sqlite_only
from tracker.forms import SessionForm
from tracker.models import MassageSession, Routine

THREADS = 8
SESSIONS_EACH = 50

pytestmark = [sqlite_only, pytest.mark.django_db(transaction=True)]


def log_sessions(
    index: int, user_pk: int, routine_pk: int, start: threading.Barrier, errors: list
) -> None:
    """One writer: half the threads log through the full form, half through one tap."""
    try:
        # Each thread has its own connection, and its own copies of the rows it reads.
        owner = User.objects.select_related("profile").get(pk=user_pk)
        routine = Routine.objects.get(pk=routine_pk)
        base = timezone.now() - timedelta(days=2)
        start.wait(timeout=10)
        for n in range(SESSIONS_EACH):
            performed_at = base - timedelta(minutes=index * SESSIONS_EACH + n)
            with transaction.atomic():
                if index % 2:
                    MassageSession.log_routine(routine, owner, performed_at=performed_at)
                else:
                    form = SessionForm(
                        {
                            "performed_at": performed_at.strftime("%Y-%m-%dT%H:%M"),
                            "minutes": 10,
                            "pressure": "gentle",
                            "reaction": "none",
                            "techniques": ["effleurage"],
                        },
                        user=owner,
                    )
                    if not form.is_valid():
                        raise AssertionError(form.errors.as_text())
                    MassageSession.objects.log(owner, **form.cleaned_data)
    except Exception as error:
        errors.append(error)
    finally:
        connection.close()


def test_eight_writers_logging_fifty_sessions_each_at_once_all_succeed(make_user, tmp_path):
    with default_database_in_file(tmp_path / "concurrent.sqlite3"):
        user = make_user("alice")
        routine = make_routine(user)
        before = MassageSession.objects.count()
        start, errors = threading.Barrier(THREADS), []
        threads = [
            threading.Thread(target=log_sessions, args=(i, user.pk, routine.pk, start, errors))
            for i in range(THREADS)
        ]
        began = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

        assert not any(thread.is_alive() for thread in threads)
        assert not [e for e in errors if "database is locked" in str(e)]
        assert errors == []
        assert MassageSession.objects.count() - before == THREADS * SESSIONS_EACH
        assert time.monotonic() - began < 10


def test_the_writers_really_share_one_file_in_wal_mode(make_user, tmp_path):
    # Guards the test above: it proves nothing against the in-memory test database.
    seen = {}

    def look() -> None:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            seen["mode"] = cursor.fetchone()[0]
        seen["name"] = connection.settings_dict["NAME"]
        connection.close()

    with default_database_in_file(tmp_path / "shared.sqlite3") as path:
        thread = threading.Thread(target=look)
        thread.start()
        thread.join()
    assert seen == {"mode": "wal", "name": str(path)}
