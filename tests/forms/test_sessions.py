from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from hypothesis import example, given
from hypothesis import strategies as st

from tests.factories import (
    make_product,
    make_routine,
    make_session,
    make_tool,
    make_user,
    session_data,
)
from tests.properties import no_writes, posted, rolled_back, text_or
from tracker.forms import RoutineLogForm, SessionForm
from tracker.models import (
    FUTURE_TOLERANCE,
    MAX_SESSION_MINUTES,
    Area,
    MassageSession,
    Pressure,
    Reaction,
    Routine,
    Technique,
)

AUCKLAND = ZoneInfo("Pacific/Auckland")

pytestmark = pytest.mark.django_db


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


def test_an_hour_ago_is_in_the_past(user, now):
    earlier = (now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")

    assert SessionForm(session_data(performed_at=earlier), user=user).is_valid()


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


# Whatever is posted

# Placeholders for the ids of the user's own routine, tool and product, and of someone else's.
OWN, THEIRS = "own", "theirs"
OWNED = ("routine", "tools", "products")
# Fields that hold the id of a routine, mapped like the routine's own field.
ROUTINE_IDS = ("steps_from_routine",)


def typed_datetimes() -> st.SearchStrategy[str]:
    """Any moment a datetime-local input can hold, from year 1 to year 9999, edges included."""
    moments = st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59))
    edges = st.sampled_from(["0001-01-01T00:00", "9999-12-31T23:59", "2026-11-02T08:00"])
    return edges | moments.map(lambda moment: moment.strftime("%Y-%m-%dT%H:%M"))


SESSION_FIELDS = {
    "performed_at": text_or(typed_datetimes()),
    "minutes": text_or(st.integers(-5, 400).map(str)),
    "routine": text_or(st.just(THEIRS), st.sampled_from([OWN, "0", "-1"])),
    "techniques": text_or(st.sampled_from(Technique.values)),
    "areas": text_or(st.sampled_from(Area.values)),
    "tools": text_or(st.just(THEIRS), st.just(OWN)),
    "products": text_or(st.just(THEIRS), st.just(OWN)),
    "pressure": text_or(st.sampled_from(Pressure.values)),
    "cleansed_skin": text_or(st.just("on")),
    "clean_hands_and_tools": text_or(st.just("on")),
    "used_slip": text_or(st.just("on")),
    "reaction": text_or(st.sampled_from(Reaction.values)),
    "rating": text_or(st.sampled_from(["", "1", "2", "3", "4", "5"])),
    "notes": st.text(),
    "client_id": text_or(st.uuids().map(str)),
    "steps_from_routine": text_or(st.just(OWN), st.sampled_from(["0", "-1", "1"])),
}
SESSION_POSTS = posted(SESSION_FIELDS, base=session_data(performed_at="2026-11-02T08:00"))


def test_the_property_below_draws_every_field_of_the_form():
    assert set(SESSION_FIELDS) == set(SessionForm.base_fields)


@pytest.mark.django_db
@given(data=SESSION_POSTS, zone=st.sampled_from(["UTC", "Pacific/Kiritimati", "Pacific/Niue"]))
# Always tried as well: everything someone else's, which only a missing owner check lets through.
@example(
    data=MultiValueDict(
        {name: [value] for name, value in session_data().items()}
        | {name: [THEIRS] for name in OWNED}
    ),
    zone="UTC",
)
def test_whatever_is_posted_the_session_form_neither_fails_nor_writes(data, zone):
    with rolled_back():
        user, other = make_user("alice", timezone=zone), make_user("mallory")
        own_tool = make_tool(user)
        own = {
            # Its steps use the tool: a routine chosen with nothing ticked brings it in.
            "routine": make_routine(user, tool=own_tool),
            "tools": own_tool,
            "products": make_product(user),
        }
        theirs = {
            "routine": make_routine(other),
            "tools": make_tool(other),
            "products": make_product(other),
        }
        data = data.copy()
        for name in set(OWNED + ROUTINE_IDS) & set(data):
            kind = "routine" if name in ROUTINE_IDS else name
            ids = {OWN: str(own[kind].pk), THEIRS: str(theirs[kind].pk)}
            data.setlist(name, [ids.get(value, value) for value in data.getlist(name)])

        # As UserTimezoneMiddleware does; and the form is drawn again, with its errors.
        with no_writes(), timezone.override(user.profile.zone):
            form = SessionForm(data, user=user)
            valid = form.is_valid()
            form.as_div()

        if valid:
            cleaned = form.cleaned_data
            assert 1 <= cleaned["minutes"] <= MAX_SESSION_MINUTES
            assert cleaned["performed_at"] <= timezone.now() + FUTURE_TOLERANCE
            chosen = [cleaned["routine"], *cleaned["tools"], *cleaned["products"]]
            assert all(choice.owner == user for choice in chosen if choice is not None)


# A guided session's log (RoutineLogForm)

ROUTINE_LOG_FIELDS = {
    "performed_at": text_or(st.datetimes().map(lambda moment: moment.isoformat())),
    "minutes": text_or(st.integers(-(10**6), 10**6).map(str)),
    "steps": text_or(st.just(THEIRS), st.just(OWN), st.just("0")),
    "client_id": text_or(st.uuids().map(str)),
}


def test_the_guided_log_property_draws_every_field_of_the_form():
    assert set(ROUTINE_LOG_FIELDS) == set(RoutineLogForm.base_fields)


@pytest.mark.django_db
@given(data=posted(ROUTINE_LOG_FIELDS, base={"minutes": "3", "steps": OWN}))
def test_a_guided_log_takes_minutes_in_range_and_only_its_own_routines_steps(data):
    with rolled_back():
        user, other = make_user("alice"), make_user("mallory")
        routine = make_routine(user)
        ids = {
            OWN: str(routine.steps.first().pk),
            THEIRS: str(make_routine(other).steps.first().pk),
        }
        data = data.copy()
        data.setlist("steps", [ids.get(value, value) for value in data.getlist("steps")])

        with no_writes():
            form = RoutineLogForm(data, routine=routine)
            valid = form.is_valid()

        if valid:
            cleaned = form.cleaned_data
            assert cleaned["minutes"] is None or 1 <= cleaned["minutes"] <= MAX_SESSION_MINUTES
            assert all(step.routine_id == routine.pk for step in cleaned["steps"])
            assert not cleaned["steps"] or cleaned["minutes"] is not None
            assert cleaned["performed_at"] <= timezone.now() + FUTURE_TOLERANCE
