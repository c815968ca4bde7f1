"""Experiment rows: one open at a time (checked again under the person's lock), their end,
their status, and their subject kept when the product goes."""

from datetime import date

import pytest

from tests.factories import make_experiment, make_product
from tracker.models import Experiment, ExperimentRunning

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 18)


def test_starting_while_another_runs_raises_with_the_reason(user):
    Experiment.objects.start(user, TODAY, change="technique", technique="rolling", started_on=TODAY)

    with pytest.raises(ExperimentRunning, match="Two changes at once cannot be told apart"):
        Experiment.objects.start(
            user, TODAY, change="frequency", sessions_per_week=4, started_on=TODAY
        )

    assert Experiment.objects.count() == 1


def test_one_ended_or_past_its_weeks_leaves_room_for_the_next(user, other_user):
    make_experiment(user, started_on=date(2026, 1, 5), ended_on=date(2026, 1, 20))
    make_experiment(user, started_on=date(2026, 6, 1), weeks=2)
    make_experiment(other_user, started_on=TODAY)

    started = Experiment.objects.start(
        user, TODAY, change="technique", technique="rolling", started_on=TODAY
    )

    assert started.subject == "Rolling"
    assert started.status(TODAY) == "running"


def test_its_status_week_and_end(user):
    experiment = make_experiment(user, started_on=date(2026, 11, 2))

    assert experiment.status(date(2026, 11, 1)) == "planned"
    assert experiment.status(TODAY) == "running" and experiment.week_of(TODAY) == 3
    assert experiment.status(date(2026, 12, 14)) == "ended"
    experiment.end(date(2027, 3, 1))
    assert experiment.ended_on == date(2026, 12, 13)  # never past its planned weeks
    experiment.end(date(2026, 11, 10))
    assert experiment.last_day == date(2026, 11, 10) and experiment.status(TODAY) == "ended"


def test_its_subject_stays_when_its_product_is_deleted(user):
    rosehip = make_product(user, "Rosehip oil")
    experiment = Experiment.objects.start(
        user, TODAY, change="product", product=rosehip, started_on=TODAY
    )

    rosehip.remove()
    experiment.refresh_from_db()

    assert experiment.product is None
    assert str(experiment) == "Rosehip oil from 2026-11-18"
