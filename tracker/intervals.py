"""Time between two photos in words, exact to the day: one wording for every page.

Days are calendar days in the owner's time zone, so that a photo taken late on Monday and one
early on Tuesday are a day apart, as the person would count them.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from tracker.stats import local_date

# Under two weeks, days read better than "1 week and 5 days".
DAYS_ONLY_UNDER = 14


def days_between(earlier: datetime, later: datetime, zone: ZoneInfo) -> int:
    return (local_date(later, zone) - local_date(earlier, zone)).days


def interval_words(days: int) -> str:
    """12 -> "12 days", 14 -> "2 weeks", 33 -> "4 weeks and 5 days"; never rounded."""
    if days < DAYS_ONLY_UNDER:
        return f"{days} day{'' if days == 1 else 's'}"
    weeks, rest = divmod(days, 7)
    words = f"{weeks} weeks"
    if rest:
        words += f" and {rest} day{'' if rest == 1 else 's'}"
    return words


def since_first(days: int) -> str:
    """A photo against the first of its angle: "12 days after the first"."""
    return "same day as the first" if days == 0 else f"{interval_words(days)} after the first"


def apart(days: int) -> str:
    """Two photos compared: "12 days apart"."""
    return "taken the same day" if days == 0 else f"{interval_words(days)} apart"
