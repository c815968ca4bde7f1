"""Experiment windows and their comparison, pure: time zones, rest weeks inside a window,
the baseline before it, and the same "too few to tell" as the insights."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tracker import stats
from tracker.experiments import (
    MIN_SESSIONS,
    Session,
    Window,
    baseline_window,
    compare,
    first_and_last,
    planned_last_day,
    summarise,
    trial_window,
    week_of,
)

START = date(2026, 10, 5)  # a Monday


def test_an_experiment_of_six_weeks_runs_forty_two_days():
    assert planned_last_day(START, 6) == date(2026, 11, 15)
    assert trial_window(START, 6, None, today=date(2027, 1, 1)) == Window(START, date(2026, 11, 15))


def test_while_it_runs_it_counts_up_to_today_and_says_which_week():
    today = date(2026, 10, 20)

    assert trial_window(START, 6, None, today) == Window(START, today)
    assert week_of(START, START) == 1
    assert week_of(START, date(2026, 10, 11)) == 1
    assert week_of(START, today) == 3


def test_ended_early_it_stops_on_the_day_it_was_ended():
    assert trial_window(START, 6, date(2026, 10, 25), date(2026, 12, 1)).last == date(2026, 10, 25)


def test_the_baseline_is_the_same_weeks_just_before_it_from_the_first_session_at_most():
    assert baseline_window(START, 6, date(2020, 1, 1)) == Window(
        date(2026, 8, 24), date(2026, 10, 4)
    )
    assert baseline_window(START, 6, date(2026, 9, 20)) == Window(
        date(2026, 9, 20), date(2026, 10, 4)
    )
    assert baseline_window(START, 6, None).days == 0


def test_a_rest_week_inside_a_window_leaves_out_its_days_and_its_sessions():
    window = Window(START, date(2026, 11, 15))
    sessions = [Session(START + timedelta(days=n), 10) for n in range(0, 42, 2)]
    rest_week = date(2026, 10, 12)

    summary = summarise(window, sessions, rest_weeks=[rest_week])

    assert summary.days == 35
    assert summary.sessions == 21 - 3  # the sessions of the 13th, 15th and 17th rested
    assert summary.per_week == pytest.approx(18 / 5)


def test_a_rest_week_straddling_the_start_counts_in_neither_window():
    # Weeks starting on Thursday: the rest week runs from 1 to 7 October.
    rest = [date(2026, 10, 1)]
    sessions = [Session(date(2026, 10, 2), 10), Session(date(2026, 10, 6), 10)]

    before = summarise(baseline_window(START, 6, date(2026, 1, 1)), sessions, rest)
    during = summarise(trial_window(START, 6, None, date(2026, 12, 1)), sessions, rest)

    assert (before.sessions, before.days) == (0, 42 - 4)
    assert (during.sessions, during.days) == (0, 42 - 3)


@pytest.mark.parametrize("zone", ["Pacific/Auckland", "America/Los_Angeles", "Europe/Paris"])
def test_a_session_late_on_the_evening_before_the_start_is_in_the_baseline_in_any_zone(zone):
    # The windows are in the person's local days: a session's day is read in their zone.
    tz = ZoneInfo(zone)
    evening_before = datetime(2026, 10, 4, 23, 30, tzinfo=tz)
    morning_of = datetime(2026, 10, 5, 0, 30, tzinfo=tz)
    sessions = [
        Session(stats.local_date(moment.astimezone(UTC), tz), 10)
        for moment in (evening_before, morning_of)
    ]

    before = summarise(baseline_window(START, 6, date(2026, 1, 1)), sessions, [])
    during = summarise(trial_window(START, 6, None, date(2026, 12, 1)), sessions, [])

    assert (before.sessions, during.sessions) == (1, 1)


def sessions_in(window: Window, every: int, reaction="none", minutes=10, rating=None):
    return [
        Session(window.first + timedelta(days=n), minutes, reaction, rating)
        for n in range(0, window.days, every)
    ]


def test_too_few_sessions_on_either_side_is_too_few_to_tell():
    before = Window(date(2026, 9, 28), date(2026, 10, 4))  # one week
    during = Window(START, date(2026, 11, 15))
    sessions = sessions_in(before, 2, rating=3) + sessions_in(during, 2, rating=4)

    measures = {
        m.key: m for m in compare(summarise(before, sessions, []), summarise(during, sessions, []))
    }

    assert MIN_SESSIONS == 5
    assert not measures["per_week"].enough  # a baseline of one week
    assert not measures["minutes"].enough  # 4 sessions before
    assert measures["minutes"].verdict is None


def test_a_clear_difference_is_unlikely_to_be_chance_and_holm_covers_the_four():
    before = Window(date(2026, 8, 24), date(2026, 10, 4))
    during = Window(START, date(2026, 11, 15))
    sessions = sessions_in(before, 7, reaction="redness", minutes=5, rating=2) + sessions_in(
        during, 2, reaction="none", minutes=12, rating=5
    )

    measures = compare(summarise(before, sessions, []), summarise(during, sessions, []))

    assert [m.key for m in measures] == ["per_week", "minutes", "reactions", "rating"]
    assert all(m.enough for m in measures)
    assert all(m.verdict.unlikely_chance for m in measures)
    assert all(m.adjusted >= m.p_value for m in measures)
    by_key = {m.key: m for m in measures}
    assert by_key["per_week"].baseline == "1.0 a week over 6 weeks"
    assert by_key["per_week"].trial == "3.5 a week over 6 weeks"
    assert by_key["reactions"].baseline == "after 6 of 6 sessions with a recorded reaction"


def test_not_recorded_reactions_are_left_out_of_reactions_per_session():
    during = Window(START, date(2026, 10, 18))
    sessions = [*sessions_in(during, 1, reaction="")[:6], Session(START, 10, "redness")]

    summary = summarise(during, sessions, [])

    assert (summary.sessions, summary.recorded, summary.reacted) == (7, 1, 1)


def test_the_photo_pair_is_the_last_one_by_the_first_day_and_the_last_one_inside():
    window = Window(START, date(2026, 11, 15))
    photos = [
        (1, date(2026, 9, 1)),
        (2, date(2026, 10, 5)),
        (3, date(2026, 10, 20)),
        (4, date(2026, 11, 10)),
        (5, date(2026, 12, 1)),
    ]

    assert first_and_last(photos, window) == (2, 4)
    assert first_and_last([(1, date(2026, 9, 1)), (3, date(2026, 10, 20))], window) == (1, 3)
    assert first_and_last([(3, date(2026, 10, 20))], window) is None
    assert first_and_last([(1, date(2026, 9, 1))], window) is None
