"""Real-browser fixtures: Playwright's sync API driving Debian's Chromium against a live server.

Every page opened through these fixtures records console errors, uncaught exceptions, CSP
violations and failed responses; a test that passes while any of those happened fails.
"""

import os
import select
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.servers.basehttp import WSGIServer
from django.test import Client
from django.test.testcases import LiveServerThread, QuietWSGIRequestHandler
from django.utils import timezone
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Playwright,
    Response,
    sync_playwright,
)
from pytest_django.live_server_helper import LiveServer

from tests.factories import make_session
from tracker.models import MassageSession, Reaction, Routine
from tracker.starters import STARTERS, copy_starter

BROWSER_DIR = Path(__file__).resolve().parent
SCREENSHOTS_DIR = BROWSER_DIR.parent.parent / "screenshots"

# Without these, Chromium stalls trying to reach Google's services on the closed network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 800}
TIMEZONE = "Pacific/Auckland"

# Chromium logs its own message for a CSP violation, but the event names the directive.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` in ${event.sourceFile || event.documentURI}:${event.lineNumber}`);
});
"""

# htmx logs an aborted request as an error, but `hx-sync="this:replace"` aborts a stale
# refresh on purpose. A failed request still shows (htmx:sendError, htmx:timeout, or its
# 4xx/5xx response); htmx:afterRequest only ever comes alongside one of those.
EXPECTED_HTMX_LOGS = ("htmx:sendAbort", "htmx:afterRequest")

PageFactory = Callable[..., Page]


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Mark every test under tests/browser before `-m browser` / `-m "not browser"` selects.
    for item in items:
        if BROWSER_DIR in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    # Fail the test itself (not its teardown) when the browser saw something go wrong.
    result = yield
    problems: list[str] | None = getattr(item, "funcargs", {}).get("browser_problems")
    if problems:
        reported = list(problems)
        problems.clear()
        pytest.fail("The browser reported problems:\n  " + "\n  ".join(reported), pytrace=False)
    return result


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    path = chromium_path()
    if not path:
        message = "No Chromium found: install Debian's chromium package or set CHROMIUM_PATH."
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    # Playwright's sync API keeps an event loop running in this thread, so Django refuses
    # ORM calls from the test code unless told that this is safe (it is: one thread uses it).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            yield playwright
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


class OneRequestAtATimeServer(WSGIServer):
    """Answers requests one after the other, and says when it is between two.

    The test database is SQLite in memory, and once it exists the live server's requests
    share the tests' one connection: Django's threaded server then runs two requests on it
    at once (a page's images, two htmx refreshes) and SQLite fails with "bad parameter or
    other API misuse", or the process crashes.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.answering = threading.Lock()

    def process_request(self, request, client_address) -> None:
        with self.answering:
            super().process_request(request, client_address)


class OneRequestAtATimeThread(LiveServerThread):
    def _create_server(self, connections_override=None) -> OneRequestAtATimeServer:
        address = (self.host, self.port)
        return OneRequestAtATimeServer(address, QuietWSGIRequestHandler, allow_reuse_address=False)


@pytest.fixture(scope="session")
def live_server(request: pytest.FixtureRequest) -> Iterator[LiveServer]:
    """pytest-django's live server (static files included), one request at a time."""
    addr = request.config.getvalue("liveserver") or os.getenv(
        "DJANGO_LIVE_TEST_SERVER_ADDRESS", "localhost"
    )
    server = LiveServer(addr, start=False)
    threaded = server.thread
    server.thread = OneRequestAtATimeThread(
        threaded.host,
        threaded.static_handler,
        connections_override=threaded.connections_override,
        port=threaded.port,
    )
    server.thread.daemon = True
    server.start()
    yield server
    server.stop()


def wait_until_the_server_is_idle(live_server: LiveServer, quiet_seconds: float = 0.2) -> None:
    """Let the requests a closed browser left behind end before the database is flushed.

    The database is flushed on the connection the live server shares: a request still
    running, or still waiting to be accepted (a service worker's background fetch, say),
    would meet the flush half-way ("database table is locked").
    """
    httpd = live_server.thread.httpd
    quiet_since = deadline = time.monotonic()
    deadline += 10
    while time.monotonic() < deadline:
        with httpd.answering:
            waiting, _, _ = select.select([httpd.socket], [], [], 0)
        if waiting:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since >= quiet_seconds:
            return
        time.sleep(0.02)


@pytest.fixture
def between_requests(live_server: LiveServer) -> threading.Lock:
    """`with between_requests:` around the tests' own queries once a page is open.

    The live server shares the tests' database connection; held, this keeps it from
    answering a request (a late htmx refresh, say) on that connection at the same time.
    """
    return live_server.thread.httpd.answering


@pytest.fixture
def browser_problems() -> list[str]:
    """Console errors, page errors, CSP violations and failed responses, as they happen."""
    return []


def watch(page: Page, browser_problems: list[str]) -> Page:
    """Record the page's console errors, uncaught exceptions and failed responses."""

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error" and not message.text.startswith(EXPECTED_HTMX_LOGS):
            browser_problems.append(f"console error: {message.text} ({message.location['url']})")

    def on_response(response: Response) -> None:
        if response.status >= 400:
            request = response.request
            browser_problems.append(f"{response.status} for {request.method} {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: browser_problems.append(f"page error: {error}"))
    page.on("response", on_response)
    return page


@pytest.fixture
def new_page(browser: Browser, live_server, browser_problems: list[str]) -> Iterator[PageFactory]:
    """Open a page in a fresh context: `new_page()` for a desktop, `new_page(phone=True)`."""
    contexts: list[BrowserContext] = []

    def open_page(
        *, phone: bool = False, timezone_id: str = TIMEZONE, color_scheme: str = "light"
    ) -> Page:
        context = browser.new_context(
            base_url=live_server.url,
            viewport=PHONE if phone else DESKTOP,
            timezone_id=timezone_id,
            color_scheme=color_scheme,
            locale="en-GB",
            is_mobile=phone,
            has_touch=phone,
        )
        context.set_default_timeout(5_000)
        context.add_init_script(REPORT_CSP_VIOLATIONS)
        contexts.append(context)
        return watch(context.new_page(), browser_problems)

    yield open_page
    for context in contexts:
        context.close()
    wait_until_the_server_is_idle(live_server)


@pytest.fixture
def persistent_phone_page(
    playwright: Playwright, live_server, browser_problems: list[str], tmp_path: Path
) -> Iterator[Page]:
    """A phone page in a browser with a profile on disk, as a person's own browser is.

    `browser.new_context()` is incognito, and Chromium never offers to install an app there
    (its installability check answers `in-incognito`).
    """
    context = playwright.chromium.launch_persistent_context(
        tmp_path / "profile",
        executable_path=chromium_path(),
        args=CHROMIUM_ARGS,
        base_url=live_server.url,
        viewport=PHONE,
        timezone_id=TIMEZONE,
        locale="en-GB",
        is_mobile=True,
        has_touch=True,
    )
    context.set_default_timeout(5_000)
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    page = context.pages[0] if context.pages else context.new_page()
    yield watch(page, browser_problems)
    context.close()
    wait_until_the_server_is_idle(live_server)


@pytest.fixture
def page(new_page: PageFactory) -> Page:
    """A desktop-sized page, logged out."""
    return new_page()


@pytest.fixture
def phone_page(new_page: PageFactory) -> Page:
    """A 360 by 740 touch page, logged out."""
    return new_page(phone=True)


@pytest.fixture
def log_in(live_server) -> Callable[[Page, User], Page]:
    """Put a logged-in session cookie into a page's context (the login form has its own test)."""

    def log_in(page: Page, user: User) -> Page:
        client = Client()
        client.force_login(user)
        session_cookie = client.cookies["sessionid"]
        page.context.add_cookies(
            [{"name": "sessionid", "value": session_cookie.value, "url": live_server.url}]
        )
        return page

    return log_in


@pytest.fixture
def browser_user(make_user) -> User:
    return make_user("alice", timezone=TIMEZONE)


@pytest.fixture
def logged_in_page(page: Page, browser_user: User, log_in) -> Page:
    """A desktop page logged in as `browser_user` (password: tests.conftest.PASSWORD)."""
    return log_in(page, browser_user)


@pytest.fixture
def logged_in_phone_page(phone_page: Page, browser_user: User, log_in) -> Page:
    return log_in(phone_page, browser_user)


@pytest.fixture
def screenshots_dir() -> Path:
    SCREENSHOTS_DIR.mkdir(exist_ok=True)
    return SCREENSHOTS_DIR


@pytest.fixture
def routine(browser_user: User) -> Routine:
    """The first starter routine, copied: the dashboard offers it as a one-tap button."""
    return copy_starter(STARTERS[0], browser_user)


# Days ago of the sessions in `history`: a few weeks on target, one missed, one stretch.
HISTORY_DAYS_AGO = [1, 3, 8, 10, 12, 15, 24, 26, 29, 31, 33, 36, 38, 43, 45, 50, 52, 54, 57, 64]


@pytest.fixture
def history(browser_user: User, routine: Routine) -> list[MassageSession]:
    """Ten weeks of sessions, with a short one and one that left redness, for real pages."""
    now = timezone.now().replace(second=0, microsecond=0)
    sessions = [
        make_session(
            browser_user,
            now - timedelta(days=days_ago, hours=days_ago % 5),
            routine=routine,
            minutes=3 if days_ago == 10 else 8 + days_ago % 7,
            reaction=Reaction.REDNESS if days_ago == 15 else Reaction.NONE,
            rating=1 + days_ago % 5,
        )
        for days_ago in HISTORY_DAYS_AGO
    ]
    return sessions


def wait_until(page: Page, expression: str, timeout_ms: int = 5_000) -> None:
    """Wait until a JavaScript expression is true in the page.

    Not page.wait_for_function: its polling evaluates a string, which the page's strict CSP
    (no 'unsafe-eval') refuses as soon as the first check fails.
    """
    deadline = time.monotonic() + timeout_ms / 1000
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            pytest.fail(f"Still false after {timeout_ms} ms: {expression}", pytrace=False)
        page.wait_for_timeout(50)
