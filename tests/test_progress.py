from datetime import date

from tracker.progress import calendar_cells, calendar_day

TODAY = date(2026, 11, 18)


def test_a_calendar_day_says_how_many_sessions_it_had():
    assert calendar_day(date(2026, 11, 16), 0, TODAY).label == "Mon 16 Nov: 0 sessions"
    assert calendar_day(date(2026, 11, 16), 1, TODAY).label == "Mon 16 Nov: 1 session"
    assert calendar_day(date(2026, 11, 16), 3, TODAY).label == "Mon 16 Nov: 3 sessions"


def test_a_calendar_day_is_classed_by_its_count_and_by_being_today():
    assert calendar_day(date(2026, 11, 16), 0, TODAY).css_class == "none"
    assert calendar_day(date(2026, 11, 16), 1, TODAY).css_class == "one"
    assert calendar_day(date(2026, 11, 16), 2, TODAY).css_class == "many"
    assert calendar_day(TODAY, 1, TODAY).css_class == "one today"


def test_days_to_come_are_neither_counted_nor_missed():
    cell = calendar_day(date(2026, 11, 19), -1, TODAY)

    assert cell.css_class == "future"
    assert cell.label == "Thu 19 Nov: to come"


def test_the_calendar_keeps_the_grid_of_weeks():
    grid = [[(date(2026, 11, 16), 1), (date(2026, 11, 17), 0)]]

    assert [[cell.day for cell in row] for row in calendar_cells(grid, TODAY)] == [
        [date(2026, 11, 16), date(2026, 11, 17)]
    ]
