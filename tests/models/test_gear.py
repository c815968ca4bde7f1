from datetime import date

import pytest

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


def test_the_tools_page_shows_the_day_of_a_running_patch_test(user, user_client):
    from django.urls import reverse

    today = user.profile.today()
    Product.objects.create(
        owner=user, name="Rosehip oil", patch_test=PT.PENDING, patch_test_started_on=today
    )
    page = user_client.get(reverse("tracker:gear")).content.decode()
    assert "Day 1 of 7 to 10 on your inner arm" in page
