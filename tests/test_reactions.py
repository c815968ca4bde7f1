"""Which products count as "first used in the last 14 days" after a reaction: pure, then
through the database (the person's time zone, a product used long ago and again now)."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.factories import make_product, make_session
from tracker.models import Product, Reaction
from tracker.reactions import current_advice, first_used_recently

AUCKLAND = ZoneInfo("Pacific/Auckland")
LOS_ANGELES = ZoneInfo("America/Los_Angeles")


# Pure


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


@pytest.mark.django_db
def test_a_product_used_once_long_ago_and_again_now_is_not_new(user, now):
    old_friend = make_product(user, "Jojoba oil")
    newcomer = make_product(user, "Rosehip serum", patch_test=Product.PatchTest.NOT_DONE)
    make_session(user, now - timedelta(days=60), products=[old_friend])
    session = make_session(user, now - timedelta(hours=2), products=[old_friend, newcomer])
    session.record_reaction(Reaction.BREAKOUT)

    advice = current_advice(user, user.profile)

    assert [product.name for product in advice.products] == ["Rosehip serum"]


@pytest.mark.django_db
def test_first_use_is_counted_in_the_persons_time_zone(make_user, now):
    # Now is Wednesday 18 November 12:00 UTC; in Auckland it is already 01:00 on the 19th.
    kiwi = make_user("kiwi", timezone="Pacific/Auckland")
    # 5 November 11:30 UTC is 6 November 00:30 in Auckland: 14 local days ago, inclusive.
    oil = make_product(kiwi, "Argan oil")
    make_session(kiwi, datetime(2026, 11, 5, 11, 30, tzinfo=UTC), products=[oil])
    # 5 November 10:30 UTC is 5 November 23:30 there: 15 local days ago.
    balm = make_product(kiwi, "Shea balm")
    make_session(kiwi, datetime(2026, 11, 5, 10, 30, tzinfo=UTC), products=[balm])
    make_session(kiwi, now - timedelta(hours=1)).record_reaction(Reaction.IRRITATION)

    advice = current_advice(kiwi, kiwi.profile)

    assert [product.name for product in advice.products] == ["Argan oil"]
