"""Issue 10 in a real browser: installable, open offline, and a log made offline lands once.

The service worker and the offline queue are static/js/service-worker.js, log-queue.js and
offline.js; `context.set_offline` cuts the network for the pages and the worker alike.
"""

import re
import threading
import time
from collections.abc import Callable

from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from tests import readers
from tests.factories import PASSWORD
from tracker.models import MassageSession, Routine

SAVED = "Saved on this phone; it will be logged when you are back online."
# Sending waits for the worker or the page to notice the network; give it a few seconds.
SYNC_TIMEOUT_MS = 10_000


def wait_for(page: Page, expression: str, what: str, seconds: float = 10) -> None:
    """Poll a JavaScript expression (page.evaluate, which the strict CSP allows)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if page.evaluate(expression):
            return
        page.wait_for_timeout(50)
    raise AssertionError(f"timed out waiting until {what}")


CACHED_URLS = """async () => {
  const urls = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) urls.push(name + " " + request.url);
  }
  return urls;
}"""


def cached_urls(page: Page) -> list[str]:
    return page.evaluate(CACHED_URLS)


KEPT_CACHE_CONTROL = """async (path) => {
  const kept = await caches.match(new URL(path, location.origin).href, { ignoreVary: true });
  return kept ? kept.headers.get("Cache-Control") : null;
}"""


def kept_cache_control(page: Page, path: str) -> str | None:
    """The Cache-Control of the copy of a page the worker keeps; None when it keeps none."""
    return page.evaluate(KEPT_CACHE_CONTROL, path)


def kept_pages(page: Page) -> list[str]:
    return [url.split(" ", 1)[1] for url in cached_urls(page) if url.startswith("pages-")]


def open_controlled(page: Page, url: str) -> None:
    """Open a page and wait until the service worker controls it and has kept it."""
    page.goto(url)
    wait_for(page, "navigator.serviceWorker.controller !== null", "the worker controls the page")
    absolute = page.url.split("#")[0]
    wait_for(
        page,
        f"caches.keys().then(names => Promise.all(names.map(n => caches.open(n)"
        f".then(c => c.match({absolute!r}))))).then(found => found.some(Boolean))",
        f"the worker keeps {url}",
    )


def week_count(page: Page) -> Locator:
    return page.get_by_test_id("week-count")


def one_tap(page: Page, routine: Routine) -> Locator:
    return page.get_by_role("button", name=re.compile(re.escape(routine.name)))


def saved_logs(page: Page) -> list[dict]:
    return page.evaluate("FacetrackLogQueue.all()")


def sessions_of(user: User, lock: threading.Lock) -> list[MassageSession]:
    with lock:
        return readers.sessions_of(user)


def log_offline(page: Page, routine: Routine) -> None:
    page.context.set_offline(True)
    one_tap(page, routine).tap()
    expect(page.locator("#log-status")).to_have_text(SAVED)


def forget_expected(problems: list[str], pattern: str) -> None:
    """Drop the failed responses a test provoked on purpose (a 404, a 400) from the record."""
    problems[:] = [p for p in problems if not re.search(pattern, p)]


def test_chromium_finds_the_app_installable_and_the_worker_controls_every_page(
    persistent_phone_page: Page, browser_user: User, log_in, live_server
) -> None:
    page = log_in(persistent_phone_page, browser_user)
    open_controlled(page, reverse("tracker:dashboard"))

    devtools = page.context.new_cdp_session(page)
    assert devtools.send("Page.getInstallabilityErrors")["installabilityErrors"] == []
    manifest = devtools.send("Page.getAppManifest")
    assert manifest["url"].endswith(reverse("tracker:manifest"))
    assert manifest["errors"] == []

    registration = page.evaluate(
        "navigator.serviceWorker.getRegistration().then(r => [r.scope, r.active.scriptURL])"
    )
    assert registration == [
        f"{live_server.url}/",
        f"{live_server.url}{reverse('tracker:service-worker')}",
    ]


def test_offline_the_last_dashboard_seen_opens_with_a_banner_never_an_error_page(
    logged_in_phone_page: Page, routine: Routine, history
) -> None:
    page = logged_in_phone_page
    open_controlled(page, reverse("tracker:dashboard"))
    count = week_count(page).inner_text()
    expect(page.locator("#offline-banner")).to_be_hidden()
    # A logged-in page is `private` (kept from shared caches, not from the person's phone).
    kept = kept_cache_control(page, reverse("tracker:dashboard"))
    assert "private" in kept and "no-store" not in kept

    page.context.set_offline(True)
    page.reload()
    expect(page.locator("#offline-banner")).to_have_text(
        re.compile(r"^Offline: showing this page as of \d\d:\d\d$")
    )
    expect(week_count(page)).to_have_text(count)

    # A page never seen: the worker's own page, not the browser's error page.
    page.goto(reverse("tracker:history"))
    expect(page.get_by_role("heading", level=1)).to_have_text("You are offline")
    page.get_by_role("link", name="Open Today").tap()
    expect(page.locator("#offline-banner")).to_be_visible()

    page.context.set_offline(False)
    expect(page.locator("#offline-banner")).to_contain_text("Back online")


def test_a_one_tap_log_made_offline_is_logged_exactly_once_back_online(
    logged_in_phone_page: Page, routine: Routine, browser_user: User, between_requests
) -> None:
    page = logged_in_phone_page
    open_controlled(page, reverse("tracker:dashboard"))
    expect(week_count(page)).to_have_text("0")

    log_offline(page, routine)
    tapped = timezone.now()
    assert sessions_of(browser_user, between_requests) == []
    [saved] = saved_logs(page)
    assert saved["user"] == str(browser_user.pk)
    assert saved["url"] == reverse("tracker:log-routine", kwargs={"pk": routine.pk})

    # Still offline, the kept dashboard says what waits.
    page.reload()
    expect(page.locator("#offline-banner")).to_be_visible()
    expect(page.locator("#offline-status")).to_have_text(
        "A session saved on this phone will be logged when you are back online."
    )
    page.wait_for_timeout(1500)
    back_online = timezone.now()
    page.context.set_offline(False)
    expect(week_count(page)).to_have_text("1", timeout=SYNC_TIMEOUT_MS)
    expect(page.locator("#offline-status")).to_contain_text(
        f"Logged {routine.name} at", timeout=SYNC_TIMEOUT_MS
    )

    for _ in range(2):
        page.reload()
        expect(week_count(page)).to_have_text("1")
    assert saved_logs(page) == []
    [session] = sessions_of(browser_user, between_requests)
    assert str(session.client_id) == saved["client_id"]
    # Logged at the moment of the tap, not when the connection came back.
    assert tapped - timezone.timedelta(seconds=5) < session.performed_at < back_online


def test_a_log_saved_offline_waits_for_its_own_account_to_log_in_again(
    logged_in_phone_page: Page,
    routine: Routine,
    browser_user: User,
    make_user: Callable[..., User],
    log_in,
    between_requests,
) -> None:
    page = logged_in_phone_page
    open_controlled(page, reverse("tracker:dashboard"))
    log_offline(page, routine)

    # Alice's session ends and Bea logs in on the same phone.
    bea = make_user("bea")
    page.context.clear_cookies()
    log_in(page, bea)
    page.context.set_offline(False)
    page.goto(reverse("tracker:dashboard"))
    expect(page.locator("#offline-status")).to_have_text(
        "A session saved on this phone by another account waits until that account "
        "logs in here again."
    )
    page.wait_for_timeout(500)
    assert sessions_of(browser_user, between_requests) == []
    assert sessions_of(bea, between_requests) == []

    page.context.clear_cookies()
    log_in(page, browser_user)
    page.goto(reverse("tracker:dashboard"))
    expect(week_count(page)).to_have_text("1")
    assert len(sessions_of(browser_user, between_requests)) == 1
    assert sessions_of(bea, between_requests) == []


def test_a_log_saved_offline_survives_an_expired_session_and_is_sent_after_logging_in(
    logged_in_phone_page: Page, routine: Routine, browser_user: User, between_requests
) -> None:
    page = logged_in_phone_page
    open_controlled(page, reverse("tracker:dashboard"))
    log_offline(page, routine)

    page.context.clear_cookies()
    page.context.set_offline(False)
    status = page.locator("#offline-status")
    expect(status).to_have_text(
        "Your session has ended: log in to send the session saved on this phone. Log in",
        timeout=SYNC_TIMEOUT_MS,
    )
    assert sessions_of(browser_user, between_requests) == []

    status.get_by_role("link", name="Log in").tap()
    expect(status).to_have_text(
        "A session saved on this phone will be logged once you log in again."
    )
    page.get_by_label("Email or username").fill(browser_user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).tap()
    expect(week_count(page)).to_have_text("1")
    assert len(sessions_of(browser_user, between_requests)) == 1


def test_logging_out_sends_what_is_saved_then_leaves_no_cache_or_saved_log(
    logged_in_phone_page: Page, routine: Routine, browser_user: User, between_requests
) -> None:
    page = logged_in_phone_page
    open_controlled(page, reverse("tracker:dashboard"))
    # A log saved while offline that nothing has sent yet (the connection just came back).
    page.evaluate(
        """FacetrackLogQueue.put({client_id: crypto.randomUUID(), user: document.body.dataset.user,
            url: document.querySelector("form[data-offline-log]").getAttribute("action"),
            performed_at: new Date().toISOString(), label: "Lift", state: "waiting"})"""
    )
    assert cached_urls(page)

    page.get_by_role("button", name=re.compile("^Log out")).tap()
    expect(page).to_have_url(re.compile(re.escape(reverse("login"))))
    assert len(sessions_of(browser_user, between_requests)) == 1
    wait_for(
        page,
        """(async () => (await caches.keys()).length === 0
            && !(await indexedDB.databases()).some(db => db.name === "facetrack")
            && (await navigator.serviceWorker.getRegistrations()).length === 0)()""",
        "every cache, the saved logs and the worker are gone",
    )


def test_offline_a_logout_warns_that_saved_logs_would_be_lost_and_lets_the_person_stay(
    logged_in_phone_page: Page, routine: Routine, browser_user: User, between_requests
) -> None:
    page = logged_in_phone_page
    open_controlled(page, reverse("tracker:dashboard"))
    log_offline(page, routine)

    page.get_by_role("button", name=re.compile("^Log out")).tap()
    warning = page.locator("#logout-warning")
    expect(warning).to_contain_text(
        "A session saved on this phone is not logged yet (you are offline). "
        "Logging out deletes it from this phone"
    )
    expect(warning.get_by_role("button", name="Log out and delete it")).to_be_visible()
    warning.get_by_role("button", name="Stay logged in").tap()
    expect(warning).to_be_hidden()
    assert len(saved_logs(page)) == 1

    page.context.set_offline(False)
    expect(week_count(page)).to_have_text("1", timeout=SYNC_TIMEOUT_MS)
    assert len(sessions_of(browser_user, between_requests)) == 1


def test_a_saved_log_whose_routine_was_deleted_meanwhile_is_reported_not_dropped(
    logged_in_phone_page: Page,
    routine: Routine,
    browser_user: User,
    between_requests,
    browser_problems: list[str],
) -> None:
    page = logged_in_phone_page
    open_controlled(page, reverse("tracker:dashboard"))
    log_offline(page, routine)
    with between_requests:
        Routine.objects.get(pk=routine.pk).remove()

    page.context.set_offline(False)
    status = page.locator("#offline-status")
    expect(status).to_contain_text(f"Not logged: {routine.name} at", timeout=SYNC_TIMEOUT_MS)
    expect(status).to_contain_text("Its routine was deleted meanwhile, so it could not be logged.")
    assert sessions_of(browser_user, between_requests) == []
    page.reload()
    expect(status).to_contain_text(f"Not logged: {routine.name} at")
    status.get_by_role("button", name="Dismiss").tap()
    expect(status).to_be_empty()
    assert saved_logs(page) == []
    forget_expected(browser_problems, r"404|status of 404")


def test_a_damaged_one_time_id_is_refused_and_the_page_says_why(
    logged_in_phone_page: Page,
    routine: Routine,
    browser_user: User,
    between_requests,
    browser_problems: list[str],
) -> None:
    page = logged_in_phone_page
    page.goto(reverse("tracker:dashboard"))
    page.locator("form[data-offline-log] input[name=client_id]").evaluate(
        "input => input.value = 'not-an-id'"
    )
    one_tap(page, routine).tap()
    expect(page.locator("#log-status")).to_have_text(
        "This log carries a damaged id: reload the page and log again."
    )
    assert sessions_of(browser_user, between_requests) == []
    forget_expected(browser_problems, r"400|status of 400")


def test_photo_pages_and_photos_are_never_kept(
    logged_in_phone_page: Page, routine: Routine
) -> None:
    page = logged_in_phone_page
    open_controlled(page, reverse("tracker:dashboard"))
    page.goto(reverse("tracker:photos"))
    page.goto(reverse("tracker:photo-new"))
    page.goto(reverse("tracker:history"))
    wait_for(
        page,
        "caches.keys().then(names => Promise.all(names.map(n => caches.open(n)"
        ".then(c => c.keys())))).then(all => all.flat().some(r => r.url.endsWith('/sessions/')))",
        "the history page is kept",
    )
    assert not [url for url in cached_urls(page) if "/photos/" in url]
    # Both are private; only the photo pages say no-store as well.
    assert "private" in kept_cache_control(page, reverse("tracker:history"))
    assert kept_cache_control(page, reverse("tracker:photos")) is None

    page.context.set_offline(True)
    page.goto(reverse("tracker:photos"))
    expect(page.get_by_role("heading", level=1)).to_have_text("You are offline")
    expect(page.locator("main")).to_contain_text("Photos stay on the server, never on this phone")


def test_a_double_tap_offline_saves_one_log(
    logged_in_phone_page: Page, routine: Routine, browser_user: User, between_requests
) -> None:
    page = logged_in_phone_page
    open_controlled(page, reverse("tracker:dashboard"))
    page.context.set_offline(True)
    one_tap(page, routine).tap()
    one_tap(page, routine).tap()
    expect(page.locator("#log-status")).to_have_text(SAVED)
    assert len(saved_logs(page)) == 1

    page.context.set_offline(False)
    expect(week_count(page)).to_have_text("1", timeout=SYNC_TIMEOUT_MS)
    assert len(sessions_of(browser_user, between_requests)) == 1


def test_a_guided_session_logged_offline_says_so_below_its_button_and_is_sent_later(
    logged_in_phone_page: Page, routine: Routine, browser_user: User, between_requests
) -> None:
    page = logged_in_phone_page
    open_controlled(page, reverse("tracker:routine-guide", kwargs={"pk": routine.pk}))
    page.context.set_offline(True)
    done = page.locator("[data-guide-done]")
    done.get_by_role("button", name="Log this session").tap()
    expect(done.get_by_role("status")).to_have_text(SAVED)
    assert sessions_of(browser_user, between_requests) == []

    page.context.set_offline(False)
    expect(page.locator("#offline-status")).to_contain_text(
        f"Logged {routine.name} at", timeout=SYNC_TIMEOUT_MS
    )
    assert len(sessions_of(browser_user, between_requests)) == 1


def test_a_guided_session_saved_offline_keeps_the_minutes_spent_and_the_steps_done(
    logged_in_phone_page: Page, routine: Routine, browser_user: User, between_requests
) -> None:
    page = logged_in_phone_page
    steps = list(routine.steps.all())
    open_controlled(page, reverse("tracker:routine-guide", kwargs={"pk": routine.pk}))
    page.clock.install()
    page.get_by_role("button", name="Start").click()
    # The whole first step (60 s) and 10 s of the second, then straight to the end.
    page.clock.run_for(70_000)
    for _ in range(len(steps) - 1):
        page.get_by_role("button", name="Next step").click()
    page.context.set_offline(True)
    done = page.locator("[data-guide-done]")
    done.get_by_role("button", name="Log this session").tap()
    expect(done.get_by_role("status")).to_have_text(SAVED)
    [saved] = saved_logs(page)
    assert saved["fields"] == [["minutes", "1"], ["steps", str(steps[0].pk)]]

    page.context.set_offline(False)
    expect(page.locator("#offline-status")).to_contain_text(
        f"Logged {routine.name} at", timeout=SYNC_TIMEOUT_MS
    )
    [session] = sessions_of(browser_user, between_requests)
    assert (session.minutes, session.techniques) == (1, [steps[0].technique])


def test_the_offline_notices_have_no_serious_accessibility_violations(
    logged_in_phone_page: Page, routine: Routine, history
) -> None:
    from tests.browser.test_accessibility import blocking_violations

    page = logged_in_phone_page
    open_controlled(page, reverse("tracker:dashboard"))
    page.context.set_offline(True)
    page.reload()
    one_tap(page, routine).tap()
    expect(page.locator("#log-status")).to_have_text(SAVED)
    page.reload()
    expect(page.locator("#offline-status")).not_to_be_empty()
    page.get_by_role("button", name=re.compile("^Log out")).tap()
    expect(page.locator("#logout-warning")).to_be_visible()
    assert blocking_violations(page) == []
