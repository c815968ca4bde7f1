"""Experiments: started with one change, followed week by week, ended, compared; one at a
time; bad input is a form error; constant queries."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from tests.factories import (
    WEDNESDAY_NOON,
    make_experiment,
    make_marked_photo,
    make_product,
    make_rest_week,
    make_routine,
    make_session,
)
from tests.readers import messages_of
from tracker.models import Experiment

pytestmark = pytest.mark.django_db

LIST = reverse("tracker:experiments")
NOW = WEDNESDAY_NOON  # Wednesday 18 November 2026
TODAY = date(2026, 11, 18)


def start_data(**overrides) -> dict:
    data = {"change": "technique", "technique": "gua_sha", "started_on": "2026-11-18", "weeks": "6"}
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_an_experiment_starts_with_one_change_and_six_weeks_by_default(user, user_client, now):
    rosehip = make_product(user, "Rosehip oil")

    page = user_client.get(LIST).content.decode()
    assert 'value="6"' in page and 'value="2026-11-18"' in page

    response = user_client.post(
        LIST, start_data(change="product", product=rosehip.pk, technique="rolling", angle="front")
    )

    experiment = Experiment.objects.get(owner=user)
    assert response.status_code == 302
    assert response["Location"] == reverse("tracker:experiment-detail", args=[experiment.pk])
    assert (experiment.subject, experiment.weeks, experiment.angle) == ("Rosehip oil", 6, "front")
    # The one change only: the technique sent beside a product is dropped.
    assert experiment.technique == "" and experiment.product == rosehip


def test_the_dashboard_shows_the_week_and_asks_to_keep_everything_else_the_same(
    user, user_client, now
):
    make_experiment(user, started_on=date(2026, 11, 2))

    page = user_client.get(reverse("tracker:dashboard")).content.decode()

    assert "Experiment: Rosehip oil" in page
    assert "Week 3 of 6" in page
    assert "Keep everything else the same" in page


def test_a_second_experiment_while_one_runs_is_refused_with_the_reason(user, user_client, now):
    make_experiment(user, started_on=date(2026, 11, 2))

    response = user_client.post(LIST, start_data())

    assert response.status_code == 200
    assert (
        "runs until 13 December 2026: end it first. Two changes at once cannot be told apart."
        in (response.content.decode())
    )
    assert Experiment.objects.filter(owner=user).count() == 1


def test_a_planned_experiment_counts_as_running_for_that_rule(user, user_client, now):
    make_experiment(user, started_on=date(2027, 1, 4))

    response = user_client.post(LIST, start_data())

    assert "Two changes at once" in response.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (start_data(started_on="2027-11-19"), "more than a year ahead"),
        (start_data(started_on="1999-12-31"), "from 1 January 2000"),
        (start_data(change="product"), "Say what changes"),
        (start_data(change="frequency", sessions_per_week="0"), "greater than or equal to 1"),
        (start_data(weeks="27"), "less than or equal to 26"),
        (start_data(change="everything"), "Select a valid choice"),
    ],
)
def test_bad_input_is_a_form_error(user, user_client, now, data, message):
    response = user_client.post(LIST, data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Experiment.objects.exists()


def test_a_year_ahead_is_the_furthest_an_experiment_can_be_planned(user, user_client, now):
    assert user_client.post(LIST, start_data(started_on="2027-11-18")).status_code == 302


def test_another_persons_product_or_routine_is_a_form_error(user, other_user, user_client, now):
    theirs = make_product(other_user, "Mallory's oil")
    their_routine = make_routine(other_user)

    for data in (
        start_data(change="product", product=theirs.pk),
        start_data(change="routine", routine=their_routine.pk),
    ):
        response = user_client.post(LIST, data)
        assert response.status_code == 200
        assert "Select a valid choice" in response.content.decode()
    assert not Experiment.objects.exists()


def test_an_end_before_its_start_is_a_form_error(user, user_client, now):
    experiment = make_experiment(user, started_on=date(2026, 11, 2))

    response = user_client.post(
        reverse("tracker:experiment-end", args=[experiment.pk]), {"ended_on": "2026-11-01"}
    )

    assert response.status_code == 200
    assert (
        "An experiment cannot end before it starts (2 November 2026)." in response.content.decode()
    )
    experiment.refresh_from_db()
    assert experiment.ended_on is None


def test_an_end_in_the_future_is_a_form_error(user, user_client, now):
    experiment = make_experiment(user, started_on=date(2026, 11, 2))

    response = user_client.post(
        reverse("tracker:experiment-end", args=[experiment.pk]), {"ended_on": "2026-11-30"}
    )

    assert "That is in the future." in response.content.decode()


def history(user, product, *, weeks_before=6, weeks_during=6, start=date(2026, 9, 28)):
    """Two sessions a week before, three a week during, with products and ratings."""
    for week in range(weeks_before):
        for day in (0, 3):
            moment = (
                NOW.replace(year=2026, month=9, day=28)
                - timedelta(weeks=weeks_before - week)
                + timedelta(days=day)
            )
            make_session(user, moment, minutes=8, reaction="redness" if day else "none", rating=2)
    for week in range(weeks_during):
        for day in (0, 2, 4):
            moment = NOW.replace(year=2026, month=9, day=28) + timedelta(weeks=week, days=day)
            make_session(user, moment, minutes=12, reaction="none", rating=4, products=[product])


def test_ended_it_compares_with_the_weeks_before_in_plain_words(user, user_client, now):
    rosehip = make_product(user, "Rosehip oil")
    history(user, rosehip)
    experiment = make_experiment(
        user, change="product", product=rosehip, started_on=date(2026, 9, 28)
    )

    response = user_client.post(
        reverse("tracker:experiment-end", args=[experiment.pk]), {"ended_on": "2026-11-08"}
    )
    page = user_client.get(response["Location"]).content.decode()

    assert "How it compares with the weeks before" in page
    assert "2.0 a week over 6 weeks" in page and "3.0 a week over 6 weeks" in page
    assert "8.0 min on average over 12 sessions" in page
    assert "after 6 of 12 sessions with a recorded reaction" in page
    assert "A difference unlikely to be chance alone" in page
    assert "does not show that the change caused it" in page
    listed = user_client.get(LIST).content.decode()
    assert (
        "Ended experiments" in listed and "Rosehip oil</a> (a new product), 28 Sep 2026" in listed
    )


def test_with_too_few_sessions_the_comparison_says_so(user, user_client, now):
    make_session(user, NOW - timedelta(days=40))
    experiment = make_experiment(user, started_on=date(2026, 10, 12), ended_on=date(2026, 11, 1))

    page = user_client.get(
        reverse("tracker:experiment-detail", args=[experiment.pk])
    ).content.decode()

    assert page.count("Too few sessions to tell") == 4


def test_a_rest_week_inside_it_is_left_out_and_said(user, user_client, now):
    rosehip = make_product(user, "Rosehip oil")
    history(user, rosehip)
    make_rest_week(user, date(2026, 10, 12))
    experiment = make_experiment(
        user, product=rosehip, started_on=date(2026, 9, 28), ended_on=date(2026, 11, 8)
    )

    page = user_client.get(
        reverse("tracker:experiment-detail", args=[experiment.pk])
    ).content.decode()

    assert "3.0 a week over 5 weeks" in page
    assert "(this comparison had one)" in page


def test_the_first_and_last_photo_of_its_angle_are_compared_lined_up(user, user_client, now):
    first = make_marked_photo(user, taken_at=NOW.replace(month=9, day=27))
    last = make_marked_photo(user, taken_at=NOW.replace(month=11, day=6))
    experiment = make_experiment(
        user, started_on=date(2026, 9, 28), ended_on=date(2026, 11, 8), angle="front"
    )

    response = user_client.get(reverse("tracker:experiment-detail", args=[experiment.pk]))
    page = response.content.decode()

    assert (
        response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]
    )
    assert f'src="{reverse("tracker:photo-aligned", args=[first.pk])}"' in page
    assert f'src="{reverse("tracker:photo-aligned", args=[last.pk])}"' in page
    assert "data-wipe" in page


def test_deleting_an_experiment_keeps_its_sessions(user, user_client, now):
    experiment = make_experiment(user)
    make_session(user, NOW - timedelta(days=1))

    response = user_client.post(reverse("tracker:experiment-delete", args=[experiment.pk]))

    assert not Experiment.objects.exists()
    assert "Its sessions and photos are kept" in " ".join(messages_of(response))


@pytest.mark.parametrize("weeks", [2, 30])
def test_its_page_costs_the_same_queries_however_long_the_history(
    user, user_client, now, django_assert_num_queries, weeks
):
    rosehip = make_product(user, "Rosehip oil")
    history(user, rosehip, weeks_before=weeks)
    make_marked_photo(user, taken_at=NOW.replace(month=9, day=27))
    make_marked_photo(user, taken_at=NOW.replace(month=11, day=6))
    experiment = make_experiment(
        user,
        product=rosehip,
        started_on=date(2026, 9, 28),
        ended_on=date(2026, 11, 8),
        angle="front",
    )
    url = reverse("tracker:experiment-detail", args=[experiment.pk])
    user_client.get(url)  # the aligned images are derived once

    # Session, user, profile, the experiment; first session, sessions, rest weeks; the photos
    # of the angle, the pair; the sessions between them, and those in the hour before each.
    with django_assert_num_queries(11):
        user_client.get(url)


@pytest.mark.parametrize("count", [1, 20])
def test_the_list_costs_the_same_queries_however_many_experiments(
    user, user_client, now, django_assert_num_queries, count
):
    for n in range(count):
        make_experiment(
            user,
            started_on=date(2025, 1, 6) + timedelta(weeks=2 * n),
            weeks=1,
            product=None,
            change="technique",
            technique="rolling",
        )

    # Session, user, profile; the open experiment (the form's check); products; routines; all.
    with django_assert_num_queries(6):
        user_client.get(LIST)
