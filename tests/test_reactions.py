"""The reaction loop: one tap records how the skin reacted, advice follows at once and waits on
the dashboard until the next session, and the products first used lately are named."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from tests.factories import freeze_time, make_product, make_routine, make_session
from tracker.models import MassageSession, Product, Reaction
from tracker.reactions import first_used_recently

HTMX = {"HX-Request": "true", "HX-Current-URL": "http://testserver/"}
AUCKLAND = ZoneInfo("Pacific/Auckland")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")


# Which products count as "first used in the last 14 days" (pure)


def test_a_product_first_used_today_counts_and_one_first_used_15_days_ago_does_not():
    today = date(2026, 11, 18)
    uses = [
        ("new", datetime(2026, 11, 18, 9, 0, tzinfo=UTC)),
        ("fortnight", datetime(2026, 11, 5, 9, 0, tzinfo=UTC)),
        ("older", datetime(2026, 11, 4, 9, 0, tzinfo=UTC)),
    ]

    assert first_used_recently(uses, zone=ZoneInfo("UTC"), today=today, days=14) == [
        "new",
        "fortnight",
    ]


def test_the_days_are_the_persons_own_not_utcs():
    # 20:30 UTC on 4 November is already 5 November in Auckland: day 14 there, day 15 in UTC.
    first_use = [("oil", datetime(2026, 11, 4, 20, 30, tzinfo=UTC))]
    today = date(2026, 11, 18)

    assert first_used_recently(first_use, zone=AUCKLAND, today=today, days=14) == ["oil"]
    assert first_used_recently(first_use, zone=ZoneInfo("UTC"), today=today, days=14) == []


def test_an_evening_in_los_angeles_is_still_that_day_there():
    # 05:00 UTC on 5 November is 21:00 on 4 November in Los Angeles: 15 days before the 18th.
    first_use = [("serum", datetime(2026, 11, 5, 5, 0, tzinfo=UTC))]

    today = date(2026, 11, 18)
    assert first_used_recently(first_use, zone=LOS_ANGELES, today=today, days=14) == []
    assert first_used_recently(first_use, zone=ZoneInfo("UTC"), today=today, days=14) == ["serum"]


def test_the_newest_first_use_comes_first():
    today = date(2026, 11, 18)
    uses = [
        ("a", datetime(2026, 11, 10, tzinfo=UTC)),
        ("b", datetime(2026, 11, 17, tzinfo=UTC)),
        ("c", datetime(2026, 11, 12, tzinfo=UTC)),
    ]

    assert first_used_recently(uses, zone=ZoneInfo("UTC"), today=today, days=14) == [
        "b",
        "c",
        "a",
    ]


# The same through the database


@pytest.fixture
def now(monkeypatch: pytest.MonkeyPatch) -> datetime:
    return freeze_time(monkeypatch)


def breakout_advice(client) -> str:
    return client.get(reverse("tracker:dashboard")).content.decode()


@pytest.mark.django_db
def test_a_product_used_once_long_ago_and_again_now_is_not_new(user, user_client, now):
    old_friend = make_product(user, "Jojoba oil")
    newcomer = make_product(user, "Rosehip serum", patch_test=Product.PatchTest.NOT_DONE)
    make_session(user, now - timedelta(days=60), products=[old_friend])
    session = make_session(user, now - timedelta(hours=2), products=[old_friend, newcomer])
    session.record_reaction(Reaction.BREAKOUT)

    html = breakout_advice(user_client)

    advice = html[html.index('id="advice-heading"') :]
    assert "Rosehip serum" in advice
    assert "Jojoba oil" not in advice


@pytest.mark.django_db
def test_first_use_is_counted_in_the_persons_time_zone(make_user, client_for, now):
    # Now is Wednesday 18 November 12:00 UTC; in Auckland it is already 01:00 on the 19th.
    kiwi = make_user("kiwi", timezone="Pacific/Auckland")
    # 5 November 11:30 UTC is 6 November 00:30 in Auckland: 14 local days ago, inclusive.
    oil = make_product(kiwi, "Argan oil")
    make_session(kiwi, datetime(2026, 11, 5, 11, 30, tzinfo=UTC), products=[oil])
    # 5 November 10:30 UTC is 5 November 23:30 there: 15 local days ago.
    balm = make_product(kiwi, "Shea balm")
    make_session(kiwi, datetime(2026, 11, 5, 10, 30, tzinfo=UTC), products=[balm])
    make_session(kiwi, now - timedelta(hours=1)).record_reaction(Reaction.IRRITATION)

    advice = breakout_advice(client_for(kiwi))

    assert "Argan oil" in advice
    assert "Shea balm" not in advice


# Recording a reaction


@pytest.mark.django_db
def test_a_one_tap_log_offers_the_reaction_with_nothing_chosen(user, user_client, now):
    routine = make_routine(user)

    response = user_client.post(reverse("tracker:log-routine", args=[routine.pk]), headers=HTMX)

    html = response.content.decode()
    session = MassageSession.objects.get()
    assert session.reaction == Reaction.NOT_RECORDED
    assert "How did your skin react?" in html
    assert reverse("tracker:session-reaction", args=[session.pk]) in html
    assert 'aria-pressed="true"' not in html
    assert html.count('name="reaction"') == 5


@pytest.mark.django_db
def test_one_more_tap_records_a_breakout_and_answers_with_the_advice_at_once(
    user, user_client, now
):
    rosehip = make_product(user, "Rosehip serum", patch_test=Product.PatchTest.NOT_DONE)
    session = make_session(user, now - timedelta(minutes=20), products=[rosehip])

    response = user_client.post(
        reverse("tracker:session-reaction", args=[session.pk]),
        {"reaction": "breakout"},
        headers=HTMX,
    )

    html = response.content.decode()
    session.refresh_from_db()
    assert session.reaction == Reaction.BREAKOUT
    assert session.reaction_noted_at == now
    assert "Recorded: breakout." in html
    assert "Rosehip serum" in html
    assert "Pause this product" in html
    assert 'href="/sources/#aad-patch-test"' in html
    assert "see a doctor" in html
    # Back to the page the person was on, not the reaction's address.
    assert 'name="next" value="/"' in html


@pytest.mark.django_db
def test_without_htmx_a_reaction_lands_on_the_dashboard_with_its_advice(user, user_client, now):
    session = make_session(user, now - timedelta(hours=1))

    response = user_client.post(
        reverse("tracker:session-reaction", args=[session.pk]), {"reaction": "bruising"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("tracker:dashboard")
    html = user_client.get(response["Location"]).content.decode()
    assert "Recorded: bruising." in html
    assert "Use lighter pressure next time" in html
    assert "Make this a rest week" in html


@pytest.mark.django_db
def test_a_breakout_days_later_can_be_added_from_the_history(user, user_client, now):
    session = make_session(user, now - timedelta(days=7))

    html = user_client.get(reverse("tracker:history")).content.decode()

    assert reverse("tracker:session-reaction", args=[session.pk]) in html
    assert "Skin: not recorded" in html


@pytest.mark.django_db
def test_a_session_older_than_seven_days_refuses_a_reaction(user, user_client, now):
    session = make_session(user, now - timedelta(days=8))

    response = user_client.post(
        reverse("tracker:session-reaction", args=[session.pk]),
        {"reaction": "breakout"},
        headers=HTMX,
    )

    session.refresh_from_db()
    assert session.reaction == Reaction.NOT_RECORDED
    assert "up to 7 days after a session" in response.content.decode()
    history = user_client.get(reverse("tracker:history")).content.decode()
    assert reverse("tracker:session-reaction", args=[session.pk]) not in history


@pytest.mark.django_db
def test_a_reaction_on_another_persons_session_is_a_404(other_user, user_client, now):
    theirs = make_session(other_user, now - timedelta(hours=1))

    response = user_client.post(
        reverse("tracker:session-reaction", args=[theirs.pk]), {"reaction": "breakout"}
    )

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.reaction == Reaction.NOT_RECORDED


@pytest.mark.django_db
def test_an_unknown_reaction_is_refused(user, user_client, now):
    session = make_session(user, now - timedelta(hours=1))

    for value in ("", "sunburn"):
        user_client.post(
            reverse("tracker:session-reaction", args=[session.pk]), {"reaction": value}
        )

    session.refresh_from_db()
    assert session.reaction == Reaction.NOT_RECORDED


@pytest.mark.django_db
def test_no_reaction_is_recorded_and_asks_for_no_advice(user, user_client, now):
    session = make_session(user, now - timedelta(hours=1))

    user_client.post(reverse("tracker:session-reaction", args=[session.pk]), {"reaction": "none"})

    session.refresh_from_db()
    assert session.reaction == Reaction.NONE
    assert session.reaction_noted_at is None
    assert 'id="advice-heading"' not in breakout_advice(user_client)


# Advice until the next session


@pytest.mark.django_db
def test_the_advice_stays_on_the_dashboard_until_the_next_session(user, user_client, monkeypatch):
    moment = freeze_time(monkeypatch)
    make_session(user, moment - timedelta(hours=3)).record_reaction(Reaction.REDNESS)
    assert "back to normal within 35 to 40" in breakout_advice(user_client)

    freeze_time(monkeypatch, moment + timedelta(days=1))
    assert "back to normal within 35 to 40" in breakout_advice(user_client)

    make_session(user, moment + timedelta(days=1))
    assert 'id="advice-heading"' not in breakout_advice(user_client)


@pytest.mark.django_db
def test_a_late_breakout_on_an_older_session_shows_although_a_session_came_between(
    user, user_client, monkeypatch
):
    moment = freeze_time(monkeypatch)
    older = make_session(user, moment - timedelta(days=3))
    make_session(user, moment - timedelta(days=1))
    freeze_time(monkeypatch, moment + timedelta(minutes=1))

    older.record_reaction(Reaction.BREAKOUT)

    assert 'id="advice-heading"' in breakout_advice(user_client)


@pytest.mark.django_db
def test_each_reaction_gets_its_own_advice_with_sources(user, user_client, now):
    expected = {
        "bruising": ("Use lighter pressure", "#nielsen-2007"),
        "irritation": ("A product may be the cause", "#aad-patch-test"),
        "breakout": ("pore-clogging", "#face-oils"),
        "redness": ("back to normal within 35 to 40", "#dubinskaya-2023"),
    }
    session = make_session(user, now - timedelta(hours=1))
    for reaction, (text, anchor) in expected.items():
        html = user_client.post(
            reverse("tracker:session-reaction", args=[session.pk]),
            {"reaction": reaction},
            headers=HTMX,
        ).content.decode()
        assert text in html, reaction
        assert f'href="/sources/{anchor}"' in html, reaction
        assert "lasts more than a day" in html


# Data: the field allows "not recorded" and keeps what was there


@pytest.mark.django_db
def test_a_session_logged_by_the_form_without_a_reaction_says_not_recorded(user, user_client, now):
    user_client.post(
        reverse("tracker:session-new"),
        {"performed_at": "2026-11-18T10:00", "minutes": "10", "pressure": "gentle"},
    )

    session = MassageSession.objects.get()
    assert session.reaction == Reaction.NOT_RECORDED
    assert session.get_reaction_display() == "Not recorded"


@pytest.mark.django_db
def test_a_reaction_chosen_in_the_full_form_is_noted_for_advice(user, user_client, now):
    user_client.post(
        reverse("tracker:session-new"),
        {
            "performed_at": "2026-11-18T10:00",
            "minutes": "10",
            "pressure": "gentle",
            "reaction": "irritation",
        },
    )

    assert MassageSession.objects.get().reaction_noted_at == now
    assert 'id="advice-heading"' in breakout_advice(user_client)


@pytest.mark.django_db
def test_the_guided_sessions_end_screen_logs_in_place_and_offers_the_reaction(
    user, user_client, now
):
    routine = make_routine(user)
    guide = user_client.get(reverse("tracker:routine-guide", args=[routine.pk])).content.decode()
    assert 'hx-target="#log-status"' in guide
    assert '<div id="log-status"' in guide

    response = user_client.post(
        reverse("tracker:log-routine", args=[routine.pk]),
        headers={**HTMX, "HX-Target": "log-status"},
    )

    assert "How did your skin react?" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 60])
def test_recording_a_breakout_costs_the_same_queries_however_long_the_history(
    user, user_client, now, django_assert_num_queries, count: int
):
    products = [make_product(user, f"Oil {n}") for n in range(3)]
    for hours in range(count):
        make_session(user, now - timedelta(hours=hours + 1), products=products)
    session = MassageSession.objects.for_user(user).newest_first().first()

    # Session, user, profile; the session; its update; the products first used lately.
    with django_assert_num_queries(6):
        response = user_client.post(
            reverse("tracker:session-reaction", args=[session.pk]),
            {"reaction": "breakout"},
            headers=HTMX,
        )

    assert response.content.decode().count("Pause this product") == 3
