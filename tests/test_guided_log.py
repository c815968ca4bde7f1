"""A guided session logs the time actually spent and the steps done, not the routine's length."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import freeze_time, make_product, make_routine, make_tool
from tracker.forms import RoutineLogForm
from tracker.models import MAX_SESSION_MINUTES, MassageSession

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def now(monkeypatch):
    return freeze_time(monkeypatch)


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

    response = user_client.post(log_url(routine), data, headers=HTMX)

    assert response.status_code == 200
    assert error in response.content.decode()
    assert not MassageSession.objects.exists()

    response = user_client.post(log_url(routine), data)
    assert response["Location"] == reverse("tracker:routine-guide", args=[routine.pk])
    assert not MassageSession.objects.exists()


def test_a_step_of_another_routine_is_refused(user, other_user, user_client, routine, now):
    mine = make_routine(user, "Other").steps.first()
    theirs = make_routine(other_user).steps.first()

    for step in (mine, theirs):
        response = user_client.post(log_url(routine), {"minutes": "3", "steps": [step.pk]})
        assert response.status_code == 302
        assert not MassageSession.objects.exists()


def test_the_model_refuses_steps_of_another_routine(user, routine, now):
    other = make_routine(user, "Other")

    with pytest.raises(ValueError):
        MassageSession.log_routine(routine, user, now, minutes=3, steps_done=other.steps.all())
    assert not MassageSession.objects.exists()


# The routine is only read: one for every example is fine.
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(minutes=st.one_of(st.integers(-(10**6), 10**6).map(str), st.text(max_size=8)))
def test_any_minutes_value_is_either_in_range_or_refused(user, routine, minutes):
    form = RoutineLogForm({"minutes": minutes}, routine=routine)

    if form.is_valid() and form.cleaned_data["minutes"] is not None:
        assert 1 <= form.cleaned_data["minutes"] <= MAX_SESSION_MINUTES
