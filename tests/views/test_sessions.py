import io
import re
import uuid
import zipfile
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    make_product,
    make_rest_week,
    make_routine,
    make_session,
    make_tool,
    session_data,
)
from tests.readers import messages_of
from tests.sqlite_file import database_shared_by_threads, run_together
from tracker.models import MAX_SESSION_MINUTES, MassageSession, Product, Tool
from tracker.starters import STARTERS, copy_starter

pytestmark = pytest.mark.django_db

AUCKLAND = ZoneInfo("Pacific/Auckland")
HTMX = {"HX-Request": "true"}
HISTORY = reverse("tracker:history")
SESSION_NEW = reverse("tracker:session-new")

# Session, user and profile (middleware), then the count, the page of sessions, and their
# products (for the patch-test flags).
HISTORY_QUERIES = 6
# And their routines, by key, when a session on the page came from one (not a join: with
# thousands of people PostgreSQL reads the whole routine table for it; make bench-postgres).
HISTORY_QUERIES_WITH_ROUTINES = HISTORY_QUERIES + 1


def triggers(response) -> str:
    return response.headers.get("HX-Trigger", "")


def row_minutes(html: str) -> list[int]:
    return [int(m) for m in re.findall(r'<div class="session-main">.*?<span>(\d+) min', html, re.S)]


# One-tap log


def test_one_tap_logs_the_routine_now_and_answers_htmx_with_the_status(user, user_client, now):
    routine = make_routine(user, "Evening lift")

    response = user_client.post(reverse("tracker:log-routine", args=[routine.pk]), headers=HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="log-status"')
    assert "<html" not in html
    assert "Logged 4 minutes of Evening lift at 12:00." in html
    assert "sessions-changed" in triggers(response)
    session = MassageSession.objects.get()
    assert (session.owner, session.routine, session.performed_at) == (user, routine, now)


ON_DASHBOARD = {**HTMX, "HX-Target": "log-status", "HX-Current-URL": "http://testserver/"}


def test_one_tap_on_the_dashboard_answers_with_every_part_it_changed(
    user, user_client, now, django_assert_num_queries
):
    routine = make_routine(user, "Evening lift")
    make_session(user, now - timedelta(days=1))
    user_client.get(reverse("tracker:dashboard"))  # the progress part is in the cache

    # The log's own queries, then the version read again, the counting, and the recent sessions
    # (their routines by key: SessionQuerySet.for_list).
    with django_assert_num_queries(16):
        response = user_client.post(
            reverse("tracker:log-routine", args=[routine.pk]), headers=ON_DASHBOARD
        )

    html = response.content.decode()
    assert html.lstrip().startswith('<div id="log-status"')
    assert "Logged 4 minutes of Evening lift at 12:00." in html
    assert '<div id="progress" hx-swap-oob="true"' in html
    assert 'data-testid="week-count">2<' in html
    assert '<section id="recent-sessions" hx-swap-oob="true"' in html
    assert html.count('<div class="session-main">') == 2
    # Nothing on the page refreshes after it: the parts are here already.
    assert "sessions-changed" not in triggers(response)
    assert "sessions-shown" in triggers(response)
    # And the next visit is served the part this answer counted.
    page = user_client.get(reverse("tracker:dashboard")).content.decode()
    assert 'data-testid="week-count">2<' in page


def test_one_tap_on_the_guided_page_answers_with_the_status_alone(user, user_client, now):
    routine = make_routine(user, "Evening lift")
    guide = f"http://testserver{reverse('tracker:routine-guide', args=[routine.pk])}"

    response = user_client.post(
        reverse("tracker:log-routine", args=[routine.pk]),
        headers={**ON_DASHBOARD, "HX-Current-URL": guide},
    )

    assert 'hx-swap-oob="true" ' not in response.content.decode().replace('id="client-id', "")
    assert 'id="progress"' not in response.content.decode()
    assert "sessions-changed" in triggers(response)


def test_one_tap_without_htmx_logs_and_redirects_to_the_dashboard(user, user_client, now):
    routine = make_routine(user)

    response = user_client.post(reverse("tracker:log-routine", args=[routine.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("tracker:dashboard")
    assert messages_of(response) == ["Logged 4 minutes."]
    assert MassageSession.objects.filter(owner=user).count() == 1


def test_one_tap_refuses_get(user, user_client):
    routine = make_routine(user)

    response = user_client.get(reverse("tracker:log-routine", args=[routine.pk]))

    assert response.status_code == 405
    assert not MassageSession.objects.exists()


def test_one_tap_warns_about_a_product_that_has_not_passed_a_patch_test(user, user_client, now):
    untested = make_product(user, "Rosehip serum", patch_test=Product.PatchTest.NOT_DONE)
    routine = make_routine(user, products=[untested, make_product(user, "Jojoba oil")])

    response = user_client.post(reverse("tracker:log-routine", args=[routine.pk]), headers=HTMX)

    html = response.content.decode()
    assert "Rosehip serum has not passed a patch test" in html
    assert "Jojoba oil has not passed" not in html


def test_one_tap_says_a_short_routine_is_below_the_persons_own_target(user, user_client, now):
    routine = make_routine(user, steps=[("effleurage", "neck", 120)])

    response = user_client.post(reverse("tracker:log-routine", args=[routine.pk]), headers=HTMX)

    html = response.content.decode()
    assert "2 minutes is below your target of 10." in html
    assert "recommended minimum" not in html
    assert 'href="/sources/#flament-2023"' in html
    assert MassageSession.objects.get().minutes == 2


def test_one_tap_says_nothing_about_length_when_the_target_is_met(make_user, client_for, now):
    brief = make_user("brief", target_minutes=2)
    routine = make_routine(brief, steps=[("effleurage", "neck", 120)])

    response = client_for(brief).post(
        reverse("tracker:log-routine", args=[routine.pk]), headers=HTMX
    )

    assert "below your target" not in response.content.decode()


def test_one_tap_with_another_users_routine_is_a_404_and_logs_nothing(other_user, user_client, now):
    theirs = make_routine(other_user)

    response = user_client.post(reverse("tracker:log-routine", args=[theirs.pk]), headers=HTMX)

    assert response.status_code == 404
    assert not MassageSession.objects.exists()


# A guided session's log: the time actually spent and the steps done


@pytest.fixture
def routine(user):
    roller = make_tool(user, "Roller")
    routine = make_routine(user, products=[make_product(user)])
    # The second step (gua sha on the jawline) is the one done with the roller.
    step = routine.steps.all()[1]
    step.tool = roller
    step.save()
    return routine


def log_url(routine) -> str:
    return reverse("tracker:log-routine", args=[routine.pk])


def test_the_minutes_spent_and_the_steps_done_are_logged(user, user_client, routine, now):
    jawline = routine.steps.all()[1]

    response = user_client.post(log_url(routine), {"minutes": "2", "steps": [jawline.pk]})

    assert response.status_code == 302
    session = MassageSession.objects.get(owner=user)
    assert session.minutes == 2
    assert session.techniques == [jawline.technique]
    assert session.areas == [jawline.area]
    assert list(session.tools.all()) == [jawline.tool]
    # The oil was on the skin all the same.
    assert list(session.products.all()) == list(routine.products.all())


def test_a_session_stopped_before_any_step_was_done_logs_its_minute_and_no_steps(
    user, user_client, routine, now
):
    user_client.post(log_url(routine), {"minutes": "1"})

    session = MassageSession.objects.get(owner=user)
    assert (session.minutes, session.techniques, session.areas) == (1, [], [])
    assert not session.tools.exists()


def test_without_minutes_it_is_a_one_tap_log_of_the_whole_routine(user, user_client, routine, now):
    user_client.post(log_url(routine))

    session = MassageSession.objects.get(owner=user)
    assert session.minutes == routine.minutes() == 4
    assert session.areas == ["neck", "jawline", "cheeks"]


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"minutes": "0"}, "at least 1 minute"),
        ({"minutes": str(MAX_SESSION_MINUTES + 1)}, f"more than {MAX_SESSION_MINUTES} minutes"),
        ({"minutes": "ten"}, "Enter a whole number"),
        ({"steps": ["1"]}, "how many minutes"),
    ],
)
def test_a_guided_log_out_of_bounds_logs_nothing_and_says_why(
    user, user_client, routine, now, data, error
):
    if "steps" in data:
        data = {"steps": [routine.steps.first().pk]}

    # The guide's own form, without htmx: back to the guide, which says why.
    response = user_client.post(log_url(routine), data)
    assert response["Location"] == reverse("tracker:routine-guide", args=[routine.pk])
    assert error in " ".join(messages_of(response))
    assert not MassageSession.objects.exists()

    # Sent later from the phone (a log saved offline): one sentence, as for any refused log.
    response = user_client.post(log_url(routine), data, headers=HTMX)
    assert response.status_code == 400
    assert error in response.json()["error"]
    assert not MassageSession.objects.exists()


def test_a_step_of_another_routine_is_refused(user, other_user, user_client, routine, now):
    mine = make_routine(user, "Other").steps.first()
    theirs = make_routine(other_user).steps.first()

    for step in (mine, theirs):
        response = user_client.post(log_url(routine), {"minutes": "3", "steps": [step.pk]})
        assert response.status_code == 302
        assert not MassageSession.objects.exists()


# The full form


def test_the_full_form_page_proposes_now_and_the_usual_length(make_user, client_for, now):
    kiwi = make_user("kiwi", timezone="Pacific/Auckland", target_minutes=12)

    response = client_for(kiwi).get(SESSION_NEW)

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html
    assert 'value="2026-11-19T01:00"' in html
    assert 'name="minutes" value="12"' in html


def test_the_full_form_logs_a_session_and_redirects_without_htmx(user, user_client, now):
    response = user_client.post(SESSION_NEW, session_data(minutes="12", notes="Jaw felt tight."))

    assert response.status_code == 302
    assert response["Location"] == reverse("tracker:dashboard")
    session = MassageSession.objects.get()
    assert (session.owner, session.minutes, session.notes) == (user, 12, "Jaw felt tight.")


def test_a_valid_htmx_log_returns_a_fresh_form_and_announces_the_change(user, user_client, now):
    tool, product = make_tool(user), make_product(user)
    data = session_data(
        minutes="7",
        techniques=["gua_sha", "rolling"],
        areas=["jawline"],
        tools=[tool.pk],
        products=[product.pk],
        cleansed_skin="on",
    )

    response = user_client.post(SESSION_NEW, data, headers={**HTMX, "HX-Target": "session-form"})

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="session-form"')
    assert "Logged 7 minutes on Wed 18 Nov, 08:00." in html
    # A fresh form, ready for the next one.
    assert 'name="minutes" value="10"' in html
    assert "sessions-changed" in triggers(response)
    session = MassageSession.objects.get()
    assert session.techniques == ["gua_sha", "rolling"]
    assert session.areas == ["jawline"]
    assert list(session.tools.all()) == [tool]
    assert list(session.products.all()) == [product]
    assert session.cleansed_skin is True


def test_an_invalid_htmx_log_comes_back_as_the_form_with_its_message_and_status_200(
    user_client, now
):
    response = user_client.post(
        SESSION_NEW, session_data(minutes="0"), headers={**HTMX, "HX-Target": "session-form"}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="session-form"')
    assert "<html" not in html
    assert "A session lasts at least 1 minute." in html
    assert "sessions-changed" not in triggers(response)
    assert not MassageSession.objects.exists()


def test_a_session_in_the_future_is_refused_with_a_message(user_client, now):
    response = user_client.post(
        SESSION_NEW,
        session_data(performed_at="2026-11-19T08:00"),
        headers={**HTMX, "HX-Target": "session-form"},
    )

    assert response.status_code == 200
    assert "That is in the future" in response.content.decode()
    assert not MassageSession.objects.exists()


def test_an_invalid_log_without_htmx_shows_the_whole_page_again(user_client, now):
    response = user_client.post(SESSION_NEW, session_data(minutes="181"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html
    assert "That is more than 180 minutes: check the number." in html


@pytest.mark.parametrize(
    ("field", "factory"),
    [("routine", make_routine), ("tools", make_tool), ("products", make_product)],
)
def test_another_users_object_in_the_form_is_an_error_not_a_crash(
    other_user, user_client, now, field, factory
):
    theirs = factory(other_user)

    response = user_client.post(
        SESSION_NEW,
        session_data(**{field: theirs.pk}),
        headers={**HTMX, "HX-Target": "session-form"},
    )

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not MassageSession.objects.exists()


def test_the_time_typed_in_is_read_in_the_users_time_zone(make_user, client_for, now):
    kiwi = make_user("kiwi", timezone="Pacific/Auckland")

    client_for(kiwi).post(SESSION_NEW, session_data(performed_at="2026-11-18T23:30"))

    session = MassageSession.objects.get()
    assert session.performed_at == datetime(2026, 11, 18, 10, 30, tzinfo=UTC)
    assert session.local_date == date(2026, 11, 18)


# Inline edit


def test_editing_inline_turns_the_row_into_the_form(user, user_client, now):
    session = make_session(user, now - timedelta(hours=2), minutes=9)

    response = user_client.get(reverse("tracker:session-edit", args=[session.pk]), headers=HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<li class="session-row editing" id="session-{session.pk}">')
    assert f'hx-target="#session-{session.pk}"' in html
    assert 'value="9"' in html
    assert "<html" not in html


def test_saving_an_inline_edit_returns_the_row_and_announces_the_change(user, user_client, now):
    session = make_session(user, now - timedelta(hours=2), minutes=9)
    url = reverse("tracker:session-edit", args=[session.pk])

    response = user_client.post(url, session_data(minutes="14", reaction="redness"), headers=HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<li class="session-row" id="session-{session.pk}">')
    assert "14 min" in html
    assert "Redness" in html
    assert "sessions-changed" in triggers(response)
    session.refresh_from_db()
    assert (session.minutes, session.reaction) == (14, "redness")


def test_an_invalid_inline_edit_returns_the_edit_row_with_errors(user, user_client, now):
    session = make_session(user, now - timedelta(hours=2), minutes=9)
    url = reverse("tracker:session-edit", args=[session.pk])

    response = user_client.post(url, session_data(minutes="181"), headers=HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(f'<li class="session-row editing" id="session-{session.pk}">')
    assert "That is more than 180 minutes" in html
    assert "sessions-changed" not in triggers(response)
    session.refresh_from_db()
    assert session.minutes == 9


def test_editing_without_htmx_uses_the_page_and_redirects_to_history(user, user_client, now):
    session = make_session(user, now - timedelta(hours=2))
    url = reverse("tracker:session-edit", args=[session.pk])

    page = user_client.get(url)
    response = user_client.post(url, session_data(minutes="11"))

    assert "<html" in page.content.decode()
    assert "Edit the session of Wed 18 Nov" in page.content.decode()
    assert response.status_code == 302
    assert response["Location"] == HISTORY
    session.refresh_from_db()
    assert session.minutes == 11


def test_cancelling_an_inline_edit_gets_the_row_back(user, user_client, now):
    session = make_session(user, now - timedelta(hours=2), minutes=9)

    response = user_client.get(reverse("tracker:session-detail", args=[session.pk]), headers=HTMX)

    html = response.content.decode()
    assert html.lstrip().startswith(f'<li class="session-row" id="session-{session.pk}">')
    assert "9 min" in html


def test_the_detail_page_shows_every_detail(user, user_client, now):
    product = make_product(user, "Rosehip oil", patch_test=Product.PatchTest.PENDING)
    session = make_session(
        user,
        now - timedelta(hours=2),
        minutes=4,
        products=[product],
        techniques=["lymphatic"],
        areas=["eyes"],
        notes="Puffy morning.",
        rating=4,
    )

    html = user_client.get(reverse("tracker:session-detail", args=[session.pk])).content.decode()

    assert "<html" in html
    assert "Under 5 min" in html
    assert "Lymphatic drainage" in html
    assert "Around the eyes" in html
    assert "Rosehip oil" in html
    assert "Not patch-tested" in html
    assert "4 of 5" in html
    assert "Puffy morning." in html


# Delete


def test_deleting_asks_for_confirmation_on_a_page_first(user, user_client, now):
    session = make_session(user, now - timedelta(hours=2))

    response = user_client.get(reverse("tracker:session-delete", args=[session.pk]))

    assert response.status_code == 200
    assert "Delete this session?" in response.content.decode()
    assert MassageSession.objects.filter(pk=session.pk).exists()


def test_confirming_deletes_and_redirects_to_history(user, user_client, now):
    session = make_session(user, now - timedelta(hours=2))

    response = user_client.post(reverse("tracker:session-delete", args=[session.pk]))

    assert response.status_code == 302
    assert response["Location"] == HISTORY
    assert not MassageSession.objects.exists()
    # The history page then offers to undo it.
    page = user_client.get(HISTORY).content.decode()
    assert "Deleted the session of Wed 18 Nov, 10:00." in page
    assert f'action="{reverse("tracker:undo")}"' in page


def test_deleting_with_htmx_removes_the_row_and_announces_the_change(user, user_client, now):
    session = make_session(user, now - timedelta(hours=2))

    response = user_client.post(
        reverse("tracker:session-delete", args=[session.pk]),
        headers={**HTMX, "HX-Target": f"session-{session.pk}"},
    )

    assert response.status_code == 200
    # Nothing in place of the row; the page's undo area is told to fetch its offer.
    assert response.content == b""
    assert "sessions-changed" in triggers(response)
    assert "undo-offered" in triggers(response)
    offer = user_client.get(reverse("tracker:undo-offer"), headers=HTMX).content.decode()
    assert "Deleted the session of Wed 18 Nov, 10:00." in offer
    assert not MassageSession.objects.exists()


# History


def test_history_lists_sessions_newest_first(user, user_client, now):
    for days, minutes in [(3, 13), (1, 11), (2, 12)]:
        make_session(user, now - timedelta(days=days), minutes=minutes)

    html = user_client.get(HISTORY).content.decode()

    assert row_minutes(html) == [11, 12, 13]


def test_history_shows_twenty_sessions_a_page(user, user_client, now):
    for hours in range(25):
        make_session(user, now - timedelta(hours=hours + 1), minutes=hours + 1)

    first = user_client.get(HISTORY).content.decode()
    second = user_client.get(HISTORY, {"page": 2}).content.decode()

    assert row_minutes(first) == list(range(1, 21))
    assert "Page 1 of 2" in first
    assert 'rel="next"' in first
    assert row_minutes(second) == list(range(21, 26))
    assert 'rel="prev"' in second


def test_a_page_number_out_of_range_shows_the_last_page(user, user_client, now):
    make_session(user, now - timedelta(hours=1), minutes=7)

    response = user_client.get(HISTORY, {"page": "99"})

    assert response.status_code == 200
    assert row_minutes(response.content.decode()) == [7]


def test_history_filters_one_week_from_any_day_in_it(user, user_client, now):
    make_session(user, datetime(2026, 11, 8, 20, 0, tzinfo=UTC), minutes=8)
    make_session(user, datetime(2026, 11, 9, 8, 0, tzinfo=UTC), minutes=9)
    make_session(user, datetime(2026, 11, 15, 20, 0, tzinfo=UTC), minutes=15)
    make_session(user, datetime(2026, 11, 16, 8, 0, tzinfo=UTC), minutes=16)

    response = user_client.get(HISTORY, {"week": "2026-11-12"})

    html = response.content.decode()
    assert row_minutes(html) == [15, 9]
    assert "Week of 9 November 2026: 2 sessions" in html
    assert 'value="2026-11-09"' in html


def test_a_rest_week_in_the_filter_says_rest_week_not_log_one(user, user_client, now):
    make_rest_week(user, date(2026, 11, 9))

    html = user_client.get(HISTORY, {"week": "2026-11-12"}).content.decode()

    assert "Week of 9 November 2026: rest week" in html
    assert "A rest week: nothing logged" in html
    assert "Log one" not in html


def test_a_rest_week_with_a_session_counts_it_for_one_query_more(
    user, user_client, now, django_assert_num_queries
):
    make_rest_week(user, date(2026, 11, 9))
    make_session(user, datetime(2026, 11, 10, 8, 0, tzinfo=UTC), products=[make_product(user)])

    with django_assert_num_queries(HISTORY_QUERIES + 1):
        html = user_client.get(HISTORY, {"week": "2026-11-12"}).content.decode()

    assert "Week of 9 November 2026: 1 session (a rest week)" in html


def test_an_empty_week_that_was_not_a_rest_week_offers_to_log_one(user, user_client, now):
    make_rest_week(user, date(2026, 11, 2))

    html = user_client.get(HISTORY, {"week": "2026-11-12"}).content.decode()

    assert "Week of 9 November 2026: 0 sessions" in html
    assert "Log one" in html


@pytest.mark.parametrize(
    ("week", "message"),
    [
        ("last week", "That week is not a date."),
        ("2026-02-30", "That week is not a date."),
        ("9999-12-31", "That is in the future."),
        ("2026-11-19", "That is in the future."),
        ("0001-01-01", "Choose a date from 1 January 2000 on."),
        ("1999-12-31", "Choose a date from 1 January 2000 on."),
    ],
)
def test_a_week_that_is_not_a_usable_date_gives_a_message_not_an_error(
    make_user, client_for, now, week: str, message: str
):
    # Weeks from Sunday reach a day before 1 January of year 1.
    sunday_starter = make_user("sunday", week_start=6)
    make_session(sunday_starter, now - timedelta(hours=1), minutes=7)

    response = client_for(sunday_starter).get(HISTORY, {"week": week})

    assert response.status_code == 200
    assert messages_of(response) == [f"{message} Showing every session."]
    assert row_minutes(response.content.decode()) == [7]


def test_the_first_and_the_current_week_can_be_shown(make_user, client_for, now):
    sunday_starter = make_user("sunday", week_start=6)
    make_session(sunday_starter, now - timedelta(hours=1), minutes=7)
    client = client_for(sunday_starter)

    first = client.get(HISTORY, {"week": "2000-01-01"})
    current = client.get(HISTORY, {"week": "2026-11-18"})

    assert "Week of 26 December 1999: 0 sessions" in first.content.decode()
    assert messages_of(first) == []
    assert row_minutes(current.content.decode()) == [7]


def test_history_shows_only_the_users_own_sessions(user, other_user, user_client, now):
    make_session(user, now - timedelta(hours=1), minutes=7)
    make_session(other_user, now - timedelta(hours=1), minutes=33)

    assert row_minutes(user_client.get(HISTORY).content.decode()) == [7]


def test_filtering_with_htmx_returns_only_the_list(user, user_client, now):
    make_session(user, now - timedelta(hours=1), minutes=7)

    response = user_client.get(
        HISTORY, {"week": "2026-11-18"}, headers={**HTMX, "HX-Target": "session-list"}
    )

    html = response.content.decode()
    assert html.lstrip().startswith('<section id="session-list"')
    assert "<html" not in html
    assert row_minutes(html) == [7]


def test_a_history_restore_of_the_history_gets_the_whole_page(user, user_client, now):
    make_session(user, now - timedelta(hours=1), minutes=7)

    response = user_client.get(
        HISTORY,
        headers={**HTMX, "HX-Target": "session-list", "HX-History-Restore-Request": "true"},
    )

    html = response.content.decode()
    assert "<html" in html
    assert '<section id="session-list"' in html


def test_a_history_restore_of_an_edit_gets_the_whole_edit_page(user, user_client, now):
    session = make_session(user, now - timedelta(hours=1))

    response = user_client.get(
        reverse("tracker:session-edit", args=[session.pk]),
        headers={**HTMX, "HX-History-Restore-Request": "true"},
    )

    assert "<html" in response.content.decode()


# Someone else's sessions


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("session-detail", "get"),
        ("session-edit", "get"),
        ("session-edit", "post"),
        ("session-delete", "get"),
        ("session-delete", "post"),
    ],
)
@pytest.mark.parametrize("headers", [{}, HTMX], ids=["page", "htmx"])
def test_another_users_session_is_a_404_and_stays_as_it_was(
    other_user, user_client, now, name: str, method: str, headers: dict
):
    theirs = make_session(other_user, now - timedelta(hours=1), minutes=9)
    url = reverse(f"tracker:{name}", args=[theirs.pk])

    response = getattr(user_client, method)(url, session_data(minutes="1"), headers=headers)

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.minutes == 9


@pytest.mark.parametrize(
    ("name", "method"),
    [("log-routine", "get"), ("session-detail", "post"), ("history", "post")],
)
def test_each_url_refuses_the_method_it_does_not_serve(user, user_client, name: str, method: str):
    args = [make_routine(user).pk] if name == "log-routine" else []
    if name == "session-detail":
        args = [make_session(user).pk]

    response = getattr(user_client, method)(reverse(f"tracker:{name}", args=args))

    assert response.status_code == 405


@pytest.mark.parametrize("name", ["history", "session-new"])
def test_a_visitor_who_is_not_logged_in_is_sent_to_log_in(name: str, db):
    url = reverse(f"tracker:{name}")

    response = Client().get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"


def test_a_visitor_cannot_one_tap_log(user, db):
    routine = make_routine(user)

    response = Client().post(reverse("tracker:log-routine", args=[routine.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert not MassageSession.objects.exists()


# Queries


@pytest.mark.parametrize("count", [3, 40])
def test_history_costs_the_same_queries_for_a_short_or_long_history(
    user, user_client, now, django_assert_num_queries, count: int
):
    product, tool = make_product(user), make_tool(user)
    routine = make_routine(user)
    for hours in range(count):
        make_session(
            user,
            now - timedelta(hours=hours + 1),
            routine=routine,
            products=[product],
            tools=[tool],
        )

    with django_assert_num_queries(HISTORY_QUERIES_WITH_ROUTINES):
        response = user_client.get(HISTORY)

    assert len(row_minutes(response.content.decode())) == min(count, 20)


def test_the_history_list_partial_costs_the_same_as_the_page(
    user, user_client, now, django_assert_num_queries
):
    product = make_product(user)
    for hours in range(30):
        make_session(user, now - timedelta(hours=hours + 1), products=[product])

    with django_assert_num_queries(HISTORY_QUERIES):
        user_client.get(HISTORY, {"page": 2}, headers={**HTMX, "HX-Target": "session-list"})


def test_the_edit_row_and_the_saved_row_cost_a_constant_few_queries(
    user, user_client, now, django_assert_num_queries
):
    products = [make_product(user, f"Oil {n}") for n in range(3)]
    session = make_session(user, now - timedelta(hours=1), products=products)
    url = reverse("tracker:session-edit", args=[session.pk])

    # Session, user, profile; the session with its tools and products; the form's routine,
    # tool and product choices.
    with django_assert_num_queries(9):
        user_client.get(url, headers=HTMX)


def test_the_one_tap_status_costs_a_constant_few_queries(
    user, user_client, now, django_assert_num_queries
):
    products = [make_product(user, f"Oil {n}") for n in range(3)]
    routine = make_routine(user, products=products, tool=make_tool(user))

    # Session, user, profile; the routine, its steps and products; the session and its tools
    # and products in a transaction (three inserts, and its begin and end); the products shown.
    with django_assert_num_queries(12):
        user_client.post(reverse("tracker:log-routine", args=[routine.pk]), headers=HTMX)


# Undoing a one-tap log


def test_a_one_tap_log_can_be_undone_in_place(user, user_client, htmx_headers):
    routine = copy_starter(STARTERS[1], user)
    logged = user_client.post(
        reverse("tracker:log-routine", kwargs={"pk": routine.pk}),
        headers={**htmx_headers, "HX-Target": "log-status"},
    )
    session = MassageSession.objects.get(owner=user)
    assert 'hx-post="{}"'.format(reverse("tracker:session-delete", kwargs={"pk": session.pk})) in (
        logged.content.decode()
    )

    undone = user_client.post(
        reverse("tracker:session-delete", kwargs={"pk": session.pk}),
        headers={**htmx_headers, "HX-Target": "log-status"},
    )

    assert undone.status_code == 200
    assert "no longer logged" in undone.content.decode()
    assert 'id="log-status"' in undone.content.decode()
    assert "sessions-changed" in undone["HX-Trigger"]
    assert not MassageSession.objects.filter(owner=user).exists()


# Clean hands and tools: the tools' cleaning record


def log_with_tools(client, tools, *, clean: bool, when: datetime) -> None:
    data = session_data(
        performed_at=when.astimezone(AUCKLAND).strftime("%Y-%m-%dT%H:%M"),
        tools=[tool.pk for tool in tools],
        clean_hands_and_tools="on" if clean else None,
    )
    response = client.post(reverse("tracker:session-new"), data)
    assert response.status_code == 302, response.content.decode()


def test_a_session_with_clean_tools_records_their_cleaning_on_its_local_day(
    make_user, client_for, time_machine
):
    time_machine.move_to(datetime(2026, 11, 18, 11, 0, tzinfo=AUCKLAND), tick=False)
    user = make_user("alice", timezone="Pacific/Auckland")
    roller, stone = make_tool(user), make_tool(user, "Stone", kind=Tool.Kind.GUA_SHA)
    # 23:30 on Monday in Auckland: Monday is the tool's cleaning day, whatever UTC says.
    log_with_tools(
        client_for(user), [roller], clean=True, when=datetime(2026, 11, 16, 23, 30, tzinfo=AUCKLAND)
    )
    roller.refresh_from_db()
    stone.refresh_from_db()
    assert roller.last_cleaned_on == date(2026, 11, 16)
    assert stone.last_cleaned_on is None


def test_an_older_session_never_moves_a_later_cleaning_back(make_user, client_for, time_machine):
    time_machine.move_to(datetime(2026, 11, 18, 11, 0, tzinfo=AUCKLAND), tick=False)
    user = make_user("alice", timezone="Pacific/Auckland")
    roller = make_tool(user, last_cleaned_on=date(2026, 11, 17))

    log_with_tools(
        client_for(user), [roller], clean=True, when=datetime(2026, 11, 10, 9, 0, tzinfo=AUCKLAND)
    )

    roller.refresh_from_db()
    assert roller.last_cleaned_on == date(2026, 11, 17)


def test_a_session_without_the_tick_leaves_the_cleaning_record_alone(
    make_user, client_for, time_machine
):
    time_machine.move_to(datetime(2026, 11, 18, 11, 0, tzinfo=AUCKLAND), tick=False)
    user = make_user("alice", timezone="Pacific/Auckland")
    roller = make_tool(user)
    log_with_tools(
        client_for(user), [roller], clean=False, when=datetime(2026, 11, 18, 9, 0, tzinfo=AUCKLAND)
    )
    roller.refresh_from_db()
    assert roller.last_cleaned_on is None


# The week filter through the database


def test_the_history_week_filter_agrees_across_new_year(make_user, client_for, time_machine):
    time_machine.move_to(datetime(2027, 1, 6, 12, 0, tzinfo=UTC), tick=False)
    user = make_user("alice", timezone="Pacific/Auckland")
    auckland = ZoneInfo("Pacific/Auckland")
    inside = [
        datetime(2026, 12, 28, 7, 0, tzinfo=auckland),  # Monday of the spanning week
        datetime(2027, 1, 3, 23, 30, tzinfo=auckland),  # its Sunday night
    ]
    outside = [datetime(2027, 1, 4, 0, 30, tzinfo=auckland)]
    for moment in inside + outside:
        make_session(user, moment)

    response = client_for(user).get(reverse("tracker:history"), {"week": "2027-01-01"})

    page = response.context["page"]
    assert [s.performed_at for s in page.object_list] == sorted(inside, reverse=True)


# One-time ids: a log sent twice (a double tap, a form sent again, an offline replay) logs once


ONE_TAP_HTMX = {"HX-Request": "true", "HX-Target": "log-status"}


def one_tap(client: Client, routine, client_id, **extra):
    data = {"client_id": str(client_id), **extra}
    return client.post(
        reverse("tracker:log-routine", args=[routine.pk]), data, headers=ONE_TAP_HTMX
    )


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

    user_client.post(reverse("tracker:log-routine", args=[routine.pk]), headers=ONE_TAP_HTMX)

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


# Logs saved offline (static/js/offline.js) carry the moment of the tap as the phone wrote it:
# its local time with seconds and its UTC offset, which need not be the person's zone.


@pytest.mark.parametrize(
    ("zone", "tapped"),
    [
        # Last night on a phone two hours east of UTC, sent at noon the next day.
        ("UTC", "2026-11-17T23:40:05+02:00"),
        # Just after midnight where the person lives: already today there, yesterday in UTC.
        ("Pacific/Kiritimati", "2026-11-18T00:30:00+14:00"),
        # Late evening eleven hours behind UTC: already today in UTC.
        ("Pacific/Pago_Pago", "2026-11-17T22:30:00-11:00"),
        # Sent the moment it was tapped, and from a phone whose clock runs a minute fast.
        ("Europe/Berlin", "2026-11-18T13:00:00+01:00"),
        ("Europe/Berlin", "2026-11-18T13:01:00+01:00"),
    ],
)
def test_a_log_saved_offline_is_inside_the_accepted_range_and_logged_at_its_tap(
    make_user, client_for, now, zone: str, tapped: str
):
    person = make_user("traveller", timezone=zone)
    routine = make_routine(person)

    response = one_tap(client_for(person), routine, uuid.uuid4(), performed_at=tapped)

    assert response.status_code == 200
    assert MassageSession.objects.get().performed_at == datetime.fromisoformat(tapped)


@pytest.mark.parametrize(
    ("tapped", "reason"),
    [
        ("1999-12-31T23:59:59+00:00", "Choose a date from 1 January 2000 on."),
        # A phone clock far ahead: later than now by more than the few minutes allowed.
        ("2026-11-18T13:10:00+01:00", "That is in the future: log a session once it is done."),
    ],
)
def test_a_log_saved_offline_outside_the_range_is_refused_with_one_sentence_to_show(
    user, user_client, now, tapped: str, reason: str
):
    routine = make_routine(user)

    response = one_tap(user_client, routine, uuid.uuid4(), performed_at=tapped)

    # offline.js keeps the log and shows this sentence as the reason it was not logged.
    assert response.status_code == 400
    assert response.json() == {"error": reason}
    assert not MassageSession.objects.exists()


def test_a_saved_log_sent_after_its_routine_was_deleted_gets_a_404(user, user_client):
    routine = make_routine(user)
    url = reverse("tracker:log-routine", args=[routine.pk])
    routine.remove()

    response = user_client.post(url, {"client_id": str(uuid.uuid4())}, headers=ONE_TAP_HTMX)

    assert response.status_code == 404
    assert not MassageSession.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_same_id_sent_from_two_threads_at_once_logs_once(make_user, tmp_path):
    with database_shared_by_threads(tmp_path):
        user = make_user("alice")
        routine = make_routine(user)
        sent = uuid.uuid4()

        def send():
            client = Client()
            client.force_login(User.objects.get(pk=user.pk))
            return one_tap(client, routine, sent)

        answers = run_together(send, send)

        assert [getattr(a, "status_code", a) for a in answers] == [200, 200]
        assert MassageSession.objects.filter(owner=user).count() == 1


# Guidance beside the choices: pressure, its caution, the techniques


def test_the_log_form_describes_each_pressure_and_the_firm_caution(user_client):
    html = user_client.get(reverse("tracker:session-new")).content.decode()

    assert "The skin moves with your fingers or tool, and there is no redness afterwards." in html
    assert "Not on the face around the eyes" in html
    assert 'class="message message-warning firm-caution"' in html
    assert "Firm pressure can bruise." in html
    assert "<summary>What each technique is</summary>" in html


def test_a_form_sent_back_with_firm_pressure_shows_the_caution_without_css(user_client):
    response = user_client.post(reverse("tracker:session-new"), {"pressure": "firm"})

    assert 'firm-caution is-shown"' in response.content.decode()


# The detailed form on the dashboard: the answer where the person is


DASHBOARD_FORM = {**HTMX, "HX-Target": "session-form", "HX-Current-URL": "http://testserver/"}


def test_a_log_from_the_dashboards_form_is_announced_in_the_log_status_with_its_undo(
    user, user_client, now
):
    response = user_client.post(SESSION_NEW, session_data(minutes="12"), headers=DASHBOARD_FORM)

    session = MassageSession.objects.get()
    assert response.headers["HX-Retarget"] == "#log-status"
    assert response.headers["HX-Reswap"] == "outerHTML"
    # One round trip, as a one-tap log: the week and the recent sessions come along.
    assert "sessions-shown" in triggers(response)
    assert "sessions-changed" not in triggers(response)
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="log-status"')
    assert 'id="progress" hx-swap-oob="true"' in html
    assert 'id="recent-sessions" hx-swap-oob="true"' in html
    assert "Logged 12 minutes on Wed 18 Nov at 08:00." in html
    html = html.split('<div id="progress"')[0]  # the status, before the out-of-band parts
    # The confirmation takes the focus; Undo removes that session.
    assert 'tabindex="-1" data-take-focus>Logged' in html
    assert f'hx-post="{reverse("tracker:session-delete", args=[session.pk])}"' in html
    # The form asked about the skin already: no second question.
    assert "How did your skin react?" not in html
    # The form folds away: a fresh, closed one replaces it.
    folded = html.split('<details id="full-log"')[1].split(">")[0]
    assert 'hx-swap-oob="true"' in folded
    assert " open" not in folded


def test_a_log_from_the_forms_own_page_stays_on_that_page(user_client, now):
    headers = {**DASHBOARD_FORM, "HX-Current-URL": f"http://testserver{SESSION_NEW}"}
    response = user_client.post(SESSION_NEW, session_data(minutes="12"), headers=headers)

    assert "HX-Retarget" not in response.headers
    assert response.content.decode().lstrip().startswith('<div id="session-form"')


def test_a_form_sent_back_with_errors_asks_for_the_focus_on_its_first_error(user_client, now):
    response = user_client.post(SESSION_NEW, session_data(minutes="0"), headers=DASHBOARD_FORM)

    html = response.content.decode()
    assert "HX-Retarget" not in response.headers
    assert "novalidate data-take-focus>" in html
    assert 'aria-invalid="true"' in html
    # The folded-away parts stay folded: the error is in the minutes.
    assert '<details class="more-fields" id="routine-steps">' in html


def test_an_error_among_the_techniques_opens_their_part_of_the_form(user_client, now):
    response = user_client.post(
        SESSION_NEW, session_data(techniques=["no-such"]), headers=DASHBOARD_FORM
    )

    assert '<details class="more-fields" id="routine-steps" open>' in response.content.decode()


# A routine chosen in the detailed form brings its steps


def test_a_routine_chosen_with_nothing_ticked_gives_the_session_its_steps(user, user_client, now):
    tool = make_tool(user)
    routine = make_routine(user, tool=tool)

    user_client.post(SESSION_NEW, session_data(routine=routine.pk))

    session = MassageSession.objects.get()
    assert session.techniques == ["effleurage", "gua_sha"]
    assert session.areas == ["neck", "jawline", "cheeks"]
    assert list(session.tools.all()) == [tool]


def test_what_the_person_ticked_is_kept_and_the_rest_comes_from_the_routine(user, user_client, now):
    routine = make_routine(user)

    user_client.post(SESSION_NEW, session_data(routine=routine.pk, techniques=["rolling"]))

    session = MassageSession.objects.get()
    assert session.techniques == ["rolling"]
    assert session.areas == ["neck", "jawline", "cheeks"]


def test_steps_the_page_showed_and_the_person_unticked_stay_unticked(user, user_client, now):
    routine = make_routine(user)

    user_client.post(SESSION_NEW, session_data(routine=routine.pk, steps_from_routine=routine.pk))

    session = MassageSession.objects.get()
    assert (session.techniques, session.areas) == ([], [])


def test_choosing_a_routine_fetches_the_steps_part_filled_in(user, user_client, now):
    tool = make_tool(user)
    routine = make_routine(user, tool=tool)

    response = user_client.get(
        SESSION_NEW, {"routine": routine.pk}, headers={**HTMX, "HX-Target": "routine-steps"}
    )

    html = response.content.decode()
    assert html.lstrip().startswith('<details class="more-fields" id="routine-steps" open>')
    assert "Filled in from the steps of Evening lift" in html
    assert re.search(r'value="gua_sha"[^>]*checked', html)
    assert re.search(rf'value="{tool.pk}"[^>]*checked', html)
    assert not re.search(r'value="rolling"[^>]*checked', html)
    assert f'name="steps_from_routine" value="{routine.pk}"' in html


def test_choosing_no_routine_leaves_the_ticks_as_they_are(user_client, now):
    response = user_client.get(
        SESSION_NEW, {"routine": ""}, headers={**HTMX, "HX-Target": "routine-steps"}
    )

    assert response.status_code == 204


def test_another_persons_routine_fills_nothing(user_client, other_user, now):
    routine = make_routine(other_user)

    response = user_client.get(
        SESSION_NEW, {"routine": routine.pk}, headers={**HTMX, "HX-Target": "routine-steps"}
    )

    assert response.status_code == 204


def test_the_routine_select_asks_for_its_steps_when_changed(user, user_client, now):
    make_routine(user)

    html = user_client.get(SESSION_NEW).content.decode()

    select = html.split('<select name="routine"')[1].split(">")[0]
    assert f'hx-get="{SESSION_NEW}"' in select
    assert 'hx-target="#routine-steps"' in select


def test_the_export_csv_lists_the_steps_of_a_routine_logged_in_the_detailed_form(
    user, user_client, now
):
    routine = make_routine(user, tool=make_tool(user, name="Jade stone"))
    user_client.post(SESSION_NEW, session_data(routine=routine.pk))

    response = user_client.get(reverse("tracker:data-export"))
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        rows = archive.read("sessions.csv").decode()
    line = rows.splitlines()[1]
    assert "gua_sha" in line or "Gua sha" in line
    assert "jawline" in line or "Jawline" in line
    assert "Jade stone" in line


def test_the_forms_own_page_opens_filled_in_from_a_routine(user, user_client, now):
    routine = make_routine(user)

    html = user_client.get(SESSION_NEW, {"routine": routine.pk}).content.decode()

    assert "<html" in html
    assert re.search(rf'<option value="{routine.pk}" selected>', html)
    assert re.search(r'name="minutes" value="4"', html)
    assert re.search(r'value="gua_sha"[^>]*checked', html)
