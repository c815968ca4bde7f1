"""The profile: its defaults, its week, and the targets it accepts."""

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

pytestmark = pytest.mark.django_db


def test_a_profile_reads_as_whose_it_is(user):
    assert str(user.profile) == "Profile of alice"


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


def test_the_database_refuses_a_stretch_goal_below_the_minimum(user):
    profile = user.profile
    profile.target_min, profile.target_stretch = 3, 2

    with pytest.raises(IntegrityError), transaction.atomic():
        profile.save()
