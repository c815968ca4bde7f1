"""A session's row built in Python (tracker.rows): what the template wrote, in the person's
time zone, every text escaped, its URLs those Django reverses."""

import re
from datetime import UTC, datetime, timedelta

from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import make_product, make_routine, make_session
from tracker.models import Product, Reaction
from tracker.rows import session_row, session_urls, url_of


def row_of(session, today=None, token="tok"):
    return session_row(session, csrf_token=token, today=today or session.local_date)


@given(st.integers(min_value=1, max_value=2**63 - 1))
def test_the_rows_urls_are_those_django_reverses(pk):
    urls = session_urls()

    for name in ("detail", "edit", "delete", "reaction"):
        assert url_of(urls, name, pk) == reverse(f"tracker:session-{name}", args=[pk])


def test_a_row_shows_when_in_the_active_zone_how_long_and_which_routine(make_user, now):
    user = make_user("tokyo", timezone="Asia/Tokyo")
    routine = make_routine(user, name="Jaw & <cheeks>")
    session = make_session(
        user, datetime(2025, 12, 31, 16, 5, tzinfo=UTC), minutes=12, routine=routine
    )

    with timezone.override("Asia/Tokyo"):
        html = row_of(session)

    pk = session.pk
    assert html.lstrip().startswith(f'<li class="session-row" id="session-{pk}">')
    assert (
        f'<a href="{reverse("tracker:session-detail", args=[pk])}">'
        '<time datetime="2026-01-01T01:05:00+09:00">Thu 1 Jan 2026, 01:05</time></a>'
    ) in html
    assert "<span>12 min · Jaw &amp; &lt;cheeks&gt;</span>" in html
    # Edit, Delete and the reaction say which session they are about.
    assert html.count("the session of 1 Jan, 01:05</span>") == 3
    assert '<input type="hidden" name="csrfmiddlewaretoken" value="tok">' in html


def test_badges_for_a_short_session_its_reaction_and_products_needing_care(user, now):
    fine = make_product(user, "Jojoba oil")
    untested = make_product(user, "Rosehip <new>", patch_test=Product.PatchTest.NOT_DONE)
    paused = make_product(user, "Retinol", paused_on=now.date())
    session = make_session(
        user, now, minutes=3, products=[fine, untested, paused], reaction=Reaction.BREAKOUT
    )

    badges = re.findall(r'<span class="badge (badge-\w+)">(.*?)</span>', row_of(session))

    assert badges[:2] == [("badge-warn", "Under 5 min"), ("badge-alert", "Breakout")]
    assert sorted(badges[2:]) == [
        ("badge-muted", "Retinol: paused"),
        ("badge-warn", "Rosehip &lt;new&gt;: not patch-tested"),
    ]


def test_the_reaction_is_offered_for_seven_days_and_loads_when_opened(user, now):
    session = make_session(user, now)
    url = reverse("tracker:session-reaction", args=[session.pk])

    recent = row_of(session, today=session.local_date + timedelta(days=7))
    old = row_of(session, today=session.local_date + timedelta(days=8))

    assert f'<details class="reaction-details" hx-get="{url}" hx-trigger="toggle once"' in recent
    assert "Skin: not recorded" in recent and "· add</summary>" in recent
    assert "reaction-details" not in old
    session.reaction = Reaction.NONE
    assert "Skin: no reaction" in row_of(session) and "· change</summary>" in row_of(session)


def test_a_row_without_a_token_has_no_empty_token_field(user, now):
    session = make_session(user, now)

    assert "csrfmiddlewaretoken" not in row_of(session, token="")
    assert "csrfmiddlewaretoken" not in row_of(session, token="NOTPROVIDED")
