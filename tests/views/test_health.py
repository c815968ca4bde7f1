"""/health/: does the database answer, does the cache, is the worker alive, is the scheduler?"""

from datetime import timedelta

import pytest
from django.urls import reverse

from tests.task_worker import run_worker
from tracker.models import BackgroundRun
from tracker.reminders.scheduler import run_once

HEALTH = "tracker:health"


def test_the_health_check_fails_until_the_worker_and_the_scheduler_have_run(client, db):
    response = client.get(reverse(HEALTH))

    assert response.status_code == 503
    assert response.json() == {
        "status": "failing",
        "checks": {
            "database": {"ok": True},
            "cache": {"ok": True},
            "cache_pages": {"ok": True},
            "scheduler": {"ok": False, "last_run": None},
            "worker": {"ok": False, "last_run": None},
        },
    }


@pytest.mark.django_db(transaction=True)
def test_the_health_check_passes_once_a_scheduler_run_has_woken_the_worker(client):
    run_once()
    assert client.get(reverse(HEALTH)).json()["checks"]["worker"]["ok"] is False

    run_worker()
    response = client.get(reverse(HEALTH))

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "cache_pages", "scheduler", "worker"}
    assert body["checks"]["worker"]["seconds_ago"] < 60
    assert "no-cache" in response["Cache-Control"]


def test_a_process_silent_for_longer_than_allowed_counts_as_dead(
    client, db, settings, now, time_machine
):
    settings.BACKGROUND_STALE_SECONDS = 300
    BackgroundRun.objects.record("worker")
    time_machine.move_to(now + timedelta(seconds=200), tick=False)
    BackgroundRun.objects.record("scheduler")
    time_machine.move_to(now + timedelta(seconds=301), tick=False)

    response = client.get(reverse(HEALTH))

    assert response.status_code == 503
    checks = response.json()["checks"]
    assert (checks["scheduler"]["ok"], checks["worker"]["ok"]) == (True, False)


def test_the_health_check_is_read_only_and_public(client, db):
    assert client.post(reverse(HEALTH)).status_code == 405
    assert client.head(reverse(HEALTH)).status_code == 503


def test_the_health_check_costs_two_queries_besides_the_cache(
    client, db, settings, django_assert_num_queries
):
    """One to ask the database, one for the background processes' last runs."""
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    BackgroundRun.objects.record("scheduler")
    with django_assert_num_queries(2):
        client.get(reverse(HEALTH))
