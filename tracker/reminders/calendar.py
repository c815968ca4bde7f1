"""The private calendar feed: the reminder plan's days as one weekly event with an alarm.

A calendar app subscribed to it shows the planned days in the person's zone; it cannot know
whether the week is on target, so "only when I am behind" is for push and email alone.
"""

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event

from tracker import stats
from tracker.reminders.due import TITLE

ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
# How often calendar apps that honour it fetch the feed again.
REFRESH = timedelta(hours=6)


def feed(
    plan,
    *,
    zone: ZoneInfo,
    minutes: int,
    minimum: int,
    first_weekday: int,
    rest_weeks: Iterable[date],
    dashboard_url: str,
    host: str,
    now: datetime,
) -> bytes:
    """The iCalendar text for a plan (an empty calendar without one, or with no days)."""
    calendar = Calendar()
    calendar.add("prodid", "-//Facetrack//Reminders//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "Facetrack")
    calendar.add("x-wr-timezone", zone.key)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", REFRESH)
    days = sorted(plan.weekdays) if plan is not None else []
    if days:
        start = first_planned_day(stats.local_date(plan.created_at, zone), days)
        begins = datetime.combine(start, plan.at, tzinfo=zone)
        event = Event()
        event.add("uid", f"reminder-plan-{plan.pk}@{host}")
        event.add("dtstamp", now)
        event.add("last-modified", plan.updated_at)
        event.add("dtstart", begins)
        event.add("duration", timedelta(minutes=minutes))
        event.add("rrule", {"freq": "weekly", "byday": [ICAL_DAYS[d] for d in days]})
        skipped = rest_days(rest_weeks, days, first_weekday)
        if skipped:
            event.add("exdate", [datetime.combine(day, plan.at, tzinfo=zone) for day in skipped])
        event.add("summary", "Facial massage")
        event.add(
            "description",
            f"Your plan: {minimum} sessions a week. Open Facetrack: {dashboard_url}",
        )
        event.add("url", dashboard_url)
        event.add("transp", "TRANSPARENT")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", TITLE)
        alarm.add("trigger", timedelta(0))
        event.add_component(alarm)
        calendar.add_component(event)
        calendar.add_missing_timezones(first_date=start - timedelta(days=366))
    return calendar.to_ical()


def first_planned_day(day: date, days: Iterable[int]) -> date:
    """The first of the planned weekdays on or after `day`: a weekly rule must start on one."""
    chosen = set(days)
    for offset in range(7):
        candidate = day + timedelta(days=offset)
        if candidate.weekday() in chosen:
            return candidate
    raise ValueError("no planned day")


def rest_days(rest_weeks: Iterable[date], days: Iterable[int], first_weekday: int) -> list[date]:
    """The planned days that fall in rest weeks: no reminder then, so no event either."""
    chosen = set(days)
    found = []
    for week in sorted(rest_weeks):
        start = stats.week_start_of(week, first_weekday)
        for offset in range(7):
            day = start + timedelta(days=offset)
            if day.weekday() in chosen:
                found.append(day)
    return found
