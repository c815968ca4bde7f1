from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.factories import (
    make_product,
    make_rest_week,
    make_routine,
    make_session,
    make_tool,
)
from tracker.models import (
    Area,
    MassageSession,
    Product,
    ProgressPhoto,
    Routine,
    RoutineStep,
    Technique,
)

AUCKLAND = ZoneInfo("Pacific/Auckland")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")

pytestmark = pytest.mark.django_db


# Local dates


def test_a_session_at_half_past_eleven_at_night_in_auckland_counts_on_that_local_day(make_user):
    kiwi = make_user("kiwi", timezone="Pacific/Auckland")
    session = make_session(kiwi, datetime(2026, 3, 10, 23, 30, tzinfo=AUCKLAND))

    assert session.local_date == date(2026, 3, 10)


def test_an_auckland_morning_session_counts_on_the_local_day_not_the_utc_one(make_user):
    kiwi = make_user("kiwi", timezone="Pacific/Auckland")
    # 07:30 on 11 March in Auckland is still 10 March in UTC.
    performed_at = datetime(2026, 3, 11, 7, 30, tzinfo=AUCKLAND)
    assert performed_at.astimezone(UTC).date() == date(2026, 3, 10)

    session = make_session(kiwi, performed_at)

    assert session.local_date == date(2026, 3, 11)


def test_a_sunday_night_session_in_los_angeles_stays_on_sunday(make_user):
    angeleno = make_user("angeleno", timezone="America/Los_Angeles")
    session = make_session(angeleno, datetime(2026, 11, 22, 23, 30, tzinfo=LOS_ANGELES))

    assert session.local_date == date(2026, 11, 22)
    assert session.local_date.weekday() == 6


def test_moving_to_another_time_zone_does_not_move_a_saved_session(make_user):
    kiwi = make_user("kiwi", timezone="Pacific/Auckland")
    session = make_session(kiwi, datetime(2026, 3, 11, 7, 30, tzinfo=AUCKLAND))

    kiwi.profile.timezone = "Europe/London"
    kiwi.profile.save()
    session.notes = "Felt lovely."
    session.save()
    session.refresh_from_db()

    assert session.local_date == date(2026, 3, 11)


def test_the_in_week_queryset_keeps_sessions_of_that_week_only(user):
    monday = date(2026, 11, 16)
    inside = [
        make_session(user, datetime(2026, 11, 16, 0, 5, tzinfo=UTC)),
        make_session(user, datetime(2026, 11, 22, 23, 55, tzinfo=UTC)),
    ]
    make_session(user, datetime(2026, 11, 15, 23, 55, tzinfo=UTC))
    make_session(user, datetime(2026, 11, 23, 0, 5, tzinfo=UTC))

    assert set(MassageSession.objects.for_user(user).in_week(monday)) == set(inside)


# Logging a routine


def test_logging_a_routine_fills_in_its_minutes_techniques_areas_tools_and_products(user):
    roller = make_tool(user, "Jade roller")
    oil = make_product(user, "Rosehip oil")
    routine = make_routine(
        user,
        steps=[
            (Technique.EFFLEURAGE, Area.NECK, 60),
            (Technique.GUA_SHA, Area.JAWLINE, 150),
            (Technique.EFFLEURAGE, Area.CHEEKS, 90),
            (Technique.ROLLING, Area.NECK, 60),
        ],
        tool=roller,
        products=[oil],
    )
    performed_at = datetime(2026, 11, 18, 8, 0, tzinfo=UTC)

    session = MassageSession.log_routine(routine, user, performed_at=performed_at)
    session.refresh_from_db()

    assert session.owner == user
    assert session.routine == routine
    assert session.performed_at == performed_at
    assert session.local_date == date(2026, 11, 18)
    assert session.minutes == 6
    # Each technique and area once, in the order the routine first uses it.
    assert session.techniques == [Technique.EFFLEURAGE, Technique.GUA_SHA, Technique.ROLLING]
    assert session.areas == [Area.NECK, Area.JAWLINE, Area.CHEEKS]
    assert list(session.tools.all()) == [roller]
    assert list(session.products.all()) == [oil]


def test_logging_a_routine_without_steps_counts_one_minute_and_no_tools(user):
    routine = Routine.objects.create(owner=user, name="Empty")

    session = MassageSession.log_routine(
        routine, user, performed_at=datetime(2026, 11, 18, tzinfo=UTC)
    )

    assert session.minutes == 1
    assert session.techniques == []
    assert session.tools.count() == 0


def test_logging_a_routine_uses_the_owners_time_zone_for_the_local_date(make_user):
    kiwi = make_user("kiwi", timezone="Pacific/Auckland")
    routine = make_routine(kiwi)

    session = MassageSession.log_routine(
        routine, kiwi, performed_at=datetime(2026, 3, 10, 19, 0, tzinfo=UTC)
    )

    assert session.local_date == date(2026, 3, 11)


# Flags


@pytest.mark.parametrize(("minutes", "short"), [(1, True), (4, True), (5, False), (15, False)])
def test_a_session_under_five_minutes_is_short(user, minutes: int, short: bool):
    assert make_session(user, minutes=minutes).is_short is short


@pytest.mark.parametrize(
    ("patch_test", "needed"),
    [
        (Product.PatchTest.NOT_DONE, True),
        (Product.PatchTest.PENDING, True),
        (Product.PatchTest.REACTED, True),
        (Product.PatchTest.PASSED, False),
    ],
)
def test_only_a_passed_patch_test_clears_a_product_for_the_face(
    user, patch_test: str, needed: bool
):
    assert make_product(user, patch_test=patch_test).needs_patch_test is needed


def test_technique_and_area_labels_skip_values_no_longer_offered(user):
    session = make_session(user, techniques=["gua_sha", "retired"], areas=["neck", "ears"])

    assert session.technique_labels() == ["Gua sha scraping"]
    assert session.area_labels() == ["Neck"]


# Profiles


def test_a_new_user_gets_a_profile_with_the_default_targets(db):
    user = User.objects.create_user("newcomer", password="a long enough password")

    profile = user.profile
    assert profile.pk is not None
    assert profile.timezone == "UTC"
    assert profile.week_start == 0
    assert (profile.target_min, profile.target_stretch, profile.target_minutes) == (2, 3, 10)


def test_saving_a_user_again_does_not_create_a_second_profile(user):
    user.first_name = "Alice"
    user.save()

    assert type(user.profile).objects.filter(user=user).count() == 1


def test_a_profile_finds_the_start_of_a_week_from_its_first_day(make_user):
    sunday_starter = make_user("sunday", week_start=6)

    assert sunday_starter.profile.week_start_of(date(2026, 11, 18)) == date(2026, 11, 15)


def test_a_profile_rejects_a_stretch_goal_below_the_minimum_when_cleaned(user):
    user.profile.target_min, user.profile.target_stretch = 3, 2

    with pytest.raises(ValidationError, match="stretch goal cannot be below"):
        user.profile.full_clean()


def test_a_profile_rejects_an_unknown_time_zone(user):
    user.profile.timezone = "Mars/Olympus_Mons"

    with pytest.raises(ValidationError, match="Choose a time zone"):
        user.profile.full_clean()


# Database constraints


@pytest.mark.parametrize("minutes", [0, 181])
def test_the_database_refuses_a_session_length_out_of_range(user, minutes: int):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_session(user, minutes=minutes)


def test_the_database_accepts_the_longest_allowed_session(user):
    assert make_session(user, minutes=180).pk is not None


def test_the_database_refuses_a_stretch_goal_below_the_minimum(user):
    profile = user.profile
    profile.target_min, profile.target_stretch = 3, 2

    with pytest.raises(IntegrityError), transaction.atomic():
        profile.save()


def test_the_database_refuses_the_same_rest_week_twice(user):
    make_rest_week(user, date(2026, 11, 16))

    with pytest.raises(IntegrityError), transaction.atomic():
        make_rest_week(user, date(2026, 11, 16))


def test_two_users_can_rest_in_the_same_week(user, other_user):
    make_rest_week(user, date(2026, 11, 16))

    assert make_rest_week(other_user, date(2026, 11, 16)).pk is not None


# How each model reads


def test_every_model_reads_as_something_a_person_recognises(user):
    tool = make_tool(user, "Gua sha stone")
    product = make_product(user, "Rosehip oil")
    routine = make_routine(user, "Morning depuff", steps=[(Technique.LYMPHATIC, Area.EYES, 60)])
    step = RoutineStep.objects.get(routine=routine)
    session = make_session(user, datetime(2026, 11, 18, 8, 0, tzinfo=UTC), minutes=12)
    rest = make_rest_week(user, date(2026, 11, 16))
    photo = ProgressPhoto(
        owner=user,
        taken_at=datetime(2026, 11, 18, 8, 0, tzinfo=UTC),
        angle=ProgressPhoto.Angle.LEFT,
    )

    assert str(user.profile) == "Profile of alice"
    assert str(tool) == "Gua sha stone"
    assert str(product) == "Rosehip oil"
    assert str(routine) == "Morning depuff"
    assert str(step) == "Lymphatic drainage, Around the eyes"
    assert str(session) == "12 min on 2026-11-18"
    assert str(rest) == "Rest week from 2026-11-16"
    assert str(photo) == "Left side photo, 2026-11-18"


def test_a_routine_takes_its_steps_seconds_rounded_to_whole_minutes(user):
    routine = make_routine(
        user, steps=[(Technique.EFFLEURAGE, Area.NECK, 60), (Technique.FRICTION, Area.CHEEKS, 100)]
    )

    assert routine.total_seconds() == 160
    assert routine.minutes() == 3
