"""Counting for the dashboard: weeks, streaks and habit strength.

Pure functions over plain values. Nothing here reads the clock: `today` is always passed in,
already expressed in the owner's time zone.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from itertools import accumulate
from operator import itemgetter, sub
from zoneinfo import ZoneInfo

WEEK = timedelta(days=7)
WEEK_DAYS = tuple(timedelta(days=offset) for offset in range(7))


def local_date(moment: datetime, tz: ZoneInfo) -> date:
    """The calendar date of an aware `moment` as seen in `tz`."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("local_date() needs an aware datetime")
    return moment.astimezone(tz).date()


def week_start_of(day: date, first_weekday: int) -> date:
    """The first day of the week containing `day` (first_weekday: 0 = Monday ... 6 = Sunday).

    The calendar's first week starts on its first day (date.min), whatever the weekday: the
    day before it does not exist.
    """
    _check_first_weekday(first_weekday)
    back = (day.weekday() - first_weekday) % 7
    return day - timedelta(days=back) if day.toordinal() > back else date.min


def _check_first_weekday(first_weekday: int) -> None:
    if not 0 <= first_weekday <= 6:
        raise ValueError(f"first_weekday must be 0..6, not {first_weekday}")


def week_end_of(start: date) -> date:
    """The last day (inclusive) of the week starting on `start`, or the calendar's last day."""
    return start + timedelta(days=6) if start <= date.max - timedelta(days=6) else date.max


def week_starts(first: date, last: date, first_weekday: int) -> list[date]:
    """Starts of the weeks covering `first`..`last` inclusive, oldest first."""
    start = week_start_of(first, first_weekday).toordinal()
    end = week_start_of(last, first_weekday).toordinal()
    starts = []
    if start == 1 and date.min.weekday() != first_weekday:
        # The calendar's first week is cut short (see week_start_of); whole weeks follow it.
        starts.append(date.min)
        start += (first_weekday - date.min.weekday()) % 7
    # From ordinals: adding multiples of WEEK made a timedelta per week, most of a streak's cost.
    return starts + list(map(date.fromordinal, range(start, end + 1, 7)))


class WeekState(StrEnum):
    MISSED = "missed"
    ON_TARGET = "on_target"
    STRETCH = "stretch"
    IN_PROGRESS = "in_progress"
    REST = "rest"

    @property
    def label(self) -> str:
        """How the dashboard, the chart and its table name the state (one place for all)."""
        return WEEK_STATE_LABELS[self]


WEEK_STATE_LABELS = {
    WeekState.MISSED: "Below target",
    WeekState.ON_TARGET: "On target",
    WeekState.STRETCH: "Stretch goal reached",
    WeekState.IN_PROGRESS: "In progress",
    WeekState.REST: "Rest week",
}


@dataclass(frozen=True)
class Week:
    start: date
    sessions: int
    minutes: int
    state: WeekState
    is_current: bool
    is_rest: bool

    @property
    def end(self) -> date:
        """The last day of the week (inclusive)."""
        return week_end_of(self.start)


def weekly_counts(days: Iterable[date], first_weekday: int) -> Counter[date]:
    """Sessions per week start; pass one date per session."""
    return by_week(Counter(days), first_weekday)


def by_week(per_day: Mapping[date, int], first_weekday: int) -> Counter[date]:
    """Per-day numbers added up per week start (what week_start_of gives for each day).

    Worked out on day ordinals in one comprehension: the dashboard counts years of sessions
    on every render, and a call of week_start_of per session was most of its cost.
    """
    _check_first_weekday(first_weekday)
    # date(1, 1, 1), ordinal 1, is a Monday: an ordinal's weekday is (ordinal - 1) % 7, and
    # the calendar's first week starts on its first day, ordinal 1 (see week_start_of).
    shift = 1 + first_weekday
    starts = [ordinal - (ordinal - shift) % 7 for ordinal in map(date.toordinal, per_day)]
    if starts and min(starts) < 1:
        starts = [max(start, 1) for start in starts]
    weekly = Counter(starts)
    # Counter counted each day once; add what days with more than one bring.
    for start, value in [
        pair for pair in zip(starts, per_day.values(), strict=True) if pair[1] != 1
    ]:
        weekly[start] += value - 1
    fromordinal = date.fromordinal
    return Counter({fromordinal(start): value for start, value in weekly.items()})


@dataclass(frozen=True)
class Tally:
    """Sessions as of `today`, counted once for every figure the dashboard shows.

    `sessions` keeps the (local date, minutes) pairs up to `today`; weeks are keyed by their
    first day (see week_start_of) and rest weeks are given as week starts.
    """

    first_weekday: int
    today: date
    sessions: list[tuple[date, int]]
    per_day: Counter[date]
    per_week: Counter[date]
    rest: frozenset[date]
    current_week: date

    def minutes_since(self, since: date) -> list[int]:
        """The minutes of each session on or after `since`."""
        return [minutes for day, minutes in self.sessions if day >= since]

    def minutes_per_week(self, since: date) -> Counter[date]:
        """Minutes per week start, for the weeks starting on or after `since` (a week start)."""
        per_day: dict[date, int] = {}
        add = per_day.get
        for day, minutes in self.sessions:
            if day >= since:
                per_day[day] = add(day, 0) + minutes
        return by_week(per_day, self.first_weekday)


def tally(
    sessions: Iterable[tuple[date, int]],
    *,
    first_weekday: int,
    rest_weeks: Iterable[date] = (),
    today: date,
) -> Tally:
    """Count (local date, minutes) pairs per day and per week, as of `today`."""
    kept = list(sessions)
    days = list(map(itemgetter(0), kept))
    if days and max(days) > today:
        kept = [(day, minutes) for day, minutes in kept if day <= today]
        days = list(map(itemgetter(0), kept))
    per_day = Counter(days)
    return Tally(
        first_weekday=first_weekday,
        today=today,
        sessions=kept,
        per_day=per_day,
        per_week=by_week(per_day, first_weekday),
        rest=frozenset(_rest_week_starts(rest_weeks, first_weekday)),
        current_week=week_start_of(today, first_weekday),
    )


def week_state(
    sessions: int, minimum: int, stretch: int, *, is_current: bool, is_rest: bool
) -> WeekState:
    """How a week with `sessions` sessions stands against the weekly target."""
    if is_rest:
        return WeekState.REST
    if sessions >= stretch:
        return WeekState.STRETCH
    if sessions >= minimum:
        return WeekState.ON_TARGET
    # The week is not over yet, so falling short so far is not a miss.
    if is_current:
        return WeekState.IN_PROGRESS
    return WeekState.MISSED


def _rest_week_starts(rest_weeks: Iterable[date], first_weekday: int) -> set[date]:
    return {week_start_of(day, first_weekday) for day in rest_weeks}


def weeks(
    sessions: Iterable[tuple[date, int]],
    *,
    first_weekday: int,
    minimum: int,
    stretch: int,
    rest_weeks: Iterable[date],
    today: date,
    count: int,
) -> list[Week]:
    """The last `count` weeks ending with the current one, oldest first.

    `sessions` holds (local date, minutes) pairs; sessions dated after `today` are ignored so
    that the bars agree with the streak.
    """
    counted = tally(sessions, first_weekday=first_weekday, rest_weeks=rest_weeks, today=today)
    return recent_weeks(counted, minimum=minimum, stretch=stretch, count=count)


def recent_weeks(counted: Tally, *, minimum: int, stretch: int, count: int) -> list[Week]:
    """weeks() from a tally: the last `count` weeks ending with the current one, oldest first."""
    current = counted.current_week
    first = current - (count - 1) * WEEK
    per_week, minutes, rest = counted.per_week, counted.minutes_per_week(first), counted.rest
    result = []
    for i in range(count):
        start = first + i * WEEK
        is_current = start == current
        is_rest = start in rest
        sessions = per_week.get(start, 0)
        result.append(
            Week(
                start=start,
                sessions=sessions,
                minutes=minutes.get(start, 0),
                state=week_state(
                    sessions, minimum, stretch, is_current=is_current, is_rest=is_rest
                ),
                is_current=is_current,
                is_rest=is_rest,
            )
        )
    return result


@dataclass(frozen=True)
class Streak:
    current: int
    best: int


def streaks(
    days: Iterable[date],
    *,
    first_weekday: int,
    minimum: int,
    rest_weeks: Iterable[date],
    today: date,
) -> Streak:
    """Consecutive weeks on target now, and the longest run ever.

    Rest weeks are skipped over. The current week joins the run once it is on target and
    never breaks it while in progress.
    """
    counted = tally(
        ((day, 0) for day in days), first_weekday=first_weekday, rest_weeks=rest_weeks, today=today
    )
    return streak(counted, minimum=minimum)


def streak(counted: Tally, *, minimum: int) -> Streak:
    """streaks() from a tally."""
    counts = counted.per_week
    if not counts:
        return Streak(current=0, best=0)
    rest = counted.rest
    current_week = counted.current_week

    run = best = 0
    for start in week_starts(min(counts), counted.today, counted.first_weekday):
        if start in rest:
            continue
        if counts.get(start, 0) >= minimum:
            run += 1
            if run > best:
                best = run
        elif start != current_week:
            run = 0
    return Streak(current=run, best=best)


def loop_score_step(frequency: float, previous: float, checked: float) -> float:
    """One day of Loop Habit Tracker's score (`Score.compute`).

    `checked` is the fraction of the target met in the rolling window, 0..1.
    """
    multiplier = 0.5 ** (math.sqrt(frequency) / 13.0)
    return previous * multiplier + checked * (1 - multiplier)


def loop_score(done_days: Iterable[date], numerator: int, denominator: int, today: date) -> float:
    """Loop's score on `today` for a yes/no habit done `numerator` times per `denominator` days.

    Follows `ScoreList.recompute`: the history starts on the first day done, and each day
    scores the share of the target met in a rolling window ending that day.
    """
    if numerator < 1 or denominator < 1:
        raise ValueError("a frequency needs a positive numerator and denominator")
    if numerator == denominator:
        # Loop's Frequency normalises n/n to daily before anything else.
        numerator = denominator = 1
    frequency = numerator / denominator
    if frequency < 1.0:
        # Loop doubles the window for non-daily habits so that doing it on different days
        # from one period to the next still counts as regular.
        numerator *= 2
        denominator *= 2

    done = {day for day in done_days if day <= today}
    if not done:
        return 0.0
    first = min(done).toordinal()
    checks = [0] * (today.toordinal() - first + 1)
    for day in done:
        checks[day.toordinal() - first] = 1
    # Days done in the rolling window ending on each day, from running totals.
    totals = list(accumulate(checks))
    rolling = totals[:denominator] + list(map(sub, totals[denominator:], totals))

    multiplier = 0.5 ** (math.sqrt(frequency) / 13.0)
    # What a day with `count` days done in its window adds, worked out once per possible count with
    # the very operations of Loop's step (see loop_score_step): the score is the same float.
    gains = [min(1.0, count / numerator) * (1 - multiplier) for count in range(denominator + 1)]
    score = 0.0
    for count in rolling:
        score = score * multiplier + gains[count]
    return score


def habit_strength(done_days: Iterable[date], per_week: int, today: date) -> float:
    """Loop Habit Tracker's score on `today` for a habit aimed at `per_week` days a week, 0..1.

    Several sessions on one day count as one day done; days after `today` are ignored.
    """
    if not 1 <= per_week <= 7:
        raise ValueError(f"per_week must be 1..7, not {per_week}")
    return loop_score(done_days, per_week, 7, today)


def days_since(last: date | None, today: date) -> int | None:
    """Whole days from `last` to `today` (0 for today or a later date); None without a session."""
    if last is None:
        return None
    return max((today - last).days, 0)


def practice_week_number(first_session: date | None, today: date) -> int | None:
    """Which week of practice `today` falls in: 1 for the first seven days, and so on."""
    if first_session is None:
        return None
    return max((today - first_session).days, 0) // 7 + 1


@dataclass(frozen=True)
class Totals:
    sessions: int
    minutes: int
    average_minutes: float | None


def totals(minutes: Iterable[int]) -> Totals:
    """Session count, total minutes and average minutes per session."""
    values = list(minutes)
    total = sum(values)
    return Totals(
        sessions=len(values),
        minutes=total,
        average_minutes=total / len(values) if values else None,
    )


def calendar_days(
    days: Iterable[date], *, first_weekday: int, today: date, weeks: int
) -> list[list[tuple[date, int]]]:
    """A heat-map grid: one row per week (oldest first, ending with the current week).

    Each row holds seven (day, sessions that day) pairs; days after `today` count -1.
    """
    return calendar_grid(Counter(days), first_weekday=first_weekday, today=today, weeks=weeks)


def calendar_grid(
    per_day: Mapping[date, int], *, first_weekday: int, today: date, weeks: int
) -> list[list[tuple[date, int]]]:
    """calendar_days() from sessions per day."""
    first = week_start_of(today, first_weekday) - (weeks - 1) * WEEK
    get = per_day.get
    grid = []
    for row in range(weeks):
        start = first + row * WEEK
        cells = []
        for offset in WEEK_DAYS:
            day = start + offset
            cells.append((day, -1 if day > today else get(day, 0)))
        grid.append(cells)
    return grid
