"""Tools and products: where a patch test stands, and how they read."""

from datetime import date

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
        (PT.REACTED, date(2026, 11, 1), "Reacted: keep it off your face"),
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
