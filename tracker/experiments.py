"""One change at a time: an experiment's windows and its comparison with the weeks before it.

Pure functions over plain values (local days in the person's time zone, minutes, reactions,
ratings) with an explicit `today`; tracker.models.experiments feeds them.

- The experiment runs from its first day for its number of weeks, or until the day it was
  ended; while it runs, it counts up to today.
- The baseline is the same number of weeks just before it, starting no earlier than the
  first session ever logged (weeks before anyone used the app are not weeks without practice).
- Rest weeks are left out of both windows: their days and their sessions count in neither.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from statistics import mean

from tracker.models.choices import Reaction
from tracker.statistics import Verdict, binomial_test, fisher_exact, holm, mann_whitney

DEFAULT_WEEKS = 6
MAX_WEEKS = 26
# The same minimum as the insights: at least 5 sessions on each side (rated ones for the
# rating, ones with a recorded reaction for reactions), and 2 weeks for sessions a week.
MIN_SESSIONS = 5
MIN_DAYS = 14


@dataclass(frozen=True)
class Window:
    """Local days from `first` to `last`, both included (empty when last < first)."""

    first: date
    last: date

    def __contains__(self, day: date) -> bool:
        return self.first <= day <= self.last

    @property
    def days(self) -> int:
        return max(0, (self.last - self.first).days + 1)


def rest_days(rest_weeks: Iterable[date]) -> set[date]:
    return {start + timedelta(days=n) for start in rest_weeks for n in range(7)}


def planned_last_day(started_on: date, weeks: int) -> date:
    return started_on + timedelta(weeks=weeks) - timedelta(days=1)


def trial_window(started_on: date, weeks: int, ended_on: date | None, today: date) -> Window:
    """The experiment's days: to its planned end, the day it was ended, or today."""
    last = planned_last_day(started_on, weeks)
    if ended_on is not None:
        last = min(last, ended_on)
    return Window(started_on, min(last, today))


def baseline_window(started_on: date, weeks: int, history_starts: date | None) -> Window:
    """The same number of weeks just before the experiment, from the first session at most."""
    if history_starts is None:  # nothing logged ever: no baseline
        return Window(started_on, started_on - timedelta(days=1))
    first = max(started_on - timedelta(weeks=weeks), history_starts)
    return Window(first, started_on - timedelta(days=1))


def week_of(started_on: date, today: date) -> int:
    """Which week of the experiment `today` is in, counting from 1."""
    return (today - started_on).days // 7 + 1


@dataclass(frozen=True)
class Session:
    """What a comparison needs of one session."""

    day: date
    minutes: int
    reaction: str = Reaction.NOT_RECORDED
    rating: int | None = None


@dataclass(frozen=True)
class Summary:
    """One window's sessions, rest weeks left out."""

    days: int
    sessions: int
    minutes: tuple[int, ...]
    recorded: int
    reacted: int
    ratings: tuple[int, ...]

    @property
    def per_week(self) -> float | None:
        return self.sessions / (self.days / 7) if self.days else None

    @property
    def mean_minutes(self) -> float | None:
        return mean(self.minutes) if self.minutes else None

    @property
    def mean_rating(self) -> float | None:
        return mean(self.ratings) if self.ratings else None

    @property
    def weeks(self) -> float:
        return self.days / 7


def summarise(window: Window, sessions: Iterable[Session], rest_weeks: Iterable[date]) -> Summary:
    resting = rest_days(rest_weeks)
    inside = [s for s in sessions if s.day in window and s.day not in resting]
    recorded = [s for s in inside if s.reaction != Reaction.NOT_RECORDED]
    return Summary(
        days=sum(1 for day in _days(window) if day not in resting),
        sessions=len(inside),
        minutes=tuple(s.minutes for s in inside),
        recorded=len(recorded),
        reacted=sum(1 for s in recorded if s.reaction in Reaction.actual()),
        ratings=tuple(s.rating for s in inside if s.rating is not None),
    )


def _days(window: Window):
    return (window.first + timedelta(days=n) for n in range(window.days))


@dataclass(frozen=True)
class Measure:
    """One line of the comparison: the two windows' values, and what can be said of them."""

    key: str
    label: str
    baseline: str
    trial: str
    enough: bool
    p_value: float | None = None
    adjusted: float | None = None

    @property
    def verdict(self) -> Verdict | None:
        return None if self.adjusted is None else Verdict(self.adjusted)


def compare(baseline: Summary, trial: Summary) -> list[Measure]:
    """Sessions a week, minutes, reactions per session and the rating, before and during;
    each tested where both sides have enough, and corrected together with Holm's method."""
    measures = [
        _measure(
            "per_week",
            "Sessions a week",
            _number(baseline.per_week, "a week") + f" over {_span(baseline.days)}",
            _number(trial.per_week, "a week") + f" over {_span(trial.days)}",
            min(baseline.days, trial.days) >= MIN_DAYS,
            lambda: (
                binomial_test(
                    trial.sessions,
                    baseline.sessions + trial.sessions,
                    trial.days / (baseline.days + trial.days),
                )
                if baseline.sessions + trial.sessions
                else 1.0
            ),
        ),
        _measure(
            "minutes",
            "Minutes a session",
            _average(baseline.mean_minutes, "min", len(baseline.minutes), "session"),
            _average(trial.mean_minutes, "min", len(trial.minutes), "session"),
            min(len(baseline.minutes), len(trial.minutes)) >= MIN_SESSIONS,
            lambda: mann_whitney(baseline.minutes, trial.minutes),
        ),
        _measure(
            "reactions",
            "Reactions",
            _share(baseline.reacted, baseline.recorded),
            _share(trial.reacted, trial.recorded),
            min(baseline.recorded, trial.recorded) >= MIN_SESSIONS,
            lambda: fisher_exact(
                trial.reacted,
                trial.recorded - trial.reacted,
                baseline.reacted,
                baseline.recorded - baseline.reacted,
            ),
        ),
        _measure(
            "rating",
            "How it felt (1 to 5)",
            _average(baseline.mean_rating, "of 5", len(baseline.ratings), "rated session"),
            _average(trial.mean_rating, "of 5", len(trial.ratings), "rated session"),
            min(len(baseline.ratings), len(trial.ratings)) >= MIN_SESSIONS,
            lambda: mann_whitney(baseline.ratings, trial.ratings),
        ),
    ]
    tested = [m for m in measures if m.p_value is not None]
    adjusted = dict(zip((m.key for m in tested), holm([m.p_value for m in tested]), strict=True))
    return [
        Measure(m.key, m.label, m.baseline, m.trial, m.enough, m.p_value, adjusted.get(m.key))
        for m in measures
    ]


def _measure(key, label, baseline, trial, enough, test) -> Measure:
    return Measure(key, label, baseline, trial, enough, test() if enough else None)


def _number(value: float | None, unit: str) -> str:
    return "none" if value is None else f"{value:.1f} {unit}"


def _span(days: int) -> str:
    """Days in words: "6 weeks", "2 weeks and 1 day", "5 days"."""
    weeks, rest = divmod(days, 7)
    parts = [
        f"{n} {unit}{'' if n == 1 else 's'}" for n, unit in ((weeks, "week"), (rest, "day")) if n
    ]
    return " and ".join(parts) or "0 days"


def _average(value: float | None, unit: str, count: int, noun: str) -> str:
    if value is None:
        return f"no {noun}s"
    return f"{value:.1f} {unit} on average over {count} {noun}{'' if count == 1 else 's'}"


def _share(reacted: int, recorded: int) -> str:
    if not recorded:
        return "no session with a recorded reaction"
    sessions = f"session{'' if recorded == 1 else 's'}"
    return f"after {reacted} of {recorded} {sessions} with a recorded reaction"


def first_and_last(photos: Sequence[tuple[int, date]], window: Window) -> tuple[int, int] | None:
    """The photo pair of an experiment, from (id, local day) pairs in time order: the last one
    taken up to its first day (or else its first one inside it), and its last one inside it."""
    before = [pk for pk, day in photos if day <= window.first]
    inside = [pk for pk, day in photos if day in window]
    start = before[-1] if before else (inside[0] if inside else None)
    if start is None or not inside or inside[-1] == start:
        return None
    return start, inside[-1]
