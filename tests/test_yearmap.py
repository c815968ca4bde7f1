"""The year at a glance, as pure geometry (tracker/yearmap.py)."""

import itertools
from datetime import date, timedelta

from tracker import yearmap

WEDNESDAY = date(2026, 11, 18)


def year(
    rows=(), *, first_weekday=0, rest_weeks=(), today=WEDNESDAY, minimum=2, stretch=3, started=None
):
    return yearmap.year_map(
        rows,
        started=started,
        first_weekday=first_weekday,
        minimum=minimum,
        stretch=stretch,
        rest_weeks=rest_weeks,
        today=today,
    )


def cell_for(result, day: date):
    matches = [cell for cell in result.days if cell.day == day]
    assert len(matches) == 1, matches
    return matches[0]


def test_the_map_holds_52_weeks_ending_with_this_one_and_no_day_after_today():
    result = year()

    assert len(result.weeks) == 52
    assert result.weeks[-1].start == date(2026, 11, 16)
    assert result.weeks[0].start == date(2026, 11, 16) - timedelta(weeks=51)
    # 51 whole weeks and Monday to Wednesday of this one.
    assert len(result.days) == 51 * 7 + 3
    assert len(result.marks) == 52


def test_an_empty_history_draws_empty_days_and_says_so():
    result = year()

    assert {cell.css_class.split()[0] for cell in result.days} == {"none"}
    assert result.sessions == result.minutes == result.days_practised == 0
    assert result.on_target == 0 and result.finished == 51
    assert "0 sessions on 0 days, 0 of 51 finished weeks on target" in result.description
    assert {mark.state for mark in result.marks[:-1]} == {"missed"}
    assert result.marks[-1].state == "in_progress"


def test_days_fill_by_the_number_of_sessions_and_today_is_outlined():
    monday = date(2026, 11, 16)
    result = year([(monday, 10), (monday, 5), (WEDNESDAY, 12), (date(2026, 11, 17), 8)])

    assert cell_for(result, monday).css_class == "many"
    assert "2 sessions, 15 min" in cell_for(result, monday).title
    assert cell_for(result, date(2026, 11, 17)).css_class == "one"
    assert cell_for(result, WEDNESDAY).css_class == "one today"
    assert result.marks[-1].state == "stretch"


def test_rows_start_on_the_owners_first_day_of_the_week():
    monday_start = year()
    sunday_start = year(first_weekday=6)

    assert [label.text for label in monday_start.weekdays] == ["Mon", "Wed", "Fri", "Sun"]
    assert [label.text for label in sunday_start.weekdays] == ["Sun", "Tue", "Thu", "Sat"]
    assert sunday_start.weeks[-1].start == date(2026, 11, 15)
    # The first row is the week's first day: a Sunday sits at the top for a Sunday start.
    sunday = cell_for(sunday_start, date(2026, 11, 15))
    assert sunday.y == yearmap.TOP
    assert cell_for(monday_start, date(2026, 11, 15)).y == yearmap.TOP + 6 * yearmap.STEP


def test_rest_weeks_look_different_from_missed_weeks():
    rest_start = date(2026, 11, 2)
    result = year(rest_weeks=[rest_start + timedelta(days=3)])
    columns = {week.start: i for i, week in enumerate(result.weeks)}

    assert result.marks[columns[rest_start]].state == "rest"
    assert result.marks[columns[rest_start - timedelta(weeks=1)]].state == "missed"
    assert cell_for(result, rest_start).css_class == "none rest"
    assert "(rest week)" in cell_for(result, rest_start).title
    assert cell_for(result, rest_start - timedelta(days=1)).css_class == "none"
    # A rest week is neither finished on target nor missed.
    assert result.rest == 1 and result.finished == 50
    assert "1 rest week" in result.description


def test_sessions_after_today_and_before_the_grid_are_left_out():
    result = year([(WEDNESDAY + timedelta(days=1), 10), (date(2025, 1, 1), 10)])

    assert result.sessions == 0


def test_month_labels_never_crowd_each_other():
    for today in (WEDNESDAY, date(2026, 3, 1), date(2027, 1, 31)):
        labels = year(today=today).months
        positions = [label.position for label in labels]
        assert all(
            b - a >= yearmap.MONTH_LABEL_COLUMNS * yearmap.STEP
            for a, b in itertools.pairwise(positions)
        )
        assert len(labels) in (12, 13)


def test_minutes_per_month_cover_twelve_months_ending_with_this_one():
    rows = [(date(2026, 11, 2), 10), (date(2026, 11, 18), 20), (date(2025, 12, 31), 7)]
    chart = yearmap.month_chart([*rows, (date(2025, 11, 30), 99)], today=WEDNESDAY)

    assert next(bar.start for bar in chart.bars) == date(2025, 12, 1)
    assert chart.bars[-1].start == date(2026, 11, 1) and chart.bars[-1].is_current
    assert chart.bars[-1].minutes == 30 and chart.bars[-1].sessions == 2
    assert chart.bars[0].minutes == 7
    assert chart.bars[-1].height == chart.baseline - 8.0
    assert "37 min in all, most in Nov 2026 (30 min)" in chart.description


def test_an_empty_year_of_months_draws_flat_bars():
    chart = yearmap.month_chart([], today=date(2026, 1, 5))

    assert [bar.start.month for bar in chart.bars] == [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 1]
    assert all(bar.height == 0 for bar in chart.bars)
    assert chart.description.endswith("0 min in all.")


def test_weeks_before_the_person_started_are_not_missed():
    started = date(2026, 9, 10)
    result = year([(started, 10)], started=started)
    columns = {week.start: i for i, week in enumerate(result.weeks)}

    assert result.marks[columns[date(2026, 8, 31)]].state == "not_started"
    assert "before you started" in result.marks[0].title
    # The week it started in counts, and every week after it.
    assert result.marks[columns[date(2026, 9, 7)]].state == "missed"
    assert result.finished == 10
    assert "0 of 10 finished weeks on target" in result.description
