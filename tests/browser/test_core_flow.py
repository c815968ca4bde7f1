"""Issue 2's story in a real browser: sign up, log with one tap, edit, delete, no reloads."""

import contextlib
import re
import threading
from collections.abc import Callable

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import APIResponse, Locator, Page, Route, expect
from playwright.sync_api import Error as PlaywrightError

from tests.browser.conftest import TIMEZONE
from tests.browser.test_accessibility import LOGGED_OUT_PAGES
from tracker.models import MassageSession, Routine

NEW_PASSWORD = "a long enough passphrase 42"


def mark_page(page: Page) -> None:
    """Leave a mark on the window: it survives htmx swaps but not a reload."""
    page.evaluate("window.__marker = 1")


def assert_not_reloaded(page: Page) -> None:
    assert page.evaluate("window.__marker") == 1, "the page was reloaded"


def week_count(page: Page) -> Locator:
    return page.get_by_test_id("week-count")


def wait_until(page: Page, condition: Callable[[], bool], what: str) -> None:
    """Let the browser (and our route handlers) run until `condition` holds."""
    for _ in range(100):
        if condition():
            return
        page.wait_for_timeout(20)
    raise AssertionError(f"timed out waiting until {what}")


def test_a_new_user_signs_up_and_logs_a_session_with_one_tap(
    phone_page: Page, between_requests: threading.Lock
) -> None:
    page = phone_page
    page.goto(reverse("account_signup"))
    time_zone = page.get_by_label("Time zone")
    expect(time_zone).to_have_value(TIMEZONE)
    page.get_by_label("Email").fill("bea@example.com")
    page.get_by_label(re.compile(r"^Password:?$")).fill(NEW_PASSWORD)
    page.get_by_label("Password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Create account").tap()
    expect(page).to_have_url(re.compile(re.escape(reverse("welcome")) + "$"))
    page.get_by_role("link", name="Not now").tap()
    expect(page).to_have_url(re.compile(re.escape(reverse("tracker:dashboard")) + "$"))
    with between_requests:
        assert User.objects.get(username="bea").profile.timezone == TIMEZONE

    page.get_by_role("link", name="Copy a starter routine").tap()
    page.get_by_role("button", name=re.compile("^Copy ")).first.tap()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    with between_requests:
        routine = Routine.objects.get(owner__username="bea")
    page.get_by_role("link", name="Today").tap()

    expect(week_count(page)).to_have_text("0")
    mark_page(page)
    page.get_by_role("button", name=re.compile(re.escape(routine.name))).tap()
    expect(page.locator("#log-status")).to_contain_text(f"Logged {routine.minutes()} minutes")
    expect(week_count(page)).to_have_text("1")
    with between_requests:
        session = MassageSession.objects.get(owner__username="bea")
    row = page.locator(f"#session-{session.pk}")
    expect(row).to_contain_text(f"{routine.minutes()} min")
    assert_not_reloaded(page)

    row.get_by_role("link", name=re.compile("^Edit")).tap()
    row.get_by_label("Minutes").fill("17")
    row.get_by_role("button", name="Save changes").tap()
    expect(row).to_contain_text("17 min")
    expect(row.get_by_role("button", name="Save changes")).to_have_count(0)
    with between_requests:
        session.refresh_from_db()
    assert session.minutes == 17
    assert_not_reloaded(page)

    # No question first: an Undo for 30 seconds after.
    row.get_by_role("button", name=re.compile("^Delete")).tap()
    expect(row).to_have_count(0)
    expect(week_count(page)).to_have_text("0")
    with between_requests:
        assert not MassageSession.objects.filter(owner__username="bea").exists()
    page.locator("#undo-area").get_by_role("button", name="Undo").tap()
    expect(row).to_contain_text("17 min")
    expect(week_count(page)).to_have_text("1")
    expect(page.locator("#undo-area")).to_contain_text("Restored 1 session.")
    with between_requests:
        assert MassageSession.objects.get(owner__username="bea").pk == session.pk
    assert_not_reloaded(page)


def test_the_detailed_form_shows_an_error_in_place_then_logs(
    logged_in_page: Page, between_requests: threading.Lock
) -> None:
    page = logged_in_page
    page.goto(reverse("tracker:dashboard"))
    mark_page(page)
    form = page.locator("#session-form")
    page.get_by_text("Log with details, or a past session").click()
    form.get_by_label("Minutes").fill("0")
    form.get_by_role("button", name="Log session").click()

    expect(form).to_contain_text("A session lasts at least 1 minute.")
    expect(form.get_by_label("Minutes")).to_have_value("0")
    expect(week_count(page)).to_have_text("0")
    with between_requests:
        assert not MassageSession.objects.exists()
    assert_not_reloaded(page)

    form.get_by_label("Minutes").fill("12")
    form.get_by_role("button", name="Log session").click()
    expect(page.locator("#log-status")).to_contain_text("Logged 12 minutes")
    expect(page.locator("#session-form")).not_to_contain_text("at least 1 minute")
    expect(week_count(page)).to_have_text("1")
    with between_requests:
        assert MassageSession.objects.get().minutes == 12
    assert_not_reloaded(page)


def test_a_keyboard_user_logs_a_session_with_tab_and_enter(
    logged_in_page: Page, routine: Routine
) -> None:
    page = logged_in_page
    page.goto(reverse("tracker:dashboard"))
    button = page.get_by_role("button", name=re.compile(re.escape(routine.name)))
    for _ in range(30):
        page.keyboard.press("Tab")
        if button.evaluate("button => button === document.activeElement"):
            break
    else:
        raise AssertionError("Tab never reached the one-tap button")
    assert button.evaluate("button => button.matches(':focus-visible')")
    assert button.evaluate("button => getComputedStyle(button).outlineStyle") != "none"

    page.keyboard.press("Enter")
    expect(week_count(page)).to_have_text("1")
    expect(page.locator("#log-status")).to_contain_text("Logged")


def test_no_main_page_scrolls_sideways_on_a_360_px_phone(
    logged_in_phone_page: Page, history: list[MassageSession], routine: Routine
) -> None:
    page = logged_in_phone_page
    urls = [
        reverse("tracker:dashboard"),
        reverse("tracker:history"),
        reverse("tracker:routine-list"),
        reverse("tracker:routine-detail", args=[routine.pk]),
        reverse("tracker:gear"),
        reverse("tracker:profile"),
        reverse("tracker:session-new"),
        reverse("tracker:session-edit", args=[history[0].pk]),
    ]
    too_wide = {}
    for url in urls:
        page.goto(url)
        # Open every disclosure: a hidden table or form can still be too wide once shown.
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            too_wide[url] = width
    page.context.clear_cookies()
    for url in [reverse(name) for name in LOGGED_OUT_PAGES]:
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 360:
            too_wide[url] = width
    assert too_wide == {}


def test_the_harness_fails_a_test_that_breaks_the_csp(
    page: Page, browser_problems: list[str]
) -> None:
    # Guards every test above against a CSP check that silently stopped listening.
    page.goto(reverse("account_login"))
    with page.expect_console_message(lambda message: "CSP violation" in message.text):
        page.evaluate(
            "html => document.body.insertAdjacentHTML('beforeend', html)",
            '<p style="color: red">An inline style</p>',
        )
    assert any("style-src" in problem for problem in browser_problems)
    browser_problems.clear()


def test_a_slow_refresh_does_not_bring_back_a_deleted_session(
    logged_in_page: Page, browser_user: User, routine: Routine, between_requests: threading.Lock
) -> None:
    # Two refreshes in a row: the first, answered late with what was true then, must not
    # be the last word (htmx dropped the queued second one once the first replaced its element).
    session = MassageSession.log_routine(routine, browser_user, performed_at=timezone.now())
    page = logged_in_page
    page.goto(reverse("tracker:dashboard"))
    row = page.locator(f"#session-{session.pk}")
    expect(row).to_have_count(1)

    held: list[tuple[Route, APIResponse]] = []

    def hold_the_first_refresh(route: Route) -> None:
        if route.request.headers.get("hx-target") == "recent-sessions" and not held:
            held.append((route, route.fetch()))
        else:
            route.continue_()

    page.route(re.compile(r"/$"), hold_the_first_refresh)
    page.evaluate("htmx.trigger(document.body, 'sessions-changed')")
    wait_until(page, lambda: bool(held), "the first refresh has its answer")

    with between_requests:
        session.delete()
    page.evaluate("htmx.trigger(document.body, 'sessions-changed')")
    page.wait_for_timeout(200)
    route, stale = held[0]
    with contextlib.suppress(PlaywrightError):
        route.fulfill(response=stale)
    expect(row).to_have_count(0)


def test_a_delete_answered_after_a_refresh_still_updates_the_page(
    logged_in_page: Page, browser_user: User, routine: Routine
) -> None:
    # The refresh replaces the row the user clicked, so the delete's answer comes back to a
    # detached element: its "sessions changed" must still reach the page.
    session = MassageSession.log_routine(routine, browser_user, performed_at=timezone.now())
    page = logged_in_page
    page.goto(reverse("tracker:dashboard"))
    row = page.locator(f"#session-{session.pk}")
    expect(row).to_have_count(1)

    held: dict[str, tuple[Route, APIResponse]] = {}

    def hold_the_first_of_each(route: Route) -> None:
        request = route.request
        kind = "delete" if request.method == "POST" else request.headers.get("hx-target", "")
        if kind in {"delete", "recent-sessions"} and kind not in held:
            held[kind] = (route, route.fetch())
        else:
            route.continue_()

    page.route(re.compile(r"/$"), hold_the_first_of_each)
    page.evaluate("htmx.trigger(document.body, 'sessions-changed')")
    # The refresh's answer must be taken before the delete is sent, or it may see the delete.
    wait_until(page, lambda: "recent-sessions" in held, "the refresh has its answer")
    row.get_by_role("button", name=re.compile("^Delete")).click()
    wait_until(page, lambda: "delete" in held, "the delete has its answer")

    row.evaluate("row => row.classList.add('clicked')")
    route, stale = held["recent-sessions"]
    route.fulfill(response=stale)
    expect(page.locator(f"#session-{session.pk}:not(.clicked)")).to_have_count(1)
    route, deleted = held["delete"]
    route.fulfill(response=deleted)
    expect(row).to_have_count(0)


def test_a_one_tap_log_updates_the_page_in_one_round_trip(
    logged_in_page: Page, routine: Routine, between_requests: threading.Lock
) -> None:
    """The answer to the tap carries the week, streak, chart and recent sessions (htmx
    out-of-band swaps): no refresh follows it."""
    page = logged_in_page
    page.goto(reverse("tracker:dashboard"))
    expect(week_count(page)).to_have_text("0")
    mark_page(page)
    wait_until_the_server_is_idle(page)
    sent: list[str] = []
    page.on("request", lambda request: sent.append(f"{request.method} {request.url}"))

    page.get_by_role("button", name=re.compile(re.escape(routine.name))).click()

    expect(week_count(page)).to_have_text("1")
    expect(page.locator("#log-status")).to_contain_text(f"Logged {routine.minutes()} minutes")
    expect(page.locator("#recent-sessions .session-list li")).to_have_count(1)
    page.wait_for_timeout(300)  # time for any refresh the answer might have set off
    assert sent == [
        f"POST {page.url.rstrip('/')}{reverse('tracker:log-routine', args=[routine.pk])}"
    ]
    assert_not_reloaded(page)

    # The next tap uses the fresh one-time id the answer brought: a second session.
    page.get_by_role("button", name=re.compile(re.escape(routine.name))).click()
    expect(week_count(page)).to_have_text("2")
    with between_requests:
        assert MassageSession.objects.filter(routine=routine).count() == 2


def wait_until_the_server_is_idle(page: Page) -> None:
    page.wait_for_load_state("networkidle")
