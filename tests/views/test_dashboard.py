import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    WEDNESDAY_NOON,
    make_photo,
    make_product,
    make_rest_week,
    make_routine,
    make_session,
)
from tests.readers import streak
from tracker.models import MassageSession, Product, ProgressPhoto

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("tracker:dashboard")
PHOTO_NEW = reverse("tracker:photo-new")
PHOTO_COMPARE = reverse("tracker:photo-compare")
Angle = ProgressPhoto.Angle
THIS_MONDAY = date(2026, 11, 16)

# Session, user and profile (middleware), the sessions' dates and minutes, rest weeks, routines
# and their steps (one-tap buttons), and the recent sessions with their products. The full
# form (and its choices) loads only when opened.
# Plus the progress photos, for the latest comparison card; the latest reaction still to
# answer, and the "before you start" answers.
# One more than before issue 13: the experiment running now, if any.
DASHBOARD_QUERIES = 13


def dashboard(client: Client, **headers: str) -> str:
    response = client.get(DASHBOARD, headers=headers)
    assert response.status_code == 200
    return response.content.decode()


def state_label(html: str) -> str:
    return re.search(r'<strong class="state-label">([^<]*)</strong>', html).group(1)


def sessions_in_weeks(user, *week_counts: tuple[date, int]) -> None:
    for monday, count in week_counts:
        for offset in range(count):
            day = monday + timedelta(days=offset)
            make_session(user, datetime(day.year, day.month, day.day, 9, 0, tzinfo=UTC))


def make_history(user, count: int, now: datetime) -> None:
    """`count` sessions twelve hours apart, each with a product, as fast as the database allows."""
    product = make_product(user)
    zone = user.profile.zone
    sessions = MassageSession.objects.bulk_create(
        MassageSession(
            owner=user,
            performed_at=now - timedelta(hours=1 + 12 * i),
            local_date=(now - timedelta(hours=1 + 12 * i)).astimezone(zone).date(),
            minutes=10,
        )
        for i in range(count)
    )
    through = MassageSession.products.through
    through.objects.bulk_create(
        through(massagesession_id=session.pk, product_id=product.pk) for session in sessions
    )


# This week


def test_a_new_user_sees_an_empty_week_and_how_to_start(user_client, now):
    html = dashboard(user_client)

    assert state_label(html) == "In progress"
    assert 'data-testid="week-count">0<' in html
    assert "No sessions yet" in html
    assert "<dd>none yet</dd>" in html
    assert "Getting started" in html
    assert "Copy a starter routine" in html


def test_two_sessions_logged_this_week_put_the_week_on_target(user, user_client, now):
    routine = make_routine(user)
    for _ in range(2):
        user_client.post(reverse("tracker:log-routine", args=[routine.pk]))

    html = dashboard(user_client)

    assert 'data-testid="week-count">2<' in html
    assert state_label(html) == "On target"


def test_a_third_session_this_week_reaches_the_stretch_goal(user, user_client, now):
    for hours in (1, 2, 3):
        make_session(user, now - timedelta(hours=hours))

    html = dashboard(user_client)

    assert 'data-testid="week-count">3<' in html
    assert state_label(html) == "Stretch goal reached"


def test_one_session_so_far_is_in_progress_not_missed(user, user_client, now):
    make_session(user, now - timedelta(minutes=5))

    html = dashboard(user_client)

    assert state_label(html) == "In progress"
    assert "4 days left after today" in html


def test_the_week_follows_the_users_own_first_day(make_user, client_for, now):
    # Sunday-start weeks: last Sunday and this Wednesday are in the same week.
    sunday_starter = make_user("sunday", week_start=6)
    make_session(sunday_starter, datetime(2026, 11, 15, 9, 0, tzinfo=now.tzinfo))
    make_session(sunday_starter, now - timedelta(hours=1))

    html = dashboard(client_for(sunday_starter))

    assert state_label(html) == "On target"
    assert "Sun 15 Nov \N{EN DASH} Sat 21 Nov" in html


def test_sessions_of_another_user_do_not_count(user_client, other_user, now):
    for hours in (1, 2, 3):
        make_session(other_user, now - timedelta(hours=hours))

    html = dashboard(user_client)

    assert 'data-testid="week-count">0<' in html
    assert "No sessions yet" in html


# Streaks and rest weeks


def test_the_streak_counts_finished_weeks_on_target_and_this_one_once_on_target(
    user, user_client, now
):
    sessions_in_weeks(
        user,
        (date(2026, 10, 26), 2),
        (date(2026, 11, 2), 3),
        (date(2026, 11, 9), 2),
        (THIS_MONDAY, 2),
    )

    assert streak(dashboard(user_client)) == 4


def test_a_week_below_target_breaks_the_streak(user, user_client, now):
    sessions_in_weeks(user, (date(2026, 11, 2), 2), (date(2026, 11, 9), 1))

    assert streak(dashboard(user_client)) == 0


def test_a_rest_week_shows_on_the_dashboard_and_keeps_the_streak(user, user_client, now):
    sessions_in_weeks(user, (date(2026, 10, 26), 2), (date(2026, 11, 2), 2))
    make_rest_week(user, date(2026, 11, 9), reason="Skin irritation after a peel")

    html = dashboard(user_client)

    assert streak(html) == 2
    assert (
        '<tr class="state-rest"><th scope="row">9 Nov</th><td>0</td><td>0</td>'
        '<td class="state-label">Rest week</td>'
    ) in html
    assert "1 rest week" in html


def test_making_this_week_a_rest_week_from_the_dashboard_shows_it_as_one(user, user_client, now):
    response = user_client.post(
        reverse("tracker:rest-week-add"), {"week_start": "2026-11-18", "next": "dashboard"}
    )
    assert response.status_code == 302
    assert response["Location"] == DASHBOARD

    html = dashboard(user_client)

    assert state_label(html) == "Rest week"
    assert "days left after today" not in html
    assert "Make this a rest week" not in html


def test_a_week_without_sessions_offers_to_become_a_rest_week(user, user_client, now):
    make_session(user, now - timedelta(days=14))

    assert "Make this a rest week" in dashboard(user_client)


def test_a_first_visit_offers_no_rest_week(user_client, now):
    assert "Make this a rest week" not in dashboard(user_client)


# The chart


def test_the_chart_has_a_bar_for_each_of_the_last_twelve_weeks(user, user_client, now):
    make_session(user, now - timedelta(hours=1))

    html = dashboard(user_client)

    assert len(re.findall(r'<g class="bar state-', html)) == 12
    assert html.count('<g class="bar state-in_progress current">') == 1


def test_the_chart_has_a_text_description_and_a_table_of_the_same_weeks(user, user_client, now):
    sessions_in_weeks(user, (date(2026, 11, 2), 2), (date(2026, 11, 9), 3))

    html = dashboard(user_client)

    desc = re.search(r'<desc id="chart-desc">([^<]*)</desc>', html).group(1)
    assert desc.startswith("Sessions per week for 12 weeks from 31 Aug to 16 Nov")
    assert "2 of 11 finished weeks on target" in desc
    table_rows = re.findall(
        r'<tr class="state-\w+"><th scope="row">([^<]*)</th><td>(\d+)</td>', html
    )
    assert len(table_rows) == 12
    # Newest first in the table.
    assert table_rows[:3] == [("16 Nov", "0"), ("9 Nov", "3"), ("2 Nov", "2")]
    assert 'aria-labelledby="chart-title chart-desc"' in html


def test_the_chart_has_a_scale_a_key_and_names_this_week(user, user_client, now):
    sessions_in_weeks(user, (date(2026, 11, 2), 4))

    html = dashboard(user_client)

    labels = re.findall(r'<text class="tick-label"[^>]*>(\d+)</text>', html)
    assert labels == ["0", "2", "3", "4"]
    assert ">This week</text>" in html
    key = html.split('<ul class="chart-legend"')[1].split("</ul>")[0]
    for entry in (
        "Target, 2\N{EN DASH}3 a week",
        "On target",
        "Stretch reached",
        "Below target",
        "Rest week",
    ):
        assert entry in key


def test_a_rest_week_looks_and_reads_unlike_a_missed_week(user, user_client, now):
    sessions_in_weeks(user, (date(2026, 10, 26), 2))
    make_rest_week(user, date(2026, 11, 9))

    html = dashboard(user_client)

    rest_bar = html.split('<g class="bar state-rest">')[1].split("</g>")[0]
    assert 'class="rest-shade"' in rest_bar
    assert ">rest</text>" in rest_bar
    missed_bar = html.split('<g class="bar state-missed">')[1].split("</g>")[0]
    assert "rest-shade" not in missed_bar
    assert ">0</text>" in missed_bar
    assert html.count('<td class="none rest">') == 7


def test_the_calendar_names_its_months_and_links_days_with_sessions_to_their_week(
    user, user_client, now
):
    make_session(user, datetime(2026, 11, 10, 9, 0, tzinfo=UTC))

    html = dashboard(user_client)

    months = re.findall(r'<th scope="row" class="month">(\w*)</th>', html)
    assert len(months) == 12
    # 31 Aug to 6 Sep is the first week: September begins in it.
    assert [month for month in months if month] == ["Sep", "Oct", "Nov"]
    links = re.findall(r'<td class="one"><a href="([^"]+)" title="([^"]+)">', html)
    assert links == [(f"{reverse('tracker:history')}?week=2026-11-10", "Tue 10 Nov: 1 session")]


def test_a_week_past_the_stretch_target_says_so(user, user_client, now):
    sessions_in_weeks(user, (date(2026, 11, 16), 3))
    make_session(user, now - timedelta(hours=1))

    html = dashboard(user_client)

    assert 'data-testid="week-count">4<' in html
    assert "sessions: past your stretch target of 3" in html
    assert "of 2\N{EN DASH}3 sessions" not in html


def test_habit_strength_says_why_it_starts_low_and_rises_slowly(user_client, now):
    html = dashboard(user_client)

    strength = html.split('id="strength-heading"')[1].split("</section>")[0]
    assert "It starts low and rises slowly on purpose" in strength
    assert "A missed week lowers it a little" in strength


def test_a_first_visit_says_what_the_chart_and_calendar_will_show(user_client, now):
    html = dashboard(user_client)

    assert f'href="{reverse("tracker:routine-list")}#starter-heading"' in html
    assert "Each week you log gets a bar here" in html
    assert "The days you massage light up here" in html
    assert '<svg class="chart"' not in html
    assert '<table class="calendar">' not in html


# Practice week, last session and flags


def test_the_guidance_card_follows_the_weeks_practised_not_the_calendar(user, user_client, now):
    # A first session 8 weeks ago, then nothing until two this week: the run starts again.
    make_session(user, now - timedelta(weeks=8))
    make_session(user, now - timedelta(hours=2))
    make_session(user, now - timedelta(hours=1))

    html = dashboard(user_client)

    assert "Week 1 of regular practice: building the habit" in html
    assert "In the last 4 weeks: 2 sessions, 20 minutes in all, about 0.5 a week" in html


def test_weeks_with_practice_in_a_row_move_the_card_on(user, user_client, now):
    for weeks_ago in range(4):
        make_session(user, now - timedelta(weeks=weeks_ago, hours=1))

    html = dashboard(user_client)

    assert "Week 4 of regular practice: keep going" in html
    assert "tested devices, not hands" in html
    assert 'href="/sources/#caberlotto-2017"' in html


def test_a_first_session_today_starts_week_one(user, user_client, now):
    make_session(user, now - timedelta(minutes=5))

    html = dashboard(user_client)

    assert "Week 1 of regular practice: building the habit" in html
    assert "Today: 1 session, 10 minutes in all." in html
    assert "<dd>today</dd>" in html


def test_the_guidance_card_links_to_the_sources_page(user, user_client, now):
    html = dashboard(user_client)

    assert "Getting started" in html
    assert f'href="{reverse("tracker:sources")}"' in html
    assert 'href="/sources/#practitioner-frequency"' in html


@pytest.mark.parametrize(("days", "text"), [(1, "yesterday"), (3, "3 days ago")])
def test_the_dashboard_says_how_long_since_the_last_session(
    user, user_client, now, days: int, text: str
):
    make_session(user, now - timedelta(days=days + 10))
    make_session(user, now - timedelta(days=days))

    assert f"<dd>{text}</dd>" in dashboard(user_client)


def test_a_short_session_is_flagged_in_the_recent_list(user, user_client, now):
    make_session(user, now - timedelta(hours=1), minutes=3)

    html = dashboard(user_client)

    assert '<span class="badge badge-warn">Under 5 min</span>' in html


def test_a_product_not_yet_patch_tested_is_flagged_in_the_recent_list(user, user_client, now):
    untested = make_product(user, "Rosehip oil", patch_test=Product.PatchTest.PENDING)
    tested = make_product(user, "Jojoba oil")
    make_session(user, now - timedelta(hours=1), products=[untested, tested])

    html = dashboard(user_client)

    assert "Rosehip oil: not patch-tested" in html
    assert "Jojoba oil: not patch-tested" not in html


def test_a_skin_reaction_is_flagged_in_the_recent_list(user, user_client, now):
    make_session(user, now - timedelta(hours=1), reaction="redness")

    assert '<span class="badge badge-alert">Redness</span>' in dashboard(user_client)


def test_recent_sessions_show_the_five_newest(user, user_client, now):
    for days in range(7):
        make_session(user, now - timedelta(days=days), minutes=10 + days)

    html = dashboard(user_client)

    minutes = re.findall(r"<span>(\d+) min", html)
    assert minutes == ["10", "11", "12", "13", "14"]


def test_a_short_average_is_compared_with_the_users_target(make_user, client_for, now):
    quick = make_user("quick", target_minutes=15)
    make_session(quick, now - timedelta(hours=1), minutes=8)

    assert '8 min <span class="muted">(target 15)</span>' in dashboard(client_for(quick))


# htmx


def test_an_htmx_refresh_of_the_progress_gets_only_that_partial(user, user_client, now):
    make_session(user, now - timedelta(hours=1))

    html = dashboard(user_client, HX_Request="true", HX_Target="progress")

    assert html.lstrip().startswith('<div id="progress"')
    assert "<html" not in html
    assert 'id="recent-sessions"' not in html


def test_an_htmx_refresh_of_recent_sessions_gets_only_that_partial(user, user_client, now):
    make_session(user, now - timedelta(hours=1), minutes=7)

    html = dashboard(user_client, HX_Request="true", HX_Target="recent-sessions")

    assert html.lstrip().startswith('<section id="recent-sessions"')
    assert "7 min" in html
    assert 'id="progress"' not in html


def test_an_htmx_request_for_another_target_gets_the_whole_page(user_client, now):
    html = dashboard(user_client, HX_Request="true", HX_Target="main")

    assert "<html" in html


def test_a_history_restore_gets_the_whole_page(user_client, now):
    html = dashboard(
        user_client,
        HX_Request="true",
        HX_Target="progress",
        HX_History_Restore_Request="true",
    )

    assert "<html" in html
    assert 'id="progress"' in html
    assert 'id="recent-sessions"' in html


def test_the_parts_that_change_listen_for_new_sessions(user_client, now):
    html = dashboard(user_client)

    assert html.count('hx-trigger="sessions-changed from:body"') == 1
    # The week, streak and charts also change when a rest week is marked or undone.
    assert html.count('hx-trigger="sessions-changed from:body, rest-weeks-changed from:body"') == 1


# Queries


@pytest.mark.parametrize("count", [1, 500])
def test_the_dashboard_costs_the_same_queries_for_one_session_or_five_hundred(
    user, user_client, now, django_assert_num_queries, count: int
):
    make_history(user, count, now)
    make_routine(user, "Lift")
    make_routine(user, "Depuff")

    with django_assert_num_queries(DASHBOARD_QUERIES):
        html = dashboard(user_client)

    assert f"<dt>Sessions</dt><dd>{count}</dd>" in html


@pytest.mark.parametrize("count", [1, 500])
def test_recent_sessions_from_routines_cost_one_query_more_however_long_the_history(
    user, user_client, now, django_assert_num_queries, count: int
):
    """Their routines come by key, not by a join that reads the whole routine table."""
    make_history(user, count, now)
    routine = make_routine(user, "Lift")
    MassageSession.log_routine(routine, user, performed_at=now - timedelta(minutes=5))

    with django_assert_num_queries(DASHBOARD_QUERIES + 1) as captured:
        html = dashboard(user_client)

    assert "Lift" in html
    assert not any("JOIN" in q["sql"] and "tracker_routine" in q["sql"] for q in captured)


@pytest.mark.parametrize("count", [1, 500])
def test_a_breakout_and_its_recent_products_cost_one_query_more_however_long_the_history(
    user, user_client, now, django_assert_num_queries, count: int
):
    make_history(user, count, now)
    make_routine(user, "Lift")
    latest = MassageSession.objects.for_user(user).newest_first().first()
    latest.record_reaction("breakout")

    with django_assert_num_queries(DASHBOARD_QUERIES + 1):
        html = dashboard(user_client)

    assert "Pause this product" in html or "No product was first used" in html


def test_a_new_users_dashboard_skips_the_queries_for_steps_and_products_of_nothing(
    user_client, now, django_assert_num_queries
):
    with django_assert_num_queries(DASHBOARD_QUERIES - 2):
        dashboard(user_client)


def test_the_progress_partial_costs_a_constant_few_queries(
    user, user_client, now, django_assert_num_queries
):
    make_history(user, 50, now)

    # Session, user, profile, then the sessions' dates and minutes and the rest weeks.
    with django_assert_num_queries(5):
        dashboard(user_client, HX_Request="true", HX_Target="progress")


def test_the_recent_sessions_partial_costs_a_constant_few_queries(
    user, user_client, now, django_assert_num_queries
):
    make_history(user, 50, now)

    # Session, user, profile, then the recent sessions and their products: no counting.
    with django_assert_num_queries(5):
        dashboard(user_client, HX_Request="true", HX_Target="recent-sessions")


# The photo card


def test_the_dashboard_offers_to_add_a_photo_until_one_angle_has_two(user, user_client):
    make_photo(user, angle=Angle.FRONT)
    make_photo(user, angle=Angle.LEFT)

    page = dashboard(user_client)

    assert f'href="{PHOTO_NEW}"' in page
    assert "Compare them" not in page


def test_the_dashboard_shows_the_latest_comparison_once_an_angle_has_two_photos(
    user, user_client, now
):
    first = make_photo(user, WEDNESDAY_NOON - timedelta(weeks=5), Angle.JAWLINE)
    latest = make_photo(user, WEDNESDAY_NOON - timedelta(days=1), Angle.JAWLINE)
    make_session(user, WEDNESDAY_NOON - timedelta(days=10))

    page = dashboard(user_client)

    assert f"{PHOTO_COMPARE}?before={first.pk}&amp;after={latest.pk}" in page
    assert f'src="/photos/{first.pk}/thumbnail/"' in page
    assert "Jawline and neck: 4 weeks and 6 days apart, 1 session in between." in page
    assert f'href="{PHOTO_NEW}"' in page


def test_the_photo_card_costs_the_dashboard_the_same_queries_however_many_photos(user, user_client):
    def dashboard_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            user_client.get(reverse("tracker:dashboard"))
        return len(captured)

    make_photo(user, WEDNESDAY_NOON - timedelta(days=9))
    make_photo(user, WEDNESDAY_NOON - timedelta(days=8))
    # A session too: the recent sessions' products are only fetched once there is one.
    make_session(user, WEDNESDAY_NOON - timedelta(days=20))
    with_two = dashboard_queries()
    for day in range(12):
        make_photo(
            user,
            WEDNESDAY_NOON - timedelta(days=day),
            [Angle.LEFT, Angle.RIGHT][day % 2],
        )
        make_session(user, WEDNESDAY_NOON - timedelta(days=day, hours=3))

    assert dashboard_queries() == with_two


def test_the_dashboard_partials_do_not_pay_for_the_photo_card(user, user_client, htmx_headers):
    make_photo(user)
    make_photo(user)

    with CaptureQueriesContext(connection) as captured:
        user_client.get(
            reverse("tracker:dashboard"), headers={**htmx_headers, "HX-Target": "progress"}
        )

    assert not any("tracker_progressphoto" in query["sql"] for query in captured.captured_queries)


# The installable app


def test_the_dashboard_is_private_but_may_be_kept_on_the_phone_for_offline(user_client):
    response = user_client.get(DASHBOARD)

    # `private` keeps it out of shared caches; the service worker, the person's own, keeps
    # the last good copy of any page that does not say no-store.
    directives = set(response["Cache-Control"].replace(" ", "").split(","))
    assert "private" in directives
    assert "no-store" not in directives


def test_one_tap_forms_can_be_saved_offline(user, user_client):
    make_routine(user, "Lift")

    page = user_client.get(DASHBOARD).content.decode()

    form = re.search(r"<form[^>]*data-offline-log[^>]*>", page).group(0)
    assert 'data-label="Lift"' in form
    assert "hx-request='{\"timeout\": 15000}'" in form
    assert 'id="log"' in page


# The progress part from the pages cache (tracker.pages)


def test_a_repeat_visit_comes_from_the_cache_with_only_the_sign_in_queries(
    user, user_client, now, django_assert_num_queries
):
    make_history(user, 50, now)
    make_routine(user, "Lift")
    first = dashboard(user_client)

    # Session, user and profile: the page around the email prompt is kept (tracker.pages).
    with django_assert_num_queries(3):
        again = dashboard(user_client)

    assert progress_of(again) == progress_of(first).replace(csrf_of(first), csrf_of(again))
    assert "placeholder" not in again
    # Each answer brings its own one-time ids for the log forms.
    ids = re.findall(r'name="client_id" id="[^"]+" value="([^"]+)"', first + again)
    assert len(ids) == 2 and len(set(ids)) == 2


def test_a_progress_refresh_from_the_cache_costs_only_the_sign_in_queries(
    user, user_client, now, django_assert_num_queries
):
    make_history(user, 50, now)
    dashboard(user_client, HX_Request="true", HX_Target="progress")

    with django_assert_num_queries(3):
        html = dashboard(user_client, HX_Request="true", HX_Target="progress")

    assert html.lstrip().startswith('<div id="progress"')


def test_a_log_shows_at_once_on_the_next_visit(user, user_client, now):
    routine = make_routine(user, "Lift")
    assert 'data-testid="week-count">0<' in dashboard(user_client)

    user_client.post(reverse("tracker:log-routine", args=[routine.pk]))

    assert 'data-testid="week-count">1<' in dashboard(user_client)


def test_the_cached_part_carries_each_browsers_own_csrf_token(user, client_for, now):
    phone, laptop = client_for(user), client_for(user)
    phone_page, laptop_page = dashboard(phone), dashboard(laptop)
    tokens = {csrf_of(phone_page), csrf_of(laptop_page)}

    assert "placeholder" not in phone_page + laptop_page
    # The rest-week form inside the part is posted with the browser's own token.
    response = laptop.post(
        reverse("tracker:rest-week-add"),
        {"week_start": "2026-11-18", "csrfmiddlewaretoken": csrf_in_part(laptop_page)},
    )
    assert response.status_code == 302
    assert len(tokens) == 2


def test_no_one_is_shown_another_persons_cached_progress(user, other_user, client_for, now):
    make_session(user)
    assert 'data-testid="week-count">1<' in dashboard(client_for(user))

    assert 'data-testid="week-count">0<' in dashboard(client_for(other_user))


def progress_of(html: str) -> str:
    return html[html.index('<div id="progress"') : html.index('<section id="recent-sessions"')]


def csrf_of(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def csrf_in_part(html: str) -> str:
    part = html[html.index('<div id="progress"') :]
    return csrf_of(part)
