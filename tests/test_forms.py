from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tests.factories import (
    freeze_time,
    make_product,
    make_rest_week,
    make_routine,
    make_session,
    make_tool,
)
from tracker.forms import ProfileForm, RestWeekForm, SessionForm, StepForm
from tracker.models import MassageSession, RestWeek, Routine

AUCKLAND = ZoneInfo("Pacific/Auckland")

pytestmark = pytest.mark.django_db


@pytest.fixture
def now(monkeypatch: pytest.MonkeyPatch) -> datetime:
    return freeze_time(monkeypatch)


def session_data(**overrides) -> dict:
    data = {
        "performed_at": "2026-11-18T08:00",
        "minutes": "10",
        "pressure": "gentle",
        "reaction": "none",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


# Minutes


def test_a_session_of_ten_minutes_is_valid(user, now):
    form = SessionForm(session_data(), user=user)

    assert form.is_valid(), form.errors


def test_a_session_of_zero_minutes_is_refused_with_a_plain_message(user, now):
    form = SessionForm(session_data(minutes="0"), user=user)

    assert not form.is_valid()
    assert form.errors["minutes"] == ["A session lasts at least 1 minute."]


def test_a_session_of_181_minutes_is_refused_as_a_likely_typo(user, now):
    form = SessionForm(session_data(minutes="181"), user=user)

    assert not form.is_valid()
    assert form.errors["minutes"] == ["That is more than 180 minutes: check the number."]


def test_a_session_of_180_minutes_is_allowed(user, now):
    assert SessionForm(session_data(minutes="180"), user=user).is_valid()


# When


def test_a_session_in_the_future_is_refused(user, now):
    form = SessionForm(session_data(performed_at="2026-11-18T14:00"), user=user)

    assert not form.is_valid()
    assert form.errors["performed_at"] == ["That is in the future: log a session once it is done."]


def test_a_phone_clock_a_minute_or_two_ahead_is_tolerated(user, now):
    form = SessionForm(session_data(performed_at="2026-11-18T12:03"), user=user)

    assert form.is_valid(), form.errors


def test_the_time_typed_in_is_read_in_the_users_own_time_zone(make_user, now):
    kiwi = make_user("kiwi", timezone="Pacific/Auckland")
    form = SessionForm(session_data(performed_at="2026-11-18T23:30"), user=kiwi)

    # As UserTimezoneMiddleware does for every request of a logged-in user.
    with timezone.override(kiwi.profile.zone):
        assert form.is_valid(), form.errors
    session = MassageSession.objects.log(kiwi, **form.cleaned_data)

    assert session.performed_at == datetime(2026, 11, 18, 23, 30, tzinfo=AUCKLAND)
    assert session.performed_at == datetime(2026, 11, 18, 10, 30, tzinfo=UTC)
    assert session.local_date == date(2026, 11, 18)


def test_a_new_form_proposes_now_in_the_users_zone_and_their_usual_length(make_user, now):
    kiwi = make_user("kiwi", timezone="Pacific/Auckland", target_minutes=12)

    with timezone.override(kiwi.profile.zone):
        form = SessionForm(user=kiwi)
        rendered = str(form["performed_at"])

    assert 'value="2026-11-19T01:00"' in rendered
    assert form["minutes"].value() == 12


def test_editing_only_the_notes_after_moving_zone_keeps_the_session_in_its_week(make_user, now):
    kiwi = make_user("kiwi", timezone="Pacific/Auckland")
    # Monday morning in Auckland, still Sunday in London.
    session = make_session(kiwi, datetime(2026, 11, 16, 8, 0, tzinfo=AUCKLAND))
    kiwi.profile.timezone = "Europe/London"
    kiwi.profile.save()
    # The edit form shows the time in the zone the user is in now.
    data = session_data(performed_at="2026-11-15T19:00", notes="Lovely.")

    with timezone.override(kiwi.profile.zone):
        form = SessionForm(data, instance=session, user=kiwi)
        assert form.is_valid(), form.errors
    session.edit(**form.cleaned_data)
    session.refresh_from_db()

    assert session.notes == "Lovely."
    assert session.local_date == date(2026, 11, 16)


def test_editing_a_one_tap_session_logged_with_seconds_keeps_its_local_day(make_user, now):
    kiwi = make_user("kiwi", timezone="Pacific/Auckland")
    routine = make_routine(kiwi)
    session = MassageSession.log_routine(
        routine, kiwi, performed_at=datetime(2026, 11, 16, 8, 0, 42, tzinfo=AUCKLAND)
    )
    kiwi.profile.timezone = "America/Los_Angeles"
    kiwi.profile.save()
    data = session_data(performed_at="2026-11-15T11:00", minutes="7", notes="Shorter.")

    with timezone.override(kiwi.profile.zone):
        form = SessionForm(data, instance=session, user=kiwi)
        assert form.is_valid(), form.errors
    session.edit(**form.cleaned_data)
    session.refresh_from_db()

    assert session.minutes == 7
    assert session.local_date == date(2026, 11, 16)


def test_changing_the_time_of_a_session_moves_it_to_the_new_local_day(user, now):
    session = make_session(user, datetime(2026, 11, 16, 8, 0, tzinfo=UTC))

    form = SessionForm(session_data(performed_at="2026-11-17T21:00"), instance=session, user=user)
    assert form.is_valid(), form.errors
    session.edit(**form.cleaned_data)
    session.refresh_from_db()

    assert session.local_date == date(2026, 11, 17)


# Other users' objects


def test_another_users_routine_is_not_a_valid_choice(user, other_user, now):
    theirs = make_routine(other_user)

    form = SessionForm(session_data(routine=str(theirs.pk)), user=user)

    assert not form.is_valid()
    assert "routine" in form.errors


def test_another_users_tool_is_not_a_valid_choice(user, other_user, now):
    theirs = make_tool(other_user)

    form = SessionForm(session_data(tools=[str(theirs.pk)]), user=user)

    assert not form.is_valid()
    assert "tools" in form.errors


def test_another_users_product_is_not_a_valid_choice(user, other_user, now):
    theirs = make_product(other_user)

    form = SessionForm(session_data(products=[str(theirs.pk)]), user=user)

    assert not form.is_valid()
    assert "products" in form.errors
    assert MassageSession.objects.count() == 0


def test_the_users_own_routine_tools_and_products_are_accepted(user, now):
    routine, tool, product = make_routine(user), make_tool(user), make_product(user)
    data = session_data(routine=str(routine.pk), tools=[str(tool.pk)], products=[str(product.pk)])

    form = SessionForm(data, user=user)
    assert form.is_valid(), form.errors
    session = MassageSession.objects.log(user, **form.cleaned_data)

    assert session.owner == user
    assert session.routine == routine
    assert list(session.tools.all()) == [tool]
    assert list(session.products.all()) == [product]


def test_the_choices_offered_are_only_the_users_own(user, other_user, now):
    make_routine(user, "Mine")
    make_routine(other_user, "Theirs")

    form = SessionForm(user=user)

    assert list(form.fields["routine"].queryset) == list(Routine.objects.filter(name="Mine"))


def test_a_step_cannot_use_another_users_tool(user, other_user):
    theirs = make_tool(other_user)
    data = {"technique": "rolling", "area": "cheeks", "seconds": "60", "tool": str(theirs.pk)}

    form = StepForm(data, user=user)

    assert not form.is_valid()
    assert "tool" in form.errors


# Profile, rest weeks, signup


def test_the_profile_form_refuses_a_stretch_goal_below_the_minimum(user):
    data = {
        "timezone": "UTC",
        "week_start": "0",
        "target_min": "3",
        "target_stretch": "2",
        "target_minutes": "10",
    }

    form = ProfileForm(data, instance=user.profile)

    assert not form.is_valid()
    assert form.errors["target_stretch"] == ["The stretch goal cannot be below the weekly minimum."]


def test_a_rest_week_is_stored_from_the_first_day_of_the_week_given_any_day(user):
    form = RestWeekForm({"week_start": "2026-11-19", "reason": "Peel"}, user=user)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["week_start"] == date(2026, 11, 16)
    rest = RestWeek.objects.mark(user, form.cleaned_data["week_start"], form.cleaned_data["reason"])
    assert rest.week_start == date(2026, 11, 16)


def test_the_same_rest_week_cannot_be_marked_twice(user):
    make_rest_week(user, date(2026, 11, 16))

    form = RestWeekForm({"week_start": "2026-11-20"}, user=user)

    assert not form.is_valid()
    assert form.errors["week_start"] == ["That week is already a rest week."]


def test_an_hour_ago_is_in_the_past(user, now):
    earlier = (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")

    assert SessionForm(session_data(performed_at=earlier), user=user).is_valid()
