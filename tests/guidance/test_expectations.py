"""The expectation card follows the practice logged (sessions and minutes over recent weeks),
not only calendar weeks since the first session; every stage gives the dose and its caveats."""

from datetime import date, timedelta

import pytest

from tracker import guidance
from tracker.guidance.expectations import practice_line, run_of_weeks

# A Wednesday; weeks start on Monday 16 November.
TODAY = date(2026, 11, 18)
MONDAY = 0


def rows(*days_ago: int, minutes: int = 10) -> list[tuple[date, int]]:
    return [(TODAY - timedelta(days=d), minutes) for d in days_ago]


def practice_of(rows_, rest_weeks=()) -> guidance.Practice:
    return guidance.practice(rows_, first_weekday=MONDAY, rest_weeks=rest_weeks, today=TODAY)


def test_no_sessions_is_getting_started():
    expectation = guidance.expectation(practice_of([]))

    assert expectation.title == "Getting started"
    assert expectation.practice_line == "No sessions logged yet."


def test_the_run_counts_weeks_with_a_session_back_from_this_one():
    # This week, last week and the one before; then a gap.
    days = [TODAY, TODAY - timedelta(days=7), TODAY - timedelta(days=14), TODAY - timedelta(35)]

    assert run_of_weeks(days, first_weekday=MONDAY, rest_weeks=[], today=TODAY) == 3


def test_an_empty_current_week_neither_counts_nor_breaks_the_run():
    days = [TODAY - timedelta(days=7), TODAY - timedelta(days=14)]

    assert run_of_weeks(days, first_weekday=MONDAY, rest_weeks=[], today=TODAY) == 2


def test_a_rest_week_is_skipped_over_and_not_counted():
    days = [TODAY, TODAY - timedelta(days=14)]
    rest = [TODAY - timedelta(days=7)]

    assert run_of_weeks(days, first_weekday=MONDAY, rest_weeks=rest, today=TODAY) == 2
    assert run_of_weeks(days, first_weekday=MONDAY, rest_weeks=[], today=TODAY) == 1


def test_the_weeks_follow_the_persons_first_day():
    # Sunday 15 November and Wednesday 18 are one week for a Sunday starter, two for Monday.
    days = [date(2026, 11, 15), TODAY]

    assert run_of_weeks(days, first_weekday=6, rest_weeks=[], today=TODAY) == 1
    assert run_of_weeks(days, first_weekday=MONDAY, rest_weeks=[], today=TODAY) == 2


def test_months_since_the_first_session_do_not_advance_the_card_without_practice():
    # Calendar week 30 since the first session, but only this week practised.
    expectation = guidance.expectation(practice_of(rows(210, 0)))

    assert expectation.title == "Week 1 of regular practice: building the habit"
    assert expectation.guidance.key == "expect-early"


def test_two_quiet_weeks_say_starting_again():
    expectation = guidance.expectation(practice_of(rows(20, 27, 34)))

    assert expectation.title == "Starting again"
    assert (
        expectation.practice_line
        == "In the last 4 weeks: 2 sessions, 20 minutes in all, about 0.5 a week, 10 minutes each."
    )


@pytest.mark.parametrize(
    ("weeks", "stage"),
    [
        (1, "expect-early"),
        (2, "expect-early"),
        (3, "expect-middle"),
        (8, "expect-middle"),
        (9, "expect-long"),
        (20, "expect-long"),
        (21, "expect-settled"),
    ],
)
def test_the_stage_follows_the_run_of_weeks_practised(weeks: int, stage: str):
    expectation = guidance.expectation(practice_of(rows(*(7 * w for w in range(weeks)))))

    assert expectation.guidance.key == stage
    assert expectation.title.startswith(f"Week {weeks} of regular practice")


def test_the_practice_line_reports_recent_sessions_and_minutes():
    daily = rows(*range(28), minutes=5)

    assert practice_line(practice_of(daily)) == (
        "In the last 4 weeks: 28 sessions, 140 minutes in all, about 7 a week, 5 minutes each."
    )


def test_the_practice_line_counts_only_the_days_since_the_first_session():
    assert practice_line(practice_of(rows(0, 2, 9))) == (
        "In your first 10 days: 3 sessions, 30 minutes in all, about 2.1 a week, 10 minutes each."
    )
    assert practice_line(practice_of(rows(0, 2))) == (
        "In your first 3 days: 2 sessions, 20 minutes in all, 10 minutes each."
    )


def test_sessions_after_today_are_ignored():
    practice = practice_of([(TODAY + timedelta(days=1), 10)])

    assert practice.total_sessions == 0


def test_every_stage_text_carries_the_dose_caveat():
    for days in ([], rows(0), rows(*(7 * w for w in range(5))), rows(40)):
        expectation = guidance.expectation(practice_of(days))
        assert expectation.dose is guidance.DOSE
        assert "not a proven dose" in expectation.dose.text


def test_the_timeline_texts_give_dose_size_and_missing_controls():
    from tracker.guidance import expectations as stages

    assert "3 minutes a day" in stages.EARLY.text and "50 women" in stages.EARLY.text
    assert "Neither had a control group" in stages.EARLY.text
    assert "devices, not hands" in stages.MIDDLE.text
    assert "funded by the roller's maker" in stages.MIDDLE.text
    assert "30 minutes a day" in stages.LONG.text and "16 of the 27" in stages.LONG.text
    assert "no control group" in stages.LONG.text
