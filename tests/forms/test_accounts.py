from datetime import date

import pytest

from tests.factories import make_rest_week, profile_data, signup_data
from tracker.forms import ProfileForm, RestWeekForm, SignupForm
from tracker.models import RestWeek

pytestmark = pytest.mark.django_db


def test_the_profile_form_refuses_a_stretch_goal_below_the_minimum(user):
    data = profile_data(timezone="UTC", week_start="0", target_min="3", target_stretch="2")

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


def test_signup_offers_time_zones_and_refuses_a_short_password(db):
    data = signup_data(password1="short-pass1", password2="short-pass1", timezone="Europe/London")

    form = SignupForm(data)

    assert not form.is_valid()
    assert "at least 12 characters" in str(form.errors["password2"])
    assert ("Europe/London", "Europe/London") in form.fields["timezone"].choices


def test_signup_refuses_a_time_zone_that_does_not_exist(db):
    assert "timezone" in SignupForm(signup_data(timezone="Mars/Olympus_Mons")).errors
