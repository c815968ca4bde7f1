"""Products that need care: warned about as they are chosen, a patch test started in one tap,
paused once however often, and "Stop using it" with an explicit confirmation."""

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse

from tests.factories import freeze_time, make_product, make_routine, make_session
from tracker.models import MassageSession, Product, Routine

pytestmark = pytest.mark.django_db

PT = Product.PatchTest
TODAY = date(2026, 11, 18)


@pytest.fixture
def now(monkeypatch: pytest.MonkeyPatch) -> datetime:
    return freeze_time(monkeypatch)


def session_form(client) -> str:
    return client.get(reverse("tracker:session-new")).content.decode()


# Warned when chosen


def test_the_log_form_carries_a_warning_beside_a_product_without_a_passed_patch_test(
    user, user_client, now
):
    untested = make_product(user, "Rosehip serum", patch_test=PT.NOT_DONE)
    make_product(user, "Jojoba oil")

    html = session_form(user_client)

    warning = html[html.index(f'id="patch-warning-{untested.pk}"') :]
    assert warning.index("Rosehip serum has not passed a patch test") < 400
    assert f'formaction="{reverse("tracker:patch-test-start", args=[untested.pk])}"' in html
    assert html.count('class="choice-warning') == 1


def test_the_routine_editor_warns_in_the_same_way(user, user_client, now):
    untested = make_product(user, "Rosehip serum", patch_test=PT.NOT_DONE)
    routine = make_routine(user)

    for url in (
        reverse("tracker:routine-detail", args=[routine.pk]),
        reverse("tracker:routine-new"),
    ):
        html = user_client.get(url).content.decode()
        assert f'id="patch-warning-{untested.pk}"' in html
        assert "Start the patch test today" in html


def test_a_patch_test_under_way_says_so_instead_of_offering_to_start(user, user_client, now):
    make_product(user, "Rosehip serum", patch_test=PT.PENDING, patch_test_started_on=TODAY)

    html = session_form(user_client)

    assert "under way since 18 Nov" in html
    assert "Start the patch test today" not in html


# Start the patch test today


def test_one_tap_starts_the_patch_test_today(user, user_client, now):
    product = make_product(user, "Rosehip serum", patch_test=PT.NOT_DONE)

    response = user_client.post(
        reverse("tracker:patch-test-start", args=[product.pk]), {"next": "/sessions/new/"}
    )

    product.refresh_from_db()
    assert (product.patch_test, product.patch_test_started_on) == (PT.PENDING, TODAY)
    assert response.status_code == 302
    assert response["Location"] == "/sessions/new/"


def test_from_the_log_form_with_htmx_the_warning_turns_into_the_countdown(user, user_client, now):
    product = make_product(user, "Rosehip serum", patch_test=PT.NOT_DONE)

    response = user_client.post(
        reverse("tracker:patch-test-start", args=[product.pk]),
        {"minutes": "10", "products": [product.pk]},
        headers={"HX-Request": "true"},
    )

    html = response.content.decode()
    assert f'id="patch-warning-{product.pk}"' in html
    assert "under way since 18 Nov" in html
    assert not MassageSession.objects.exists()


def test_starting_again_keeps_the_first_start_and_a_passed_test_stays_passed(
    user, user_client, monkeypatch
):
    freeze_time(monkeypatch)
    running = make_product(user, "Serum", patch_test=PT.PENDING, patch_test_started_on=TODAY)
    passed = make_product(user, "Jojoba oil")
    freeze_time(monkeypatch, datetime.fromisoformat("2026-11-20T12:00:00+00:00"))

    for product in (running, passed):
        user_client.post(reverse("tracker:patch-test-start", args=[product.pk]))

    running.refresh_from_db()
    passed.refresh_from_db()
    assert running.patch_test_started_on == TODAY
    assert passed.patch_test == PT.PASSED


def test_a_next_address_elsewhere_is_not_followed(user, user_client, now):
    product = make_product(user, "Serum", patch_test=PT.NOT_DONE)

    response = user_client.post(
        reverse("tracker:patch-test-start", args=[product.pk]),
        {"next": "https://evil.example/"},
    )

    assert response["Location"] == reverse("tracker:gear")


def test_another_persons_product_cannot_be_started_or_paused(other_user, user_client, now):
    theirs = make_product(other_user, "Their serum", patch_test=PT.NOT_DONE)

    for name in ("patch-test-start", "product-pause", "product-resume"):
        assert user_client.post(reverse(f"tracker:{name}", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.patch_test == PT.NOT_DONE
    assert theirs.paused_on is None


# Pause


def test_pausing_twice_stays_paused_once_from_the_first_day(user, user_client, monkeypatch):
    freeze_time(monkeypatch)
    product = make_product(user, "Rosehip serum")
    url = reverse("tracker:product-pause", args=[product.pk])

    user_client.post(url)
    freeze_time(monkeypatch, datetime.fromisoformat("2026-11-19T12:00:00+00:00"))
    user_client.post(url)

    product.refresh_from_db()
    assert product.paused_on == TODAY
    assert Product.objects.filter(paused_on__isnull=False).count() == 1


def test_a_paused_product_is_left_out_of_one_tap_logs_until_it_is_used_again(
    user, user_client, now
):
    jojoba = make_product(user, "Jojoba oil")
    rosehip = make_product(user, "Rosehip serum")
    routine = make_routine(user, products=[jojoba, rosehip])
    user_client.post(reverse("tracker:product-pause", args=[rosehip.pk]))

    user_client.post(reverse("tracker:log-routine", args=[routine.pk]))
    user_client.post(reverse("tracker:product-resume", args=[rosehip.pk]))
    user_client.post(reverse("tracker:log-routine", args=[routine.pk]))

    first, second = MassageSession.objects.order_by("pk")
    assert list(first.products.all()) == [jojoba]
    assert set(second.products.all()) == {jojoba, rosehip}


def test_the_gear_page_offers_pause_and_says_paused(user, user_client, now):
    product = make_product(user, "Rosehip serum")
    user_client.post(reverse("tracker:product-pause", args=[product.pk]))

    html = user_client.get(reverse("tracker:gear")).content.decode()

    assert "Paused since 18 Nov" in html
    assert reverse("tracker:product-resume", args=[product.pk]) in html


# A product that reacted


def test_a_product_that_reacted_says_stop_using_it_everywhere(user, user_client, now):
    reacted = make_product(user, "Coconut oil", patch_test=PT.REACTED)
    session = make_session(user, now - timedelta(hours=1), products=[reacted])
    pages = {
        "gear": reverse("tracker:gear"),
        "history": reverse("tracker:history"),
        "detail": reverse("tracker:session-detail", args=[session.pk]),
        "log form": reverse("tracker:session-new"),
        "dashboard": reverse("tracker:dashboard"),
    }

    for name, url in pages.items():
        html = user_client.get(url).content.decode()
        assert "stop using it" in html.lower(), name


def test_adding_a_product_that_reacted_to_a_session_needs_a_confirmation(user, user_client, now):
    reacted = make_product(user, "Coconut oil", patch_test=PT.REACTED)
    fields = {"performed_at": "2026-11-18T10:00", "minutes": "10", "pressure": "gentle"}

    refused = user_client.post(reverse("tracker:session-new"), {**fields, "products": [reacted.pk]})

    assert refused.status_code == 200
    assert "“Coconut oil” reacted on your skin: stop using it" in refused.content.decode()
    assert not MassageSession.objects.exists()

    user_client.post(
        reverse("tracker:session-new"), {**fields, "products": [reacted.pk], "add_reacted": "on"}
    )
    assert list(MassageSession.objects.get().products.all()) == [reacted]


def test_adding_a_product_that_reacted_to_a_routine_needs_a_confirmation(user, user_client, now):
    reacted = make_product(user, "Coconut oil", patch_test=PT.REACTED)
    routine = make_routine(user)
    url = reverse("tracker:routine-detail", args=[routine.pk])

    refused = user_client.post(url, {"name": "Evening", "products": [reacted.pk]})
    assert "reacted on your skin" in refused.content.decode()
    assert not routine.products.exists()

    user_client.post(url, {"name": "Evening", "products": [reacted.pk], "add_reacted": "on"})
    assert list(routine.products.all()) == [reacted]

    # Already in the routine: saving its name again asks for nothing.
    response = user_client.post(url, {"name": "Evening two", "products": [reacted.pk]})
    assert response.status_code == 302
    assert Routine.objects.get(pk=routine.pk).name == "Evening two"


def test_a_new_routine_with_a_reacted_product_needs_the_confirmation_too(user, user_client, now):
    reacted = make_product(user, "Coconut oil", patch_test=PT.REACTED)

    response = user_client.post(
        reverse("tracker:routine-new"), {"name": "Oily", "products": [reacted.pk]}
    )

    assert response.status_code == 200
    assert not Routine.objects.exists()
