"""A log sent twice (double tap, a form sent again, an offline replay) makes one session."""

import re
import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_routine
from tests.sqlite_file import database_shared_by_threads
from tracker.models import MassageSession

HTMX = {"HX-Request": "true", "HX-Target": "log-status"}


def one_tap(client: Client, routine, client_id, **extra):
    data = {"client_id": str(client_id), **extra}
    return client.post(reverse("tracker:log-routine", args=[routine.pk]), data, headers=HTMX)


def test_the_same_one_tap_sent_twice_logs_once_and_answers_alike(user, user_client):
    routine = make_routine(user)
    sent = uuid.uuid4()

    first = one_tap(user_client, routine, sent)
    second = one_tap(user_client, routine, sent)

    assert MassageSession.objects.for_user(user).count() == 1
    session = MassageSession.objects.get()
    assert session.client_id == sent
    assert first.status_code == second.status_code == 200
    edit_link = reverse("tracker:session-edit", args=[session.pk])
    assert edit_link in first.text and edit_link in second.text


def test_two_different_ids_log_two_sessions(user, user_client):
    routine = make_routine(user)

    one_tap(user_client, routine, uuid.uuid4())
    one_tap(user_client, routine, uuid.uuid4())

    assert MassageSession.objects.for_user(user).count() == 2


def test_the_answer_gives_the_tapped_form_a_fresh_id_for_its_next_log(user, user_client):
    routine = make_routine(user)
    sent = uuid.uuid4()

    response = one_tap(user_client, routine, sent)

    fresh = re.search(
        rf'<input type="hidden" name="client_id" id="client-id-{routine.pk}" '
        r'value="([0-9a-f-]{36})" hx-swap-oob="true">',
        response.text,
    )
    assert fresh and uuid.UUID(fresh[1]) != sent


def test_the_dashboard_gives_every_one_tap_form_its_own_id(user, user_client):
    make_routine(user, "Morning"), make_routine(user, "Evening")

    page = user_client.get(reverse("tracker:dashboard")).text

    ids = re.findall(r'name="client_id" id="client-id-\d+" value="([0-9a-f-]{36})"', page)
    assert len(ids) == 2 and len(set(ids)) == 2


def test_the_same_id_used_by_another_person_is_just_another_id(user, other_user, client_for):
    sent = uuid.uuid4()
    one_tap(client_for(user), make_routine(user), sent)

    response = one_tap(client_for(other_user), make_routine(other_user), sent)

    assert response.status_code == 200
    assert MassageSession.objects.for_user(other_user).get().client_id == sent
    assert MassageSession.objects.for_user(user).count() == 1


def test_a_damaged_id_is_refused_with_400_and_a_message_and_logs_nothing(user, user_client):
    routine = make_routine(user)

    response = one_tap(user_client, routine, "not-a-uuid")

    assert response.status_code == 400
    assert response.json() == {
        "error": "This log carries a damaged id: reload the page and log again."
    }
    assert not MassageSession.objects.exists()


def test_a_one_tap_without_an_id_still_logs(user, user_client):
    routine = make_routine(user)

    user_client.post(reverse("tracker:log-routine", args=[routine.pk]), headers=HTMX)

    assert MassageSession.objects.for_user(user).get().client_id is None


def test_without_javascript_a_double_submit_logs_once_and_both_go_to_the_dashboard(
    user, user_client
):
    routine = make_routine(user)
    url, data = reverse("tracker:log-routine", args=[routine.pk]), {"client_id": uuid.uuid4()}

    responses = [user_client.post(url, data) for _ in range(2)]

    assert [r.status_code for r in responses] == [302, 302]
    assert {r.url for r in responses} == {reverse("tracker:dashboard")}
    assert MassageSession.objects.count() == 1


def test_the_full_form_sent_twice_logs_once(user, user_client):
    data = {
        "client_id": str(uuid.uuid4()),
        "performed_at": (timezone.now() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "minutes": "12",
        "pressure": "gentle",
        "reaction": "none",
    }

    for _ in range(2):
        user_client.post(reverse("tracker:session-new"), data)

    assert MassageSession.objects.for_user(user).get().minutes == 12


def test_the_full_form_refuses_a_damaged_id_with_400(user_client):
    data = {"client_id": "x" * 40, "performed_at": "2026-11-18T08:00", "minutes": "12"}

    response = user_client.post(reverse("tracker:session-new"), data)

    assert response.status_code == 400
    assert "damaged id" in response.json()["error"]


def test_a_log_queued_offline_is_logged_at_the_time_it_was_tapped(user, user_client):
    routine = make_routine(user)
    tapped = datetime(2026, 11, 17, 21, 40, tzinfo=UTC)

    one_tap(user_client, routine, uuid.uuid4(), performed_at=tapped.isoformat())

    assert MassageSession.objects.get().performed_at == tapped


def test_a_one_tap_in_the_future_is_refused(user, user_client):
    routine = make_routine(user)
    later = (timezone.now() + timedelta(hours=2)).isoformat()

    response = one_tap(user_client, routine, uuid.uuid4(), performed_at=later)

    assert response.status_code == 400
    assert "future" in response.json()["error"]
    assert not MassageSession.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_same_id_sent_from_two_threads_at_once_logs_once(make_user, tmp_path):
    with database_shared_by_threads(tmp_path):
        user = make_user("alice")
        routine = make_routine(user)
        sent, start, answers, errors = uuid.uuid4(), threading.Barrier(2), [], []

        def send() -> None:
            try:
                client = Client()
                client.force_login(User.objects.get(pk=user.pk))
                start.wait(timeout=10)
                answers.append(one_tap(client, routine, sent))
            except Exception as error:  # reported below, with the thread's traceback gone
                errors.append(error)
            finally:
                connection.close()

        threads = [threading.Thread(target=send) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)

        assert errors == []
        assert [a.status_code for a in answers] == [200, 200]
        assert MassageSession.objects.filter(owner=user).count() == 1
