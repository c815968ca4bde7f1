from datetime import date

import pytest

from tests.factories import make_rest_week, profile_data
from tracker.forms import ProfileForm, RestWeekForm
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
