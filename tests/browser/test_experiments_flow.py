"""Issue 13's story in a real browser: mark the eyes on a photo, start an experiment, log
sessions in it, end it and read the comparison with its photo pair lined up."""

import re
import threading
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.test_accessibility import audit
from tests.browser.test_photos_flow import assert_images_loaded
from tests.factories import make_marked_photo, make_photo, make_session
from tracker.alignment import ALIGNED_SIZE
from tracker.models import Experiment, MassageSession, Routine


def test_an_experiment_is_started_followed_ended_and_compared_with_its_photos_aligned(
    logged_in_phone_page: Page,
    browser_user: User,
    routine: Routine,
    between_requests: threading.Lock,
) -> None:
    page = logged_in_phone_page
    profile = browser_user.profile
    today = profile.today()
    start = today - timedelta(days=14)
    now = MassageSession._meta.get_field("performed_at").default()
    # The weeks before: two sessions a week.
    for days_ago in range(16, 60, 3):
        make_session(browser_user, now - timedelta(days=days_ago), reaction="none", rating=3)
    make_marked_photo(
        browser_user, taken_at=now - timedelta(days=15), size=(480, 640), colour="peachpuff"
    )
    later = make_photo(browser_user, now - timedelta(days=2), size=(480, 640))

    # The eyes of the later photo, marked with two taps and a nudge of the keyboard.
    page.goto(reverse("tracker:photo-edit", args=[later.pk]))
    image = page.locator("[data-eyes-image]")
    expect(image).to_be_visible()
    box = image.bounding_box()
    image.click(position={"x": box["width"] * 0.3, "y": box["height"] * 0.4})
    expect(page.locator("[data-eyes-status]")).to_have_text("Now tap the other eye.")
    image.click(position={"x": box["width"] * 0.7, "y": box["height"] * 0.42})
    second = page.locator('[data-eye="second"]')
    expect(second).to_be_visible()
    second.focus()
    page.keyboard.press("ArrowUp")
    expect(page.get_by_label("Second eye, pixels from the top")).not_to_have_value("")
    page.get_by_role("button", name="Save the eye marks").click()
    expect(page.locator(".messages")).to_contain_text("Eyes marked")
    with between_requests:
        later.refresh_from_db()
        assert later.eyes is not None
        assert later.eyes.left[0] == pytest.approx(480 * 0.3, abs=3)

    # Start it two weeks ago: a new technique, with front photos.
    page.goto(reverse("tracker:insights"))
    page.get_by_role("link", name="change one thing at a time in an experiment").click()
    page.get_by_label("A new technique").check()
    page.get_by_role("combobox", name="Technique").select_option("gua_sha")
    page.get_by_label("First day").fill(start.isoformat())
    page.get_by_label("Photos to compare (optional)").select_option("front")
    page.get_by_role("button", name="Start the experiment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Experiment: Gua sha scraping")
    expect(page.get_by_test_id("experiment-week")).to_have_text("Week 3 of 6")

    # A second one is refused, with the reason.
    page.goto(reverse("tracker:experiments"))
    page.get_by_label("A new number of sessions a week").check()
    page.get_by_role("spinbutton", name="New number of sessions a week").fill("4")
    page.get_by_role("button", name="Start the experiment").click()
    expect(page.locator(".form-errors")).to_contain_text("Two changes at once cannot be told apart")

    # Log two sessions with one tap: the dashboard reminds to keep everything else the same.
    page.goto(reverse("tracker:dashboard"))
    expect(page.get_by_test_id("experiment-week")).to_have_text(re.compile("^Week 3 of 6"))
    expect(page.locator(".experiment-card")).to_contain_text("Keep everything else the same")
    button = page.get_by_role("button", name=re.compile(re.escape(routine.name)))
    for expected in ("Logged", "Logged"):
        button.click()
        expect(page.locator("#log-status")).to_contain_text(expected)
        page.wait_for_timeout(200)
    with between_requests:
        assert MassageSession.objects.filter(owner=browser_user, local_date=today).count() == 2

    # End it today and read the comparison, the photo pair lined up by the eyes.
    page.get_by_role("link", name="See the experiment").click()
    expect(page.get_by_label("Last day of the experiment")).to_have_value(today.isoformat())
    page.get_by_role("button", name="End the experiment").click()
    expect(
        page.get_by_role("heading", name="How it compares with the weeks before")
    ).to_be_visible()
    table = page.locator(".comparison-table")
    expect(table.locator("tbody tr")).to_have_count(4)
    expect(table.locator('[data-measure="per_week"]')).to_contain_text(
        "0.9 a week over 2 weeks and 1 day"
    )
    expect(page.get_by_text("Lined up by the eyes you marked")).to_be_visible()
    pair = page.locator(".compare-pair img")
    assert_images_loaded(pair)
    for index in range(2):
        assert pair.nth(index).evaluate("(img) => img.naturalWidth") == ALIGNED_SIZE[0]
        assert "/aligned/" in pair.nth(index).get_attribute("src")
    wipe = page.locator("[data-wipe]")
    expect(wipe).to_be_visible()
    assert_images_loaded(wipe.locator("img"))
    with between_requests:
        assert Experiment.objects.get(owner=browser_user).ended_on == today

    page.goto(reverse("tracker:experiments"))
    expect(page.locator("#ended-heading + ul")).to_contain_text("Gua sha scraping")


@pytest.mark.parametrize("phone", [True, False], ids=["360px", "1280px"])
def test_the_insights_and_experiment_pages_have_no_serious_accessibility_violations(
    new_page, log_in, browser_user, history, phone
):
    page = log_in(new_page(phone=phone), browser_user)
    today = browser_user.profile.today()
    now = MassageSession._meta.get_field("performed_at").default()
    make_marked_photo(browser_user, taken_at=now - timedelta(days=30), size=(480, 640))
    make_marked_photo(browser_user, taken_at=now - timedelta(days=3), size=(480, 640))
    ended = Experiment.objects.start(
        browser_user,
        today,
        change="technique",
        technique="rolling",
        angle="front",
        started_on=today - timedelta(days=28),
        weeks=4,
    )
    ended.end(today - timedelta(days=1))
    running = Experiment.objects.start(
        browser_user, today, change="frequency", sessions_per_week=3, started_on=today
    )
    urls = [
        reverse("tracker:insights"),
        reverse("tracker:experiments"),
        reverse("tracker:experiment-detail", args=[ended.pk]),
        reverse("tracker:experiment-detail", args=[running.pk]),
        reverse("tracker:dashboard"),
    ]
    problems = [problem for url in urls for problem in audit(page, url)]
    assert not problems, "\n".join(problems)
