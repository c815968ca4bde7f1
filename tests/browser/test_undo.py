"""Undo in a real browser: every kind of deletion offers it at the foot of the screen, for
30 seconds, and brings back what was there without a reload."""

import re
import threading
from datetime import timedelta

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.test_accessibility import audit
from tracker.models import MassageSession, RestWeek, Routine


def undo_area(page: Page):
    return page.locator("#undo-area")


def mark_page(page: Page) -> None:
    page.evaluate("window.__marker = 1")


def assert_not_reloaded(page: Page) -> None:
    assert page.evaluate("window.__marker") == 1, "the page was reloaded"


def test_a_deleted_session_comes_back_in_the_history(
    logged_in_phone_page: Page, history: list[MassageSession], between_requests: threading.Lock
) -> None:
    page = logged_in_phone_page
    session = history[0]
    page.goto(reverse("tracker:history"))
    mark_page(page)
    row = page.locator(f"#session-{session.pk}")

    row.get_by_role("button", name=re.compile("^Delete")).tap()
    expect(row).to_have_count(0)
    expect(undo_area(page)).to_contain_text("Deleted the session of")
    # The bar sits over the page without moving it, and leaves the page usable.
    box = undo_area(page).bounding_box()
    assert box["y"] + box["height"] <= page.viewport_size["height"]
    undo_area(page).get_by_role("button", name="Undo").tap()

    expect(row).to_have_count(1)
    expect(undo_area(page)).to_contain_text("Restored 1 session.")
    assert_not_reloaded(page)
    with between_requests:
        assert MassageSession.objects.filter(pk=session.pk).exists()


def test_the_undo_goes_away_after_30_seconds(
    logged_in_phone_page: Page, history: list[MassageSession]
) -> None:
    page = logged_in_phone_page
    page.clock.install()
    page.goto(reverse("tracker:history"))
    page.locator(f"#session-{history[0].pk}").get_by_role(
        "button", name=re.compile("^Delete")
    ).tap()
    expect(undo_area(page).get_by_role("button", name="Undo")).to_be_visible()

    page.clock.run_for(30_000)

    expect(undo_area(page).get_by_role("button", name="Undo")).to_have_count(0)


def test_a_removed_step_comes_back_in_its_place(
    logged_in_phone_page: Page, routine: Routine
) -> None:
    page = logged_in_phone_page
    page.goto(reverse("tracker:routine-detail", args=[routine.pk]))
    steps = page.locator("#steps li.step")
    names = steps.all_inner_texts()

    page.get_by_role("button", name="Remove step 2").tap()
    expect(steps).to_have_count(len(names) - 1)
    expect(undo_area(page)).to_contain_text("Removed step 2")
    undo_area(page).get_by_role("button", name="Undo").tap()

    expect(steps).to_have_count(len(names))
    assert steps.all_inner_texts() == names


def test_a_step_is_edited_in_place(logged_in_phone_page: Page, routine: Routine) -> None:
    page = logged_in_phone_page
    page.goto(reverse("tracker:routine-detail", args=[routine.pk]))
    mark_page(page)
    first = routine.steps.first()
    row = page.locator(f"#step-{first.pk}")

    row.get_by_role("link", name="Edit step 1").tap()
    row.get_by_label("Seconds").fill("75")
    row.get_by_role("button", name="Save step").tap()
    expect(row).to_contain_text("75 s")
    expect(row.get_by_role("button", name="Save step")).to_have_count(0)

    row.get_by_role("link", name="Edit step 1").tap()
    row.get_by_role("link", name="Cancel").tap()
    expect(row.get_by_role("link", name="Edit step 1")).to_be_visible()
    assert_not_reloaded(page)


def test_make_this_a_rest_week_is_undone_in_place(
    logged_in_phone_page: Page, browser_user: User, between_requests: threading.Lock
) -> None:
    # A person with a history: a first visit offers no rest week.
    MassageSession.objects.log(
        browser_user, performed_at=timezone.now() - timedelta(days=14), minutes=10
    )
    page = logged_in_phone_page
    page.goto(reverse("tracker:dashboard"))
    mark_page(page)
    state = page.locator(".week-card .state-label")
    before = state.inner_text()

    page.get_by_role("button", name="Make this a rest week").tap()
    expect(state).to_have_text("Rest week")
    expect(undo_area(page)).to_contain_text("is a rest week.")
    undo_area(page).get_by_role("button", name="Undo").tap()

    expect(state).to_have_text(before)
    expect(undo_area(page)).to_contain_text("counts again")
    assert_not_reloaded(page)
    with between_requests:
        assert not RestWeek.objects.filter(owner=browser_user).exists()


def test_a_removed_rest_week_comes_back_in_the_settings(
    logged_in_phone_page: Page, browser_user: User
) -> None:
    page = logged_in_phone_page
    RestWeek.objects.mark(browser_user, timezone.localdate() - timedelta(weeks=3), "Laser")
    page.goto(reverse("tracker:profile"))
    listed = page.locator("#rest-weeks li")
    expect(listed).to_have_count(1)

    page.get_by_role("button", name=re.compile("^Remove the rest week")).tap()
    expect(listed).to_have_count(0)
    undo_area(page).get_by_role("button", name="Undo").tap()

    expect(listed).to_have_count(1)
    expect(listed).to_contain_text("Laser")


def test_a_loop_import_is_undone_from_the_page_it_lands_on(
    logged_in_phone_page: Page, browser_user: User, between_requests: threading.Lock
) -> None:
    page = logged_in_phone_page
    day = timezone.localdate() - timedelta(days=3)
    csv = f"Date,Value\n{day:%Y-%m-%d},2\n{day - timedelta(days=2):%Y-%m-%d},2\n".encode()
    page.goto(reverse("tracker:data-import-loop"))
    page.locator("input[type=file]").set_input_files(
        {"name": "Checkmarks.csv", "mimeType": "text/csv", "buffer": csv}
    )
    page.locator("form[enctype] button[type=submit]").tap()

    expect(undo_area(page)).to_contain_text("Imported 2 sessions from Loop.")
    undo_area(page).get_by_role("button", name="Undo").tap()
    expect(undo_area(page)).to_contain_text("Removed the 2 sessions just imported.")
    with between_requests:
        assert not MassageSession.objects.filter(owner=browser_user).exists()
    undo_area(page).get_by_role("button", name="Undo").tap()
    expect(undo_area(page)).to_contain_text("Restored 2 sessions.")
    with between_requests:
        assert MassageSession.objects.filter(owner=browser_user).count() == 2


def test_the_undo_bar_and_the_step_edit_page_have_no_serious_accessibility_violations(
    logged_in_phone_page: Page, routine: Routine, history: list[MassageSession]
) -> None:
    page = logged_in_phone_page
    page.goto(reverse("tracker:history"))
    page.locator(f"#session-{history[0].pk}").get_by_role(
        "button", name=re.compile("^Delete")
    ).tap()
    expect(undo_area(page).get_by_role("button", name="Undo")).to_be_visible()
    from tests.browser.test_accessibility import blocking_violations

    problems = blocking_violations(page)
    problems += audit(page, reverse("tracker:step-edit", args=[routine.steps.first().pk]))
    assert not problems, "\n".join(problems)
