"""Run part of a test against a real SQLite file instead of the in-memory test database.

WAL, busy timeouts and the backup API only show their behaviour on a file. The default
connection keeps the app's own settings (OPTIONS included) and only changes its file, so
everything the app does (models, forms, transaction.atomic) runs unchanged, and each new
thread opens its own connection to the same file. Use it in a `django_db(transaction=True)`
test: there is no test transaction around it to confuse.
"""

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection, connections

sqlite_only = pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"), reason="SQLite only"
)


@contextmanager
def default_database_in_file(path: Path) -> Iterator[Path]:
    """Point the default connection at a new file holding a copy of the test database."""
    connection = connections["default"]
    connection.ensure_connection()
    # Schema (and content types) from the migrated test database, in milliseconds.
    copy = sqlite3.connect(path)
    connection.connection.backup(copy)
    copy.close()
    # Closing an in-memory database would destroy it: set it aside instead.
    test_database, test_name = connection.connection, connection.settings_dict["NAME"]
    connection.connection = None
    connection.settings_dict["NAME"] = str(path)
    try:
        yield path
    finally:
        connection.close()
        connection.settings_dict["NAME"] = test_name
        connection.connection = test_database


@contextmanager
def database_shared_by_threads(tmp_path: Path) -> Iterator[None]:
    """A database that threads really share: a SQLite file, or PostgreSQL's own test database.

    Use it in a `django_db(transaction=True)` test, so that the threads see committed rows.
    """
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        with default_database_in_file(tmp_path / "shared.sqlite3"):
            yield
    else:
        yield


def run_together(*jobs: Callable[[], Any]) -> list[Any]:
    """Run each job in its own thread, all released at once: what each returned, or raised.

    Each thread has its own database connection (closed at its end): use it inside
    `database_shared_by_threads` in a `django_db(transaction=True)` test.
    """
    start, outcomes = threading.Barrier(len(jobs)), [None] * len(jobs)

    def run(index: int, job: Callable[[], Any]) -> None:
        try:
            start.wait(timeout=10)
            outcomes[index] = job()
        except Exception as error:  # handed back for the test to assert on
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n, job)) for n, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a job did not finish in 60 s"
    return outcomes
