"""Tools and products: where a patch test stands, and how they read."""

from datetime import date, timedelta

import pytest

from tests.factories import make_product, make_tool
from tracker.models import Product

TODAY = date(2026, 11, 23)
PT = Product.PatchTest


@pytest.mark.parametrize(
    ("status", "started", "expected"),
    [
        (PT.NOT_DONE, None, "Not done yet"),
        (PT.PENDING, None, "Not done yet"),
        (PT.PENDING, TODAY, "Day 1 of 7 to 10 on your inner arm"),
        (PT.PENDING, date(2026, 11, 14), "Day 10 of 7 to 10 on your inner arm"),
        (PT.PENDING, date(2026, 11, 13), "Done? Watch 48 hours, then mark it passed or reacted"),
        (PT.PASSED, date(2026, 11, 1), "Passed"),
        (PT.REACTED, date(2026, 11, 1), "Reacted: stop using it"),
    ],
)
def test_the_patch_test_progress_says_where_it_stands(status, started, expected):
    product = Product(name="Rosehip oil", patch_test=status, patch_test_started_on=started)
    assert product.patch_test_progress(TODAY) == expected


@pytest.mark.parametrize(
    ("patch_test", "needed"),
    [
        (PT.NOT_DONE, True),
        (PT.PENDING, True),
        (PT.REACTED, True),
        (PT.PASSED, False),
    ],
)
def test_only_a_passed_patch_test_clears_a_product_for_the_face(
    user, patch_test: str, needed: bool
):
    assert make_product(user, patch_test=patch_test).needs_patch_test is needed


def test_tools_and_products_read_as_their_names(user):
    tool = make_tool(user, "Gua sha stone")
    product = make_product(user, "Rosehip oil")

    assert str(tool) == "Gua sha stone"
    assert str(product) == "Rosehip oil"


# Care: a patch test started in one tap, a pause


def test_a_patch_test_starts_today_once_and_a_passed_one_stays_passed(user):
    fresh = make_product(user, "Serum", patch_test=PT.NOT_DONE)
    passed = make_product(user, "Jojoba oil")

    fresh.start_patch_test(TODAY)
    fresh.start_patch_test(TODAY + timedelta(days=2))
    passed.start_patch_test(TODAY)

    fresh.refresh_from_db()
    passed.refresh_from_db()
    assert (fresh.patch_test, fresh.patch_test_started_on) == (PT.PENDING, TODAY)
    assert (passed.patch_test, passed.patch_test_started_on) == (PT.PASSED, None)


def test_pausing_twice_keeps_the_first_day_and_resuming_clears_it(user):
    product = make_product(user, "Rosehip serum")

    product.pause(TODAY)
    product.pause(TODAY + timedelta(days=1))
    assert Product.objects.get().paused_on == TODAY

    product.resume()
    assert Product.objects.get().paused_on is None


@pytest.mark.parametrize(
    ("patch_test", "paused", "caution"),
    [
        (PT.REACTED, True, "Stop using it"),
        (PT.PASSED, True, "Paused"),
        (PT.NOT_DONE, False, "Not patch-tested"),
        (PT.PASSED, False, ""),
    ],
)
def test_a_product_says_what_to_know_before_using_it(user, patch_test, paused, caution):
    product = make_product(user, patch_test=patch_test, paused_on=TODAY if paused else None)

    assert product.caution == caution
