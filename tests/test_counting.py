"""The fast counting gives exactly what the straightforward counting gave.

The dashboard's figures are counted once per render from a tally (tracker.stats.tally); the
oracle is the code as it was before, one pass over the sessions per figure
(tests/counting_oracle.py). Hypothesis draws histories with rest weeks, future sessions, every
first weekday and the calendar's edges, and every figure must be equal, floats to the last bit.
"""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tests import counting_oracle as oracle
from tests.factories import make_session
from tracker import guidance, stats
from tracker.guidance import expectations
from tracker.models import MassageSession, RestWeek
from tracker.progress import build_progress, progress_of

# New Year, a leap day, the clock changes of 2026 in Europe and the US (the dates of a local
# calendar do not move, but the weeks around them are where a slip would show), the first day
# the app accepts.
EDGES = [
    date(2025, 12, 28),
    date(2025, 12, 31),
    date(2026, 1, 1),
    date(2026, 1, 4),
    date(2024, 2, 29),
    date(2026, 3, 8),
    date(2026, 3, 29),
    date(2026, 3, 30),
    date(2026, 10, 25),
    date(2026, 10, 26),
    date(2026, 11, 1),
    date(2000, 1, 1),
]
todays = st.one_of(st.sampled_from(EDGES), st.dates(date(2000, 1, 1), date(2040, 12, 31)))
# Mostly recent days, for runs of weeks and the chart; some years back, for strength and best
# streaks.
days_back = st.one_of(st.integers(0, 27), st.integers(0, 90), st.integers(0, 1200))
first_weekdays = st.integers(0, 6)


@dataclass(frozen=True)
class Targets:
    """The profile's fields that the counting reads (an unsaved Profile cannot be printed)."""

    week_start: int
    target_min: int
    target_stretch: int
    target_minutes: int


@st.composite
def profiles(draw) -> Targets:
    minimum = draw(st.integers(1, 7))
    return Targets(
        week_start=draw(first_weekdays),
        target_min=minimum,
        target_stretch=draw(st.integers(minimum, 21)),
        target_minutes=draw(st.integers(1, 60)),
    )


@st.composite
def histories(draw, first_weekday: int):
    """(today, rows of (day, minutes), rest week days) as the dashboard's queries give them.

    Days sprinkled about, and runs of weeks practised (three days a week, in the person's
    weeks) with a few weeks left out, some of them rest weeks; runs that reach this week, too
    (where a week in progress must not break the streak). Some days have several sessions.
    """
    today = draw(todays)
    offsets = draw(st.lists(days_back, max_size=60))
    # A rest week is stored as its first day for the weekday of its time, which may not be
    # the weekday now: any day of a week marks it.
    rest_offsets = draw(st.lists(st.integers(-14, 400), max_size=8))
    # Days back to the start of this week.
    back = (today.weekday() - first_weekday) % 7
    last_weeks = st.one_of(st.integers(0, 1), st.integers(0, 60))
    gaps = st.lists(st.tuples(st.integers(0, 19), st.booleans()), max_size=3)
    for last, length, left_out in draw(st.lists(st.tuples(last_weeks, st.integers(1, 20), gaps))):
        starts = {back + 7 * (last + week): week for week in range(length)}
        skipped = {week for week, _ in left_out}
        offsets += [
            start - day
            for start, week in starts.items()
            if week not in skipped
            for day in (0, 2, 4)
            if start >= day
        ]
        rest_offsets += [start - 1 for start, week in starts.items() if (week, True) in left_out]
    offsets += draw(st.lists(st.sampled_from(offsets), max_size=10)) if offsets else []
    rows = [
        (today - timedelta(days=offset), draw(st.integers(1, 120)))
        for offset in draw(st.permutations(offsets))
    ]
    return today, rows, [today - timedelta(days=offset) for offset in rest_offsets]


@st.composite
def dashboards(draw):
    """(profile, history) for one person."""
    profile = draw(profiles())
    return profile, draw(histories(profile.week_start))


@given(dashboards())
@example(
    (
        Targets(week_start=6, target_min=2, target_stretch=3, target_minutes=5),
        (date(2026, 1, 1), [], []),
    )
)
def test_the_dashboards_progress_is_the_straightforward_countings(dashboard):
    profile, (today, rows, rest) = dashboard

    assert progress_of(rows, rest, profile, today) == oracle.progress_of(rows, rest, profile, today)


def outcome(function, /, *args, **kwargs):
    """What a counting gives, or which error it raises (at the calendar's first day)."""
    try:
        return function(*args, **kwargs)
    except (OverflowError, ValueError) as error:
        return type(error)


@st.composite
def any_history(draw):
    """(today, rows, rest week days) with sessions after today, too, and few of them."""
    today = draw(todays).toordinal()
    # Days around today, some after it; none before the calendar's first day.
    ordinals = st.one_of(
        st.integers(max(1, today - 3), today + 3),
        st.integers(max(1, today - 40), today + 10),
        st.integers(max(1, today - 800), today + 30),
    )
    rows = [
        (date.fromordinal(ordinal), draw(st.integers(1, 120)))
        for ordinal in draw(st.lists(ordinals, max_size=40))
    ]
    rows += draw(st.lists(st.sampled_from(rows), max_size=5)) if rows else []
    rest = [date.fromordinal(ordinal) for ordinal in draw(st.lists(ordinals, max_size=6))]
    return date.fromordinal(today), rows, rest


@st.composite
def first_weeks(draw):
    """A history in the calendar's first weeks: the first is cut short (date.min is a Monday)
    for any other first weekday, and counting weeks back overflows."""
    today = draw(st.dates(date.min, date(1, 1, 31)))
    days = st.dates(date.min, today + timedelta(days=10))
    rows = draw(st.lists(st.tuples(days, st.integers(1, 120)), max_size=20))
    return today, rows, draw(st.lists(days, max_size=4))


targets = (first_weekdays, st.integers(1, 8), st.integers(0, 10), st.integers(1, 15))


@given(any_history(), *targets)
def test_each_counting_is_the_straightforward_one(history, first_weekday, minimum, extra, count):
    assert_each_counting_agrees(history, first_weekday, minimum, extra, count)


@given(first_weeks(), *targets)
def test_each_counting_is_the_straightforward_one_in_the_calendars_first_weeks(
    history, first_weekday, minimum, extra, count
):
    assert_each_counting_agrees(history, first_weekday, minimum, extra, count)


def assert_each_counting_agrees(history, first_weekday, minimum, extra, count):
    today, rows, rest = history
    days = [day for day, _ in rows]
    week = {"first_weekday": first_weekday, "rest_weeks": rest, "today": today}

    assert stats.weekly_counts(days, first_weekday) == oracle.weekly_counts(days, first_weekday)
    for first in days[:3]:
        assert stats.week_starts(first, today, first_weekday) == oracle.week_starts(
            first, today, first_weekday
        )
    assert outcome(
        stats.weeks, rows, minimum=minimum, stretch=minimum + extra, count=count, **week
    ) == outcome(oracle.weeks, rows, minimum=minimum, stretch=minimum + extra, count=count, **week)
    assert outcome(stats.streaks, days, minimum=minimum, **week) == outcome(
        oracle.streaks, days, minimum=minimum, **week
    )
    assert outcome(guidance.practice, rows, **week) == outcome(oracle.practice, rows, **week)
    assert outcome(expectations.run_of_weeks, days, **week) == outcome(
        oracle.run_of_weeks, days, **week
    )
    grid = {"first_weekday": first_weekday, "today": today, "weeks": count}
    assert outcome(stats.calendar_days, days, **grid) == outcome(oracle.calendar_days, days, **grid)


@given(any_history(), st.integers(1, 10), st.integers(1, 30))
def test_loops_score_is_the_same_float_day_by_day_or_from_precomputed_gains(
    history, numerator, denominator
):
    today, rows, _ = history
    days = [day for day, _ in rows]

    fast = stats.loop_score(days, numerator, denominator, today)

    assert fast == oracle.loop_score(days, numerator, denominator, today)


def test_weekly_counts_add_up_several_sessions_a_day_within_the_first_cut_short_week():
    # 1 January of year 1 is a Monday: for a Sunday starter its week is cut short to 6 days.
    days = [date(1, 1, 1), date(1, 1, 1), date(1, 1, 6), date(1, 1, 7), date(1, 1, 7)]

    assert stats.weekly_counts(days, 6) == {date.min: 3, date(1, 1, 7): 2}


@pytest.mark.django_db
def test_the_dashboards_progress_from_the_database_is_the_straightforward_countings(
    user, now, django_assert_num_queries
):
    profile = user.profile
    today = profile.today()
    for back in (0, 1, 3, 8, 9, 15, 30, 31, 60, 61, 62, 200, 400):
        make_session(user, now - timedelta(days=back))
    RestWeek.objects.mark(user, today - timedelta(days=21))
    rows = list(MassageSession.objects.for_user(user).values_list("local_date", "minutes"))
    rest = list(RestWeek.objects.for_user(user).values_list("week_start", flat=True))

    with django_assert_num_queries(2):
        progress = build_progress(user, profile)

    assert progress == oracle.progress_of(rows, rest, profile, today)
    assert progress.totals.sessions == 13
