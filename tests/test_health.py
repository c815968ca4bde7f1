"""tracker/health.py: the database and the caches, each checked for itself and named when it fails.

The background processes' checks are exercised through /health/ in tests/views/test_health.py.
"""

import pytest
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

from tracker import health
from tracker.models import BackgroundRun

LOCMEM = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
# Nothing listens on port 1: every command to this Redis fails at once.
UNREACHABLE_REDIS = {
    "BACKEND": "django.core.cache.backends.redis.RedisCache",
    "LOCATION": "redis://127.0.0.1:1/0",
}


class UnreachableDatabase:
    """Stands in for django.db.connection when the database server is gone."""

    def cursor(self):
        raise OperationalError("connection refused")


@pytest.fixture
def database_gone(monkeypatch):
    monkeypatch.setattr(health, "connection", UnreachableDatabase())

    def refuse():
        raise OperationalError("connection refused")

    monkeypatch.setattr(BackgroundRun.objects, "last_runs", refuse)


def checks_by_name(function) -> dict[str, health.Check]:
    return {check.name: check for check in function(timezone.now())}


def test_the_database_check_passes_when_the_database_answers(db):
    assert checks_by_name(health.database) == {"database": health.Check("database", True)}


def test_the_database_check_fails_and_names_the_error_when_the_database_is_gone(db, database_gone):
    check = checks_by_name(health.database)["database"]

    assert not check.ok
    # The kind of error only: a driver's message can carry a connection string.
    assert check.as_json() == {"ok": False, "error": "OperationalError"}


def test_without_a_database_the_background_checks_fail_instead_of_raising(db, database_gone):
    checks = checks_by_name(health.background)

    assert {name: check.ok for name, check in checks.items()} == {
        "scheduler": False,
        "worker": False,
    }


def test_a_database_gone_answers_503_naming_the_database(client, db, database_gone, settings):
    settings.CACHES = {"default": LOCMEM}

    response = client.get(reverse("tracker:health"))

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "failing"
    assert body["checks"]["database"] == {"ok": False, "error": "OperationalError"}
    assert body["checks"]["cache"] == {"ok": True}


def test_the_cache_check_is_a_round_trip_on_the_default_cache(db, settings):
    settings.CACHES = {"default": LOCMEM}

    assert checks_by_name(health.cache) == {"cache": health.Check("cache", True)}

    from django.core.cache import caches

    # What it wrote is what it read back, under this process's key.
    assert caches["default"].get(health.CACHE_KEY) is not None


def test_the_pages_cache_is_checked_when_the_settings_have_one(db, settings):
    settings.CACHES = {"default": LOCMEM, "pages": {**LOCMEM, "LOCATION": "pages"}}

    assert set(checks_by_name(health.cache)) == {"cache", "cache_pages"}


def test_a_cache_that_forgets_what_it_was_given_fails(db, settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }

    assert checks_by_name(health.cache)["cache"].as_json() == {
        "ok": False,
        "error": "value not kept",
    }


def test_an_unreachable_redis_fails_its_cache_check_by_name(client, db, settings):
    settings.CACHES = {"default": LOCMEM, "pages": UNREACHABLE_REDIS}
    BackgroundRun.objects.record("worker")
    BackgroundRun.objects.record("scheduler")

    response = client.get(reverse("tracker:health"))

    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["cache"] == {"ok": True}
    assert checks["cache_pages"] == {"ok": False, "error": "ConnectionError"}
    assert checks["database"]["ok"] and checks["worker"]["ok"]


def test_everything_answering_is_200(client, db, settings):
    settings.CACHES = {"default": LOCMEM, "pages": {**LOCMEM, "LOCATION": "pages"}}
    BackgroundRun.objects.record("worker")
    BackgroundRun.objects.record("scheduler")

    response = client.get(reverse("tracker:health"))

    assert response.status_code == 200
    assert set(response.json()["checks"]) == {
        "database",
        "cache",
        "cache_pages",
        "worker",
        "scheduler",
    }
