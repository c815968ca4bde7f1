"""The time between two photos, in words exact to the day, and the same on every page."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from tests.factories import make_photo
from tracker.intervals import apart, days_between, interval_words, since_first


@pytest.mark.parametrize(
    ("days", "words"),
    [
        (1, "1 day"),
        (6, "6 days"),
        (7, "7 days"),
        (12, "12 days"),
        (13, "13 days"),
        (14, "2 weeks"),
        (15, "2 weeks and 1 day"),
        (33, "4 weeks and 5 days"),
        (70, "10 weeks"),
    ],
)
def test_an_interval_is_said_exactly_never_rounded(days, words):
    assert interval_words(days) == words


def test_the_same_day_is_said_in_words():
    assert since_first(0) == "same day as the first"
    assert apart(0) == "taken the same day"
    assert since_first(12) == "12 days after the first"
    assert apart(12) == "12 days apart"


def test_days_are_calendar_days_in_the_owners_zone():
    auckland = ZoneInfo("Pacific/Auckland")
    # 23:00 on Monday and 07:00 on Tuesday in Auckland: 8 hours, but a day apart.
    monday_night = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
    tuesday_morning = monday_night + timedelta(hours=8)
    assert days_between(monday_night, tuesday_morning, auckland) == 1
    assert days_between(monday_night, tuesday_morning, UTC) == 0


@pytest.mark.django_db
def test_the_gallery_the_comparison_and_the_dashboard_say_the_same(user, user_client, now):
    make_photo(user, now - timedelta(days=13))
    make_photo(user, now - timedelta(days=1))

    gallery = user_client.get(reverse("tracker:photos")).content.decode()
    compare = user_client.get(reverse("tracker:photo-compare")).content.decode()
    dashboard = user_client.get(reverse("tracker:dashboard")).content.decode()

    assert "12 days after the first" in gallery
    assert "<strong>12 days apart</strong>" in compare
    assert "Front: 12 days apart" in dashboard
    for page in (gallery, compare, dashboard):
        assert "1 week" not in page
