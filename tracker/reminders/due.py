"""When a reminder falls due, whether it is sent, and what it says.

Pure functions over plain values: nothing here reads the clock or the database. Moments are
aware datetimes; days and times are local to the person's time zone.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from tracker import stats

# A reminder that could not go out within this long after its time is dropped: by then the
# person has planned their day, and "1 of 2 this week" may no longer be true.
LATE_LIMIT = timedelta(hours=1)


class Mode(StrEnum):
    ALWAYS = "always"
    WHEN_BEHIND = "behind"


class Skip(StrEnum):
    """Why an occurrence is not sent."""

    REST_WEEK = "rest week"
    SESSION_TODAY = "a session that day"
    ON_TARGET = "week on target"
    NOT_BEHIND = "not behind"
    LATE = "too late"
    NO_CHANNEL = "nowhere to send it"


def local_moment(day: date, at: time, zone: ZoneInfo) -> datetime:
    """`at` on `day` in `zone`, as a UTC moment.

    A time that does not exist that day (the hour skipped when clocks go forward) falls the
    same length of time after the change (02:30 becomes 03:30); a time that happens twice
    (clocks go back) is the first of the two.
    """
    return datetime.combine(day, at, tzinfo=zone).replace(fold=0).astimezone(UTC)


def next_occurrence(
    after: datetime, *, days: Collection[int], at: time, zone: ZoneInfo
) -> datetime | None:
    """The first reminder strictly after `after`: `at` local time on one of `days`.

    `days` are weekdays, 0 = Monday ... 6 = Sunday. None without any day.
    """
    if after.tzinfo is None or after.utcoffset() is None:
        raise ValueError("next_occurrence() needs an aware datetime")
    if not days:
        return None
    first = stats.local_date(after, zone)
    # Eight days: the same weekday a week later, when today's time has passed already.
    for offset in range(8):
        day = first + timedelta(days=offset)
        if day.weekday() in days:
            moment = local_moment(day, at, zone)
            if moment > after:
                return moment
    return None


@dataclass(frozen=True)
class Standing:
    """Where the person stands this week on the day of a reminder."""

    done: int  # sessions this week up to and including today
    minimum: int  # the weekly minimum
    left: int  # days left in the week, today included

    @property
    def needed(self) -> int:
        return max(self.minimum - self.done, 0)

    @property
    def on_target(self) -> bool:
        return self.needed == 0

    @property
    def behind(self) -> bool:
        """At most one spare day: with fewer sessions than days left, one skip too many misses."""
        return self.needed > 0 and self.left <= self.needed + 1


def standing(
    session_days: Iterable[date], *, today: date, first_weekday: int, minimum: int
) -> Standing:
    """The week of `today` so far: `session_days` holds one local date per session."""
    start = stats.week_start_of(today, first_weekday)
    done = sum(1 for day in session_days if start <= day <= today)
    left = (start + timedelta(days=7) - today).days
    return Standing(done=done, minimum=minimum, left=left)


def skip_reason(
    state: Standing, *, mode: Mode, rest_week: bool, session_today: bool
) -> Skip | None:
    """Why this reminder is not sent, or None to send it."""
    if rest_week:
        return Skip.REST_WEEK
    if session_today:
        return Skip.SESSION_TODAY
    if mode == Mode.WHEN_BEHIND:
        if state.on_target:
            return Skip.ON_TARGET
        if not state.behind:
            return Skip.NOT_BEHIND
    return None


def is_late(occurrence: datetime, now: datetime) -> bool:
    return now - occurrence > LATE_LIMIT


@dataclass(frozen=True)
class Message:
    """A reminder's words: what a lock screen or an inbox may show to anyone nearby.

    Nothing about skin reactions, health answers or photos ever goes in here.
    """

    title: str
    body: str


TITLE = "Time for your facial massage"


def message(state: Standing) -> Message:
    """The reminder's words: where the person stands ("1 of 2 this week, 3 days left")."""
    days_left = "today is the last day" if state.left == 1 else f"{state.left} days left"
    if state.on_target:
        body = f"{state.done} of {state.minimum} this week: on target, {days_left}."
    else:
        body = f"{state.done} of {state.minimum} this week, {days_left}."
        if state.behind:
            body += " A session today keeps the target within reach."
    return Message(title=TITLE, body=body)


def seconds_until_end_of_day(moment: datetime, zone: ZoneInfo) -> int:
    """Seconds from `moment` to the next local midnight: past that, a reminder is stale."""
    tomorrow = stats.local_date(moment, zone) + timedelta(days=1)
    return int((local_moment(tomorrow, time(0), zone) - moment).total_seconds())
