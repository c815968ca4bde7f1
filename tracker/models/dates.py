"""The one range of dates the app accepts from a person, and its check.

Every date and time a person gives (a form, an import, a Loop file, a photo's own date, a
link to a week) lies from 2000-01-01 to today in their time zone. The bound is wide enough for
any real history and keeps every value far from the edges of Python's calendar, where moving
a moment between time zones or a day to the start of its week overflows.

"Today" is the current time zone's: the person's during their requests (UserTimezoneMiddleware)
and while an import checks their records (it makes their zone current).
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from tracker.models.choices import FUTURE_TOLERANCE

FIRST_DAY = date(2000, 1, 1)
FIRST_DAY_IN_WORDS = "1 January 2000"

# Stored moments are read back at least this far inside Python's calendar: then showing one
# in any time zone (at most 14 hours from UTC) cannot overflow, whatever was written.
EDGE_MARGIN = timedelta(days=1)
EARLIEST_MOMENT = datetime.min.replace(tzinfo=UTC) + EDGE_MARGIN
LATEST_MOMENT = datetime.max.replace(tzinfo=UTC) - EDGE_MARGIN


@dataclass(frozen=True)
class AcceptedDays:
    """The days the app accepts: `first` to `last`, both included."""

    first: date
    last: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.first <= _as_date(day) <= self.last

    @property
    def in_words(self) -> str:
        return f"from {FIRST_DAY_IN_WORDS} to today"


def accepted_days(zone: tzinfo | None = None) -> AcceptedDays:
    """From 2000-01-01 to today in `zone`, by default the current time zone."""
    return AcceptedDays(FIRST_DAY, timezone.localdate(timezone=zone))


def validate_day(day: date) -> None:
    """Refuse a day outside the accepted range (a form error, or an import's message)."""
    days = accepted_days()
    if _as_date(day) < days.first:
        raise ValidationError(f"Choose a date from {FIRST_DAY_IN_WORDS} on.", code="too_early")
    if _as_date(day) > days.last:
        raise ValidationError("That is in the future.", code="future")


def latest_planned_day(today: date) -> date:
    """A year after `today` (28 February for a 29 February): how far ahead a plan may reach."""
    try:
        return today.replace(year=today.year + 1)
    except ValueError:
        return today.replace(year=today.year + 1, day=28)


def validate_planned_day(day: date) -> None:
    """Like validate_day, for a day that may be planned ahead: up to a year from today."""
    if _as_date(day) < FIRST_DAY:
        raise ValidationError(f"Choose a date from {FIRST_DAY_IN_WORDS} on.", code="too_early")
    if _as_date(day) > latest_planned_day(timezone.localdate()):
        raise ValidationError("That is more than a year ahead.", code="too_far_ahead")


def validate_moment(moment: datetime) -> None:
    """Refuse a time before 2000-01-01 in the current zone, or later than now (give or take
    a phone clock's few minutes ahead), or one without its UTC offset."""
    if timezone.is_naive(moment):
        raise ValidationError("A time needs its UTC offset.", code="naive")
    first = datetime.combine(FIRST_DAY, time.min, tzinfo=timezone.get_current_timezone())
    if moment < first:
        raise ValidationError(f"Choose a date from {FIRST_DAY_IN_WORDS} on.", code="too_early")
    if moment > timezone.now() + FUTURE_TOLERANCE:
        raise ValidationError("That is in the future.", code="future")


def is_accepted_moment(moment: datetime) -> bool:
    try:
        validate_moment(moment)
    except ValidationError:
        return False
    return True


def within_edges(moment: datetime) -> datetime:
    """`moment`, moved inside EARLIEST_MOMENT..LATEST_MOMENT if it lay beyond."""
    return min(max(moment, EARLIEST_MOMENT), LATEST_MOMENT)


class MomentField(models.DateTimeField):
    """A DateTimeField read back inside the calendar's edges (see EDGE_MARGIN).

    Nothing the app accepts comes near them; this keeps a row written some other way (before
    the range existed, by hand, by a script) from taking down every page that shows it.
    """

    def from_db_value(self, value, expression, connection):
        return None if value is None else within_edges(value)

    def deconstruct(self):
        # The same column as a DateTimeField: migrations need not know the difference.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DateTimeField", args, kwargs


def _as_date(day: date) -> date:
    # A datetime is a date too: compare its calendar day, never the object itself.
    return day.date() if isinstance(day, datetime) else day
