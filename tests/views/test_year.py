import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse

from tests.factories import make_rest_week, make_session
from tracker.models import MassageSession

pytestmark = pytest.mark.django_db

YEAR = reverse("tracker:year")
# Session, user and profile (middleware), the sessions' dates and minutes, the rest weeks.
YEAR_QUERIES = 5


def year_page(client) -> str:
    response = client.get(YEAR)
    assert response.status_code == 200
    return response.content.decode()


def many_sessions(user, count: int, now: datetime) -> None:
    """`count` sessions a day apart, back from now, as fast as the database allows."""
    zone = user.profile.zone
    # Straight to the database, as tests/views/test_dashboard.py's history does: only the
    # count of rows matters here, not how they were logged.
    MassageSession.objects.bulk_create(
        MassageSession(
            owner=user,
            performed_at=now - timedelta(days=i, hours=1),
            local_date=(now - timedelta(days=i, hours=1)).astimezone(zone).date(),
            minutes=10,
        )
        for i in range(count)
    )


@pytest.mark.parametrize("count", [0, 400])
def test_the_year_costs_the_same_queries_for_no_session_or_four_hundred(
    user, user_client, now, django_assert_num_queries, count: int
):
    many_sessions(user, count, now)
    make_rest_week(user, date(2026, 6, 1))

    with django_assert_num_queries(YEAR_QUERIES):
        page = year_page(user_client)

    assert "rest-hatch" in page


def test_an_empty_history_shows_a_year_of_empty_days(user_client, now):
    page = year_page(user_client)

    assert "0 sessions on 0 days, 0 min" in page
    assert page.count('class="day none') == 51 * 7 + 3
    assert "<summary>Show as a table</summary>" in page


def test_a_session_late_on_sunday_counts_on_sunday_in_the_owners_time_zone(user, user_client, now):
    profile = user.profile
    profile.timezone = "Pacific/Auckland"
    profile.save()
    # 11:30 on Sunday 15 November in UTC is 00:30 on Monday the 16th in Auckland.
    make_session(user, datetime(2026, 11, 15, 11, 30, tzinfo=UTC))

    page = year_page(user_client)

    assert re.search(r'class="day one"[^>]*><title>Mon 16 Nov 2026: 1 session, 10 min', page)
    assert re.search(r'class="day none"[^>]*><title>Sun 15 Nov 2026: 0 sessions', page)


def test_the_rows_follow_the_owners_first_day_of_the_week(user, user_client, now):
    profile = user.profile
    profile.week_start = 6
    profile.save()

    page = year_page(user_client)

    # The top row (y=16) is Sunday's.
    assert re.search(r'y="16\.0"[^>]*><title>Sun 15 Nov 2026', page)
    assert "Week of 15 Nov 2026 (this week)" in page


def test_rest_weeks_are_marked_apart_from_missed_weeks(user, user_client, now):
    # Sessions from before the account (an import) start the counting that week.
    make_session(user, datetime(2026, 10, 20, 12, tzinfo=UTC))
    make_rest_week(user, date(2026, 11, 2))

    page = year_page(user_client)

    assert 'class="day none rest"' in page
    assert re.search(
        r'class="week-mark state-rest"[^>]*><title>Week of 2 Nov 2026: 0 sessions, rest week', page
    )
    assert re.search(
        r'class="week-mark state-missed"[^>]*><title>Week of 9 Nov 2026: 0 sessions, below target',
        page,
    )
    assert '<tr class="week-row state-rest"><th scope="row">2 Nov 2026</th>' in page


def test_minutes_per_month_sum_each_calendar_month(user, user_client, now):
    make_session(user, datetime(2026, 10, 31, 12, tzinfo=UTC), minutes=12)
    make_session(user, datetime(2026, 11, 1, 12, tzinfo=UTC), minutes=7)
    make_session(user, datetime(2026, 11, 17, 12, tzinfo=UTC), minutes=8)

    page = year_page(user_client)

    assert '<tr><th scope="row">November 2026</th><td>2</td><td>15</td></tr>' in page
    assert '<tr><th scope="row">October 2026</th><td>1</td><td>12</td></tr>' in page
    assert "Nov 2026 (so far): 15 min, 2 sessions" in page


def test_history_and_the_dashboards_chart_link_to_the_year(user_client, now):
    for url in (reverse("tracker:history"), reverse("tracker:dashboard")):
        assert f'href="{YEAR}"' in user_client.get(url).content.decode()


def test_a_visitor_is_sent_to_log_in(client):
    response = client.get(YEAR)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_weeks_before_the_account_and_its_first_session_are_not_missed(user, user_client, now):
    page = year_page(user_client)

    assert re.search(r'class="week-mark state-not_started"[^>]*><title>Week of 2 Nov 2026', page)
    assert 'class="week-mark state-missed"' not in page
    assert "<td>Before you started</td>" in page
    assert "0 of 0 finished weeks on target" in page
