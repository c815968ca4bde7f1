import json
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tracker.stats import (
    Streak,
    Totals,
    Week,
    WeekState,
    calendar_days,
    days_since,
    habit_strength,
    local_date,
    loop_score,
    loop_score_step,
    practice_week_number,
    streaks,
    totals,
    week_start_of,
    week_starts,
    week_state,
    weekly_counts,
    weeks,
)

MONDAY = 0
SUNDAY = 6
LONDON = ZoneInfo("Europe/London")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")
AUCKLAND = ZoneInfo("Pacific/Auckland")

# A copy lives in the repo so the tests never depend on the shared folder beside the clone.
VECTORS_PATH = Path(__file__).resolve().parent / "data" / "loop_score_vectors.json"
SHARED_VECTORS_PATH = (
    Path(__file__).resolve().parents[2] / "shared" / "data" / "loop_score_vectors.json"
)
VECTORS = json.loads(VECTORS_PATH.read_text())


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def mondays(first: date, count: int) -> list[date]:
    return [first + timedelta(weeks=i) for i in range(count)]


def sessions_on(*days: date, per_day: int = 1) -> list[date]:
    return [day for day in days for _ in range(per_day)]


# Local dates and week boundaries


def test_a_session_at_2330_on_the_last_day_of_the_week_counts_in_that_week():
    # Sunday 2 Nov 2025, 23:30 in London (GMT) is 23:30 UTC.
    day = local_date(utc(2025, 11, 2, 23, 30), LONDON)

    assert day == date(2025, 11, 2)
    assert week_start_of(day, MONDAY) == date(2025, 10, 27)


def test_a_sunday_night_session_in_los_angeles_counts_in_that_week_though_utc_says_monday():
    # Sunday 9 Nov 2025, 23:30 PST is Monday 07:30 UTC.
    day = local_date(utc(2025, 11, 10, 7, 30), LOS_ANGELES)

    assert day == date(2025, 11, 9)
    assert week_start_of(day, MONDAY) == date(2025, 11, 3)


def test_a_monday_morning_session_in_auckland_starts_a_new_week_though_utc_says_sunday():
    # Monday 10 Nov 2025, 00:30 NZDT (UTC+13) is Sunday 11:30 UTC.
    day = local_date(utc(2025, 11, 9, 11, 30), AUCKLAND)

    assert day == date(2025, 11, 10)
    assert week_start_of(day, MONDAY) == date(2025, 11, 10)


def test_a_session_at_0030_right_after_london_springs_forward_lands_on_the_new_day():
    # Clocks went forward on Sunday 30 Mar 2025; Monday 00:30 BST is Sunday 23:30 UTC.
    day = local_date(utc(2025, 3, 30, 23, 30), LONDON)

    assert day == date(2025, 3, 31)
    assert week_start_of(day, MONDAY) == date(2025, 3, 31)


def test_sessions_either_side_of_los_angeles_springing_forward_land_on_the_right_day():
    # Clocks went forward at 02:00 on Sunday 9 Mar 2025; 00:30 PST is 08:30 UTC,
    # and 03:30 PDT the same morning is 10:30 UTC.
    assert local_date(utc(2025, 3, 9, 8, 30), LOS_ANGELES) == date(2025, 3, 9)
    assert local_date(utc(2025, 3, 9, 10, 30), LOS_ANGELES) == date(2025, 3, 9)
    # Sunday 23:30 PDT is Monday 06:30 UTC: still Sunday, still the week of 3 Mar.
    sunday_night = local_date(utc(2025, 3, 10, 6, 30), LOS_ANGELES)
    assert sunday_night == date(2025, 3, 9)
    assert week_start_of(sunday_night, MONDAY) == date(2025, 3, 3)
    # Monday 00:30 PDT is 07:30 UTC and starts the next week.
    monday = local_date(utc(2025, 3, 10, 7, 30), LOS_ANGELES)
    assert monday == date(2025, 3, 10)
    assert week_start_of(monday, MONDAY) == date(2025, 3, 10)


def test_a_session_at_0030_right_after_london_falls_back_lands_on_the_new_day():
    # Clocks went back on Sunday 26 Oct 2025; Monday 00:30 GMT is 00:30 UTC,
    # while Saturday 00:30 BST the day before the change was Friday 23:30 UTC.
    assert local_date(utc(2025, 10, 27, 0, 30), LONDON) == date(2025, 10, 27)
    assert local_date(utc(2025, 10, 24, 23, 30), LONDON) == date(2025, 10, 25)


def test_both_readings_of_the_repeated_hour_when_los_angeles_falls_back_are_the_same_day():
    # 01:30 happened twice on Sunday 2 Nov 2025: 08:30 UTC (PDT) and 09:30 UTC (PST).
    first = local_date(utc(2025, 11, 2, 8, 30), LOS_ANGELES)
    second = local_date(utc(2025, 11, 2, 9, 30), LOS_ANGELES)

    assert first == second == date(2025, 11, 2)
    # Sunday 23:30 PST is Monday 07:30 UTC, and belongs to the week that had the change.
    assert week_start_of(local_date(utc(2025, 11, 3, 7, 30), LOS_ANGELES), MONDAY) == date(
        2025, 10, 27
    )


@pytest.mark.parametrize(
    ("first", "last"),
    [
        (date(2025, 3, 20), date(2025, 4, 10)),  # spring forward
        (date(2025, 10, 20), date(2025, 11, 10)),  # fall back
    ],
)
def test_weeks_around_a_clock_change_are_still_seven_days_long(first: date, last: date):
    starts = week_starts(first, last, MONDAY)

    assert all(b - a == timedelta(days=7) for a, b in pairwise(starts))
    assert all(start.weekday() == MONDAY for start in starts)


def test_local_date_refuses_a_naive_datetime():
    with pytest.raises(ValueError):
        local_date(datetime(2025, 11, 2, 23, 30), LONDON)


def test_a_week_spanning_new_year_is_one_week():
    new_years_week = [date(2025, 12, 29 + i) for i in range(3)] + [
        date(2026, 1, 1 + i) for i in range(4)
    ]

    assert {week_start_of(day, MONDAY) for day in new_years_week} == {date(2025, 12, 29)}
    assert weekly_counts([date(2025, 12, 30), date(2026, 1, 2)], MONDAY) == {date(2025, 12, 29): 2}


def test_a_sunday_first_week_starts_on_the_sunday_before():
    assert week_start_of(date(2026, 1, 3), SUNDAY) == date(2025, 12, 28)
    assert week_start_of(date(2025, 12, 28), SUNDAY) == date(2025, 12, 28)
    assert week_start_of(date(2026, 1, 4), SUNDAY) == date(2026, 1, 4)


def test_a_sunday_session_starts_the_week_when_weeks_start_on_sunday_but_ends_it_otherwise():
    sunday = date(2025, 11, 9)

    assert weekly_counts([sunday], SUNDAY) == {date(2025, 11, 9): 1}
    assert weekly_counts([sunday], MONDAY) == {date(2025, 11, 3): 1}


def test_week_start_of_refuses_a_weekday_out_of_range():
    with pytest.raises(ValueError):
        week_start_of(date(2025, 11, 9), 7)


def test_week_starts_cover_both_ends():
    assert week_starts(date(2025, 11, 5), date(2025, 11, 17), MONDAY) == [
        date(2025, 11, 3),
        date(2025, 11, 10),
        date(2025, 11, 17),
    ]


def test_week_starts_are_empty_when_the_range_is_backwards():
    assert week_starts(date(2025, 11, 17), date(2025, 11, 5), MONDAY) == []


def test_weekly_counts_count_every_session_on_a_day():
    counts = weekly_counts(sessions_on(date(2025, 11, 4), per_day=2), MONDAY)

    assert counts == {date(2025, 11, 3): 2}


def test_weekly_counts_of_an_empty_history_are_empty():
    assert weekly_counts([], MONDAY) == {}


# Week states


@pytest.mark.parametrize(
    ("sessions", "is_current", "is_rest", "expected"),
    [
        (0, False, False, WeekState.MISSED),
        (1, False, False, WeekState.MISSED),
        (2, False, False, WeekState.ON_TARGET),
        (3, False, False, WeekState.STRETCH),
        (5, False, False, WeekState.STRETCH),
        (0, True, False, WeekState.IN_PROGRESS),
        (1, True, False, WeekState.IN_PROGRESS),
        (2, True, False, WeekState.ON_TARGET),
        (3, True, False, WeekState.STRETCH),
        (0, False, True, WeekState.REST),
        (3, True, True, WeekState.REST),
    ],
)
def test_week_state_follows_the_target_range(
    sessions: int, is_current: bool, is_rest: bool, expected: WeekState
):
    assert week_state(sessions, 2, 3, is_current=is_current, is_rest=is_rest) == expected


# The weeks shown on the dashboard

TODAY = date(2025, 11, 6)  # a Thursday


def test_weeks_end_with_the_current_week_oldest_first():
    result = weeks(
        [], first_weekday=MONDAY, minimum=2, stretch=3, rest_weeks=[], today=TODAY, count=4
    )

    assert [week.start for week in result] == mondays(date(2025, 10, 13), 4)
    assert [week.is_current for week in result] == [False, False, False, True]
    assert result[-1].end == date(2025, 11, 9)


def test_weeks_add_up_sessions_and_minutes_and_name_their_state():
    sessions = [
        (date(2025, 10, 20), 10),
        (date(2025, 10, 22), 12),
        (date(2025, 10, 27), 5),
        (date(2025, 10, 28), 10),
        (date(2025, 11, 2), 15),  # Sunday, last day of that week
        (date(2025, 11, 4), 8),
    ]

    result = weeks(
        sessions,
        first_weekday=MONDAY,
        minimum=2,
        stretch=3,
        rest_weeks=[],
        today=TODAY,
        count=4,
    )

    assert result == [
        Week(date(2025, 10, 13), 0, 0, WeekState.MISSED, is_current=False, is_rest=False),
        Week(date(2025, 10, 20), 2, 22, WeekState.ON_TARGET, is_current=False, is_rest=False),
        Week(date(2025, 10, 27), 3, 30, WeekState.STRETCH, is_current=False, is_rest=False),
        Week(date(2025, 11, 3), 1, 8, WeekState.IN_PROGRESS, is_current=True, is_rest=False),
    ]


def test_weeks_mark_a_rest_week_from_any_day_inside_it():
    result = weeks(
        [(date(2025, 10, 21), 10)],
        first_weekday=MONDAY,
        minimum=2,
        stretch=3,
        rest_weeks=[date(2025, 10, 23)],
        today=TODAY,
        count=3,
    )

    assert [week.state for week in result] == [
        WeekState.REST,
        WeekState.MISSED,
        WeekState.IN_PROGRESS,
    ]
    assert result[0].is_rest
    assert result[0].sessions == 1


def test_weeks_ignore_sessions_after_today():
    result = weeks(
        [(date(2025, 11, 7), 10), (date(2025, 11, 8), 10)],
        first_weekday=MONDAY,
        minimum=2,
        stretch=3,
        rest_weeks=[],
        today=TODAY,
        count=1,
    )

    assert result[0].sessions == 0
    assert result[0].state == WeekState.IN_PROGRESS


def test_weeks_start_on_sunday_when_asked():
    result = weeks(
        [(date(2025, 11, 2), 10)],
        first_weekday=SUNDAY,
        minimum=2,
        stretch=3,
        rest_weeks=[],
        today=TODAY,
        count=2,
    )

    assert [week.start for week in result] == [date(2025, 10, 26), date(2025, 11, 2)]
    assert [week.sessions for week in result] == [0, 1]


# Streaks


def streak(days: list[date], *, today: date = TODAY, rest_weeks: Iterable[date] = ()) -> Streak:
    return streaks(days, first_weekday=MONDAY, minimum=2, rest_weeks=rest_weeks, today=today)


def two_a_week(*week_starts: date) -> list[date]:
    return [day for start in week_starts for day in (start, start + timedelta(days=2))]


def test_an_empty_history_has_no_streak():
    assert streak([]) == Streak(current=0, best=0)


def test_consecutive_weeks_on_target_make_the_current_streak():
    days = two_a_week(*mondays(date(2025, 10, 6), 4))  # up to the week before this one

    assert streak(days) == Streak(current=4, best=4)


def test_the_current_week_in_progress_never_breaks_the_streak():
    days = two_a_week(*mondays(date(2025, 10, 13), 3))

    assert streak(days) == Streak(current=3, best=3)
    assert streak([*days, date(2025, 11, 4)]) == Streak(current=3, best=3)


def test_the_current_week_extends_the_streak_once_on_target():
    days = two_a_week(*mondays(date(2025, 10, 13), 3))

    assert streak([*days, date(2025, 11, 3), date(2025, 11, 5)]) == Streak(current=4, best=4)


def test_a_missed_finished_week_breaks_the_streak():
    days = two_a_week(*mondays(date(2025, 9, 29), 3)) + two_a_week(date(2025, 10, 27))

    # The week of 20 Oct had no session.
    assert streak(days) == Streak(current=1, best=3)


def test_a_missed_last_week_leaves_no_current_streak():
    days = two_a_week(*mondays(date(2025, 10, 6), 3))

    assert streak(days) == Streak(current=0, best=3)


def test_rest_weeks_are_skipped_over_without_counting_or_breaking():
    days = two_a_week(date(2025, 10, 6), date(2025, 10, 13), date(2025, 10, 27))

    # Nothing in the week of 20 Oct, but it was a rest week (marked by its Wednesday).
    assert streak(days, rest_weeks=[date(2025, 10, 22)]) == Streak(current=3, best=3)
    assert streak(days) == Streak(current=1, best=2)


def test_sessions_in_a_rest_week_do_not_count_towards_the_streak():
    days = two_a_week(*mondays(date(2025, 10, 13), 3))

    assert streak(days, rest_weeks=[date(2025, 10, 20)]) == Streak(current=2, best=2)


def test_a_rest_week_as_the_current_week_does_not_break_the_streak():
    days = two_a_week(*mondays(date(2025, 10, 13), 3))

    assert streak(days, rest_weeks=[TODAY]) == Streak(current=3, best=3)


def test_the_best_streak_is_the_longest_run_ever():
    early = two_a_week(*mondays(date(2025, 6, 2), 5))
    recent = two_a_week(*mondays(date(2025, 10, 20), 2))

    assert streak(early + recent) == Streak(current=2, best=5)


def test_the_best_streak_includes_the_current_run():
    early = two_a_week(*mondays(date(2025, 6, 2), 2))
    recent = two_a_week(*mondays(date(2025, 10, 6), 5))  # ends with this week

    assert streak(early + recent) == Streak(current=5, best=5)


def test_future_sessions_are_ignored_by_the_streak():
    days = two_a_week(*mondays(date(2025, 10, 20), 2))
    future = [*two_a_week(date(2025, 11, 10), date(2025, 11, 17)), date(2025, 11, 8)]

    assert streak(days + future) == Streak(current=2, best=2)
    assert streak(future) == Streak(current=0, best=0)


def test_streak_weeks_span_new_year():
    # Monday-first weeks of 22 Dec, 29 Dec (spanning New Year) and 5 Jan.
    days = [
        date(2025, 12, 22),
        date(2025, 12, 24),
        date(2025, 12, 31),
        date(2026, 1, 2),
        date(2026, 1, 5),
        date(2026, 1, 6),
    ]

    assert streak(days, today=date(2026, 1, 12)) == Streak(current=3, best=3)


def test_two_sessions_on_the_same_day_count_as_two_for_the_weekly_target():
    assert streak(sessions_on(date(2025, 10, 29), per_day=2)) == Streak(current=1, best=1)


def test_streaks_follow_the_first_weekday():
    # Saturday and Sunday: one Monday-first week, two Sunday-first weeks.
    days = [date(2025, 11, 1), date(2025, 11, 2)]
    today = date(2025, 11, 3)

    assert streak(days, today=today) == Streak(current=1, best=1)
    sunday_first = streaks(days, first_weekday=SUNDAY, minimum=2, rest_weeks=[], today=today)
    assert sunday_first == Streak(current=0, best=0)


# Habit strength (Loop Habit Tracker's score)


def test_the_repo_copy_of_the_loop_vectors_matches_the_shared_one():
    if not SHARED_VECTORS_PATH.exists():
        pytest.skip("the shared folder is not beside this clone")
    assert json.loads(SHARED_VECTORS_PATH.read_text()) == VECTORS


@pytest.mark.parametrize(("frequency", "previous", "checked", "expected"), VECTORS["compute"])
def test_loop_score_step_matches_loop(
    frequency: float, previous: float, checked: float, expected: float
):
    assert loop_score_step(frequency, previous, checked) == pytest.approx(expected, abs=1e-6)


@pytest.mark.parametrize(
    "case",
    VECTORS["habit_strength"],
    ids=[f"{case['per_week']}-per-week-on-{case['today']}" for case in VECTORS["habit_strength"]],
)
def test_habit_strength_matches_loop(case: dict):
    done = [date.fromisoformat(day) for day in case["done"]]

    result = habit_strength(done, case["per_week"], date.fromisoformat(case["today"]))

    assert result == pytest.approx(case["expected"], abs=1e-6)


def test_loop_score_doubles_the_window_for_non_daily_habits():
    # Loop's ScoreListTest.test_recompute: two daily checks scored at 1 time in 2 days.
    today = date(2015, 1, 25)

    assert loop_score([today, today - timedelta(days=1)], 1, 2, today) == pytest.approx(
        0.054816, abs=1e-6
    )


def test_a_weekly_habit_done_on_different_weekdays_still_converges_to_full_strength():
    # Loop's ScoreListTest.test_irregularNonDaily.
    today = date(2015, 1, 25)
    done = [today - timedelta(days=14 * k + offset) for k in range(100) for offset in (0, 13)]

    assert loop_score(done, 1, 7, today) == pytest.approx(1.0, abs=1e-3)


def test_habit_strength_of_an_empty_history_is_zero():
    assert habit_strength([], 2, TODAY) == 0.0


def test_habit_strength_ignores_days_after_today():
    past = [date(2025, 11, 3), date(2025, 11, 5)]
    future = [date(2025, 11, 7), date(2025, 11, 10)]

    assert habit_strength(past + future, 2, TODAY) == habit_strength(past, 2, TODAY)
    assert habit_strength(future, 2, TODAY) == 0.0


def test_several_sessions_on_one_day_count_as_one_day_done():
    days = [date(2025, 11, 3), date(2025, 11, 5)]

    assert habit_strength(days * 3, 2, TODAY) == habit_strength(days, 2, TODAY)


def test_habit_strength_rises_with_regular_practice():
    start = date(2025, 1, 6)
    done = two_a_week(*mondays(start, 40))
    checkpoints = [start + timedelta(weeks=n, days=6) for n in (1, 4, 12, 39)]

    strengths = [habit_strength(done, 2, day) for day in checkpoints]

    assert strengths == sorted(strengths)
    assert strengths[0] < 0.3
    assert strengths[-1] > 0.99


def test_habit_strength_decays_slowly_through_a_gap():
    start = date(2025, 1, 6)
    done = two_a_week(*mondays(start, 26))
    last_day = max(done)

    before = habit_strength(done, 2, last_day)
    after_a_week = habit_strength(done, 2, last_day + timedelta(days=7))
    after_a_month = habit_strength(done, 2, last_day + timedelta(days=30))

    assert before > 0.9
    assert before > after_a_week > after_a_month > 0
    assert after_a_week > 0.9 * before
    assert after_a_month > 0.3


def test_habit_strength_rewards_meeting_the_target_more_than_falling_short():
    start = date(2025, 1, 6)
    on_target = two_a_week(*mondays(start, 20))
    once_a_week = mondays(start, 20)
    today = start + timedelta(weeks=20)

    assert habit_strength(on_target, 2, today) > habit_strength(once_a_week, 2, today)


def test_habit_strength_refuses_a_weekly_target_outside_one_to_seven():
    with pytest.raises(ValueError):
        habit_strength([TODAY], 0, TODAY)
    with pytest.raises(ValueError):
        habit_strength([TODAY], 8, TODAY)


# Small dashboard numbers


def test_days_since_counts_whole_days():
    assert days_since(None, TODAY) is None
    assert days_since(TODAY, TODAY) == 0
    assert days_since(date(2025, 11, 3), TODAY) == 3
    assert days_since(date(2025, 11, 8), TODAY) == 0


def test_practice_week_number_starts_at_one_for_the_first_seven_days():
    first = date(2025, 11, 1)

    assert practice_week_number(None, TODAY) is None
    assert practice_week_number(first, first) == 1
    assert practice_week_number(first, first + timedelta(days=6)) == 1
    assert practice_week_number(first, first + timedelta(days=7)) == 2
    assert practice_week_number(first, first + timedelta(days=70)) == 11


def test_totals_add_up_minutes_and_average_them():
    assert totals([10, 5, 12]) == Totals(sessions=3, minutes=27, average_minutes=9.0)


def test_totals_of_nothing_have_no_average():
    assert totals([]) == Totals(sessions=0, minutes=0, average_minutes=None)


def test_calendar_days_make_a_grid_of_weeks_ending_with_the_current_one():
    days = [*sessions_on(date(2025, 11, 4), per_day=2), date(2025, 10, 27)]

    grid = calendar_days(days, first_weekday=MONDAY, today=TODAY, weeks=2)

    assert len(grid) == 2
    assert all(len(row) == 7 for row in grid)
    assert grid[0][0] == (date(2025, 10, 27), 1)
    assert grid[0][6] == (date(2025, 11, 2), 0)
    assert grid[1][1] == (date(2025, 11, 4), 2)
    assert grid[1][3] == (TODAY, 0)


def test_calendar_days_after_today_are_marked_as_future():
    grid = calendar_days([date(2025, 11, 8)], first_weekday=MONDAY, today=TODAY, weeks=1)

    assert [count for _, count in grid[0]] == [0, 0, 0, 0, -1, -1, -1]


def test_calendar_rows_start_on_the_chosen_weekday():
    grid = calendar_days([], first_weekday=SUNDAY, today=TODAY, weeks=3)

    assert [row[0][0] for row in grid] == [
        date(2025, 10, 19),
        date(2025, 10, 26),
        date(2025, 11, 2),
    ]
    assert all(row[0][0].weekday() == SUNDAY for row in grid)
