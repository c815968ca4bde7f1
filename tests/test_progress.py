from datetime import UTC, date, datetime, timedelta

from django.urls import reverse

from tests.factories import make_session
from tracker.progress import build_progress, calendar_cells, calendar_day

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

    assert [[cell.day for cell in week.days] for week in calendar_cells(grid, TODAY)] == [
        [date(2026, 11, 16), date(2026, 11, 17)]
    ]


def week_of(monday: date, counts=(0,) * 7) -> list[tuple[date, int]]:
    return [(monday + timedelta(days=i), count) for i, count in enumerate(counts)]


def test_the_calendar_names_the_month_on_the_first_week_and_where_a_month_begins():
    grid = [week_of(date(2026, 10, 19)), week_of(date(2026, 10, 26)), week_of(date(2026, 11, 2))]

    assert [week.month for week in calendar_cells(grid, TODAY)] == ["Oct", "Nov", ""]
    starts_in_first_week = [week_of(date(2026, 8, 31)), week_of(date(2026, 9, 7))]
    assert [week.month for week in calendar_cells(starts_in_first_week, TODAY)] == ["Sep", ""]


def test_only_days_with_sessions_link_to_their_week_in_history():
    grid = [week_of(date(2026, 11, 9), (0, 2, 0, 0, 0, 0, 0))]

    days = calendar_cells(grid, TODAY)[0].days

    assert days[1].link == f"{reverse('tracker:history')}?week=2026-11-10"
    assert [day.link for day in days if day.link] == [days[1].link]


def test_days_of_a_rest_week_look_and_read_unlike_missed_days():
    grid = [week_of(date(2026, 11, 2)), week_of(date(2026, 11, 9))]

    rest, missed = calendar_cells(grid, TODAY, rest_weeks={date(2026, 11, 2)})

    assert rest.days[0].css_class == "none rest"
    assert rest.days[0].label == "Mon 2 Nov: 0 sessions, rest week"
    assert missed.days[0].css_class == "none"


# Weeks through the database


def test_the_dashboards_weeks_agree_across_a_dst_change(make_user, time_machine):
    # Monday 30 March 2026 in London, the day after the clocks went forward.
    time_machine.move_to(datetime(2026, 3, 30, 11, 0, tzinfo=UTC), tick=False)
    user = make_user("alice", timezone="Europe/London")
    for moment in (
        datetime(2026, 3, 23, 23, 30, tzinfo=UTC),  # Mon 23:30 GMT
        datetime(2026, 3, 28, 23, 30, tzinfo=UTC),  # Sat 23:30 GMT
        datetime(2026, 3, 29, 22, 30, tzinfo=UTC),  # Sun 23:30 BST, still that week
        datetime(2026, 3, 29, 23, 30, tzinfo=UTC),  # Mon 00:30 BST: this week
    ):
        make_session(user, moment)

    progress = build_progress(user, user.profile)

    last_week, this_week = progress.weeks[-2], progress.weeks[-1]
    assert (last_week.start, last_week.sessions) == (date(2026, 3, 23), 3)
    assert (this_week.start, this_week.sessions) == (date(2026, 3, 30), 1)
    assert progress.streak.current == 1
