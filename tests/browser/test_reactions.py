"""Issue 12's story in a real browser: a product without a passed patch test is warned about as
it is chosen, a one-tap log, a breakout one tap later, advice naming the new product, a pause,
and the Sources page one link away."""

import re
import threading
from datetime import timedelta

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.test_accessibility import blocking_violations
from tests.factories import make_session
from tracker.models import MassageSession, Product, Reaction, Routine


def test_a_breakout_after_a_new_product_leads_to_pausing_it_and_to_the_sources(
    logged_in_phone_page: Page,
    browser_user: User,
    routine: Routine,
    between_requests: threading.Lock,
) -> None:
    page = logged_in_phone_page
    serum = Product.objects.create(owner=browser_user, name="Rosehip serum")
    warning = page.locator(f"#patch-warning-{serum.pk}")

    page.goto(reverse("tracker:routine-detail", args=[routine.pk]))
    expect(warning).to_be_hidden()
    page.get_by_label("Rosehip serum").check()
    expect(warning).to_be_visible()
    expect(warning).to_contain_text("Rosehip serum has not passed a patch test")
    page.get_by_role("button", name="Save", exact=True).tap()

    page.get_by_role("link", name="Today").tap()
    page.get_by_role("button", name=re.compile(re.escape(routine.name))).tap()
    status = page.locator("#log-status")
    expect(status).to_contain_text("Logged")
    expect(status.get_by_role("button", name="Breakout")).to_have_attribute("aria-pressed", "false")

    status.get_by_role("button", name="Breakout").tap()
    expect(status).to_contain_text("Recorded: breakout.")
    expect(status.locator(".advice-products")).to_contain_text("Rosehip serum")
    with between_requests:
        assert MassageSession.objects.get(owner=browser_user).reaction == Reaction.BREAKOUT
    assert blocking_violations(page) == []

    status.get_by_role("button", name=re.compile(r"^Pause this product\W+Rosehip serum")).tap()
    advice = page.locator(".advice-card")
    expect(advice).to_contain_text("Paused since")
    with between_requests:
        serum.refresh_from_db()
        assert serum.paused_on is not None
    assert blocking_violations(page) == []

    advice.get_by_role("link", name="AAD patch test").tap()
    expect(page).to_have_url(re.compile(re.escape(reverse("tracker:sources")) + "#aad-patch-test$"))
    expect(page.get_by_role("heading", name="AAD patch test")).to_be_visible()


def test_the_patch_test_starts_from_the_log_form_without_leaving_it(
    logged_in_page: Page, browser_user: User, between_requests: threading.Lock
) -> None:
    page = logged_in_page
    serum = Product.objects.create(owner=browser_user, name="Argan serum")

    page.goto(reverse("tracker:session-new"))
    page.locator("summary", has_text="Products").click()
    page.get_by_label("Minutes").fill("12")
    page.get_by_label("Argan serum").check()
    warning = page.locator(f"#patch-warning-{serum.pk}")
    warning.get_by_role("button", name=re.compile("^Start the patch test today")).click()

    expect(warning).to_contain_text("under way since")
    expect(page.get_by_label("Minutes")).to_have_value("12")
    with between_requests:
        serum.refresh_from_db()
        assert serum.patch_test == Product.PatchTest.PENDING
        assert not MassageSession.objects.exists()


def test_choosing_firm_pressure_shows_the_bruising_caution_at_once(logged_in_page: Page) -> None:
    page = logged_in_page
    page.goto(reverse("tracker:session-new"))
    caution = page.locator(".firm-caution")

    expect(caution).to_be_hidden()
    page.get_by_label("Firm").check()
    expect(caution).to_be_visible()
    expect(caution).to_contain_text("Firm pressure can bruise")
    page.get_by_label("Gentle").check()
    expect(caution).to_be_hidden()


def test_a_reaction_days_later_is_noted_from_the_history_row(
    logged_in_phone_page: Page, browser_user: User, between_requests: threading.Lock
) -> None:
    with between_requests:
        session = make_session(browser_user, timezone.now() - timedelta(days=2))
    page = logged_in_phone_page
    page.goto(reverse("tracker:history"))
    row = page.locator(f"#session-{session.pk}")
    # The buttons are not in the page until the row's reaction is opened.
    expect(row.get_by_role("button", name="Breakout")).to_have_count(0)

    row.locator("summary", has_text="Skin: not recorded").tap()
    row.get_by_role("button", name="Breakout").tap()

    expect(row).to_contain_text("Recorded: breakout.")
    with between_requests:
        session.refresh_from_db()
        assert session.reaction == Reaction.BREAKOUT
    assert blocking_violations(page) == []
