"""Week counting through the database, so SQLite and PostgreSQL (make test-postgres) must agree.

The pure functions have their own tests; these store sessions logged across time-zone and DST
edges, read them back the way the dashboard and history do, and check the weeks.
"""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from tests.factories import make_session
from tracker.models import MassageSession
from tracker.progress import build_progress

# Each case: zone, first weekday, a moment in UTC, the local day it must count on.
EDGES = [
    # 23:30 on Sunday in Los Angeles is already Monday in UTC.
    ("America/Los_Angeles", 0, datetime(2026, 11, 23, 7, 30, tzinfo=UTC), date(2026, 11, 22)),
    # 08:00 on Monday in Auckland is still Sunday in UTC.
    ("Pacific/Auckland", 0, datetime(2026, 11, 15, 19, 0, tzinfo=UTC), date(2026, 11, 16)),
    # 00:30 BST on the Monday after London springs forward (29 March 2026): UTC says Sunday.
    ("Europe/London", 0, datetime(2026, 3, 29, 23, 30, tzinfo=UTC), date(2026, 3, 30)),
    # 00:30 on the day London falls back (25 October 2026): still BST, UTC says Saturday.
    ("Europe/London", 0, datetime(2026, 10, 24, 23, 30, tzinfo=UTC), date(2026, 10, 25)),
    # The repeated 01:30 when Los Angeles falls back (1 November 2026), second reading.
    ("America/Los_Angeles", 6, datetime(2026, 11, 1, 9, 30, tzinfo=UTC), date(2026, 11, 1)),
    # New Year's Eve late in Auckland, in a week spanning the new year.
    ("Pacific/Auckland", 0, datetime(2026, 12, 31, 10, 30, tzinfo=UTC), date(2026, 12, 31)),
]


@pytest.mark.parametrize(("zone", "first_weekday", "moment", "local_day"), EDGES)
def test_a_stored_session_counts_in_the_week_of_its_local_day(
    make_user, zone, first_weekday, moment, local_day
):
    user = make_user("alice", timezone=zone, week_start=first_weekday)
    session = make_session(user, moment)

    stored = MassageSession.objects.get(pk=session.pk)
    assert stored.local_date == local_day
    assert stored.performed_at == moment
    week_start = user.profile.week_start_of(local_day)
    assert list(MassageSession.objects.for_user(user).in_week(week_start)) == [stored]
    previous_week = MassageSession.objects.for_user(user).in_week(week_start - timedelta(days=7))
    assert not previous_week.exists()


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


def test_the_history_week_filter_agrees_across_new_year(make_user, client_for, time_machine):
    time_machine.move_to(datetime(2027, 1, 6, 12, 0, tzinfo=UTC), tick=False)
    user = make_user("alice", timezone="Pacific/Auckland")
    auckland = ZoneInfo("Pacific/Auckland")
    inside = [
        datetime(2026, 12, 28, 7, 0, tzinfo=auckland),  # Monday of the spanning week
        datetime(2027, 1, 3, 23, 30, tzinfo=auckland),  # its Sunday night
    ]
    outside = [datetime(2027, 1, 4, 0, 30, tzinfo=auckland)]
    for moment in inside + outside:
        make_session(user, moment)

    response = client_for(user).get(reverse("tracker:history"), {"week": "2027-01-01"})

    page = response.context["page"]
    assert [s.performed_at for s in page.object_list] == sorted(inside, reverse=True)
