"""The private calendar feed, read back by a second, independent iCalendar parser (`ics`)."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import ics
import pytest
from dateutil import rrule, tz
from django.urls import reverse

from tests.factories import make_reminder_plan
from tests.readers import private_words_in
from tracker.models import CalendarFeed, RestWeek

MON, WED, FRI = 0, 2, 4
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def paris(make_user):
    return make_user("alice", timezone="Europe/Paris", target_minutes=12)


def feed_url(feed: CalendarFeed) -> str:
    return reverse("tracker:calendar-feed", args=[feed.token])


def read_feed(client, feed: CalendarFeed) -> tuple[ics.Calendar, str]:
    response = client.get(feed_url(feed))
    assert response.status_code == 200
    text = response.content.decode()
    return ics.Calendar(text), text


def expand(event: ics.Event, count: int) -> list[datetime]:
    """The event's occurrences, from what `ics` parsed: its start and its RRULE and EXDATE."""
    start = event.begin.datetime
    lines = {line.name: line for line in event.extra}
    rules = rrule.rruleset()
    rules.rrule(rrule.rrulestr(lines["RRULE"].value, dtstart=start))
    if "EXDATE" in lines:
        zone = tz.gettz(lines["EXDATE"].params["TZID"][0])
        for value in lines["EXDATE"].value.split(","):
            rules.exdate(datetime.strptime(value, "%Y%m%dT%H%M%S").replace(tzinfo=zone))
    return list(rules)[:count]


def test_the_planned_days_are_one_weekly_event_at_the_local_time_across_the_dst_change(
    paris, client, time_machine
):
    time_machine.move_to(datetime(2027, 3, 20, 12, tzinfo=UTC), tick=False)
    make_reminder_plan(paris, days=[MON, WED, FRI], at=time(8, 0))
    feed = CalendarFeed.objects.issue(paris)
    calendar, _ = read_feed(client, feed)

    [event] = calendar.events
    assert event.name == "Facial massage"
    assert event.duration == timedelta(minutes=12)
    occurrences = expand(event, 6)
    # Local 08:00 on Monday, Wednesday and Friday; summer time starts on Sunday 28 March.
    assert [o.astimezone(UTC) for o in occurrences] == [
        datetime(2027, 3, 22, 7, tzinfo=UTC),
        datetime(2027, 3, 24, 7, tzinfo=UTC),
        datetime(2027, 3, 26, 7, tzinfo=UTC),
        datetime(2027, 3, 29, 6, tzinfo=UTC),
        datetime(2027, 3, 31, 6, tzinfo=UTC),
        datetime(2027, 4, 2, 6, tzinfo=UTC),
    ]
    assert {o.astimezone(PARIS).time() for o in occurrences} == {time(8)}
    [alarm] = event.alarms
    assert alarm.trigger == timedelta(0)


def test_the_feed_skips_the_planned_days_of_rest_weeks(paris, client, time_machine):
    time_machine.move_to(datetime(2027, 3, 20, 12, tzinfo=UTC), tick=False)
    make_reminder_plan(paris, days=[MON, FRI], at=time(19, 30))
    RestWeek.objects.mark(paris, date(2027, 3, 31))
    calendar, _ = read_feed(client, CalendarFeed.objects.issue(paris))

    days = [o.astimezone(PARIS).date() for o in expand(next(iter(calendar.events)), 4)]
    assert days == [date(2027, 3, 22), date(2027, 3, 26), date(2027, 4, 5), date(2027, 4, 9)]


def test_the_feed_says_nothing_private_and_points_at_the_app(paris, client):
    make_reminder_plan(paris)
    _, text = read_feed(client, CalendarFeed.objects.issue(paris))

    assert private_words_in(text) == []
    assert "http://testserver/" in text


def test_without_a_plan_the_feed_is_an_empty_calendar(paris, client):
    calendar, _ = read_feed(client, CalendarFeed.objects.issue(paris))
    assert calendar.events == set()
