"""A guided session in a real browser: step by step with a countdown, then one tap to log it."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.test_accessibility import audit


def test_a_routine_is_done_step_by_step_and_logged_at_the_end(logged_in_phone_page, routine):
    page = logged_in_phone_page
    steps = list(routine.steps.all())
    page.goto(reverse("tracker:routine-guide", kwargs={"pk": routine.pk}))

    expect(page.locator("[data-guide-position]")).to_have_text(f"Step 1 of {len(steps)}")
    expect(page.locator("[data-guide-clock]")).to_have_text("1:00")
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_role("button", name="Pause")).to_be_visible()
    # The countdown runs: a second later the clock has moved.
    expect(page.locator("[data-guide-clock]")).not_to_have_text("1:00", timeout=3_000)
    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_role("button", name="Resume")).to_be_visible()

    for number in range(2, len(steps) + 1):
        page.get_by_role("button", name="Next step").click()
        expect(page.locator("[data-guide-position]")).to_have_text(f"Step {number} of {len(steps)}")
    page.get_by_role("button", name="Next step").click()

    log = page.get_by_role("button", name="Log this session")
    expect(log).to_be_focused()
    log.click()
    # The end screen logs in place, then asks one more tap: how did the skin react?
    status = page.locator("#log-status")
    expect(status).to_contain_text("Logged")
    status.get_by_role("button", name="No reaction").click()
    expect(status).to_contain_text("Recorded: no reaction.")
    page.get_by_role("link", name="Today").click()
    expect(page).to_have_url(re.compile(r"^https?://[^/]+/$"))
    expect(page.locator("[data-testid=week-count]")).to_have_text("1")


def test_the_guide_has_no_serious_accessibility_violations(logged_in_page, routine):
    problems = audit(logged_in_page, reverse("tracker:routine-guide", kwargs={"pk": routine.pk}))
    assert not problems, "\n".join(problems)
