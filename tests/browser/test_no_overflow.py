"""Every page a person can reach, at 360 px, light and dark: nothing scrolls sideways, no text
is cut off.

The pages come from the URL conf (tests/test_security.py's walk, with its objects for the URLs
that take an id), so a new page is checked without being listed here: each URL that answers a
GET with a whole HTML page is opened in the browser, as a logged-out visitor, as the owner of
an account with something of everything (tests.factories.make_full_account plus ten weeks of
history) and as the owner of a sparse one. Every <details> is opened before measuring ("Show
as a table").
"""

from collections.abc import Collection

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import resolve
from playwright.sync_api import Page

from tests.browser.conftest import PageFactory, wait_until
from tests.factories import make_full_account
from tests.test_access_control import ACCOUNT_OBJECT_URLS, OBJECT_URLS
from tests.test_security import url_names, urls_for
from tracker.models import MassageSession, Routine

# URLs of pictures, not pages.
IMAGES = {"photo-image", "photo-thumbnail", "photo-aligned"}

# What a page shows a person that does not fit, as a list of lines; empty when all fits.
# An element counts when it is rendered and bigger than a pixel (the visually hidden labels
# clip on purpose). It is wrong when:
# - the document is wider than the screen (the page scrolls sideways);
# - it hides, clips or scrolls what overflows it and its text is wider than its box (text cut
#   off, "On targe", or to be read only by scrolling that box sideways), unless the box scrolls
#   on purpose and says so: focusable, with a label (the year page's 53 weeks);
# - it sticks out past the screen's right or left edge, and no ancestor that scrolls or clips
#   keeps it inside the screen (a wide table in a scrolling box is fine; the skip link, wholly
#   off to the left until it has the focus, is too).
FIND_OVERFLOW = """
() => {
  for (const details of document.querySelectorAll("details")) details.open = true;
  const root = document.documentElement;
  const width = root.clientWidth;
  const problems = [];
  if (root.scrollWidth > width) {
    problems.push(`the page scrolls sideways: ${root.scrollWidth} px wide on a ${width} px screen`);
  }
  const describe = (el) => {
    const id = el.id ? "#" + el.id : "";
    const classes = [...el.classList].slice(0, 3).map((c) => "." + c).join("");
    const text = (el.innerText || el.value || "").trim().replace(/\\s+/g, " ").slice(0, 50);
    return `<${el.tagName.toLowerCase()}${id}${classes}> "${text}"`;
  };
  const shown = (el) => {
    const style = getComputedStyle(el);
    if (style.display === "none" || style.visibility === "hidden") return null;
    const box = el.getBoundingClientRect();
    return box.width > 1 && box.height > 1 ? { style, box } : null;
  };
  const keptInside = (el) => {
    for (let parent = el.parentElement; parent && parent !== root; parent = parent.parentElement) {
      const style = getComputedStyle(parent);
      if (style.overflowX !== "visible") {
        const box = parent.getBoundingClientRect();
        if (box.left >= -1 && box.right <= width + 1) return true;
      }
    }
    return false;
  };
  for (const el of document.body.querySelectorAll("*")) {
    const seen = shown(el);
    if (!seen) continue;
    const { style, box } = seen;
    // A box that hides, clips or scrolls what does not fit: its text must fit all the same.
    const clips = style.overflowX !== "visible";
    const hasText = (el.innerText || "").trim() !== "";
    const scrolls = style.overflowX === "auto" || style.overflowX === "scroll";
    // A box that scrolls sideways on purpose says so: a keyboard can reach it, and its label
    // tells (the year's 53 weeks).
    const meant = scrolls && el.tabIndex >= 0 && el.hasAttribute("aria-label");
    if (clips && hasText && !meant && el.scrollWidth > el.clientWidth + 1) {
      const how = scrolls ? "scrolls sideways" : "cut off";
      const sizes = `needs ${el.scrollWidth} px, has ${el.clientWidth}`;
      problems.push(`text ${how}: ${describe(el)} ${sizes}`);
    }
    // Text that runs out of its own box (a word wider than its button), though still shown.
    const ownText = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    const boxed = style.display !== "inline" && style.display !== "contents";
    if (!clips && ownText && boxed && el.scrollWidth > el.clientWidth + 1) {
      const sizes = `needs ${el.scrollWidth} px, has ${el.clientWidth}`;
      problems.push(`text runs out of its box: ${describe(el)} ${sizes}`);
    }
    // Wholly off to the left is hidden on purpose (the skip link, until it has the focus).
    const cut = box.right > width + 1 || (box.left < -1 && box.right > 0);
    if (cut && !keptInside(el)) {
      const span = `from ${Math.round(box.left)} to ${Math.round(box.right)} px`;
      problems.push(`sticks out of the screen: ${describe(el)} ${span}`);
    }
  }
  return problems;
}
"""


# Opens every <details> and waits for what opening loads (a row's reaction buttons, the
# dashboard's full log form): measured once it is in, and no request is left in flight for
# the next page to queue behind (the live server answers one request at a time).
OPEN_ALL_DETAILS = """
async () => {
  let loading = 0;
  let loaded;
  const allLoaded = new Promise((resolve) => (loaded = resolve));
  const started = () => loading++;
  const ended = () => { if (--loading === 0) setTimeout(loaded, 30); };
  document.body.addEventListener("htmx:beforeRequest", started);
  document.body.addEventListener("htmx:afterOnLoad", ended);
  document.body.addEventListener("htmx:sendError", ended);
  for (const details of document.querySelectorAll("details")) details.open = true;
  // "toggle" fires a task later; the loads it starts begin then.
  await new Promise((resolve) => setTimeout(resolve, 30));
  if (loading) await Promise.race([allLoaded, new Promise((resolve) => setTimeout(resolve, 8000))]);
  return loading;
}
"""


def overflow(page: Page, url: str) -> list[str]:
    page.goto(url, timeout=15_000)
    # What htmx loads into the page once it is there (the dashboard's cards) is measured too.
    wait_until(page, "document.querySelector('.htmx-request') === null")
    assert page.evaluate(OPEN_ALL_DETAILS) == 0, f"{url}: what opening its details loads never came"
    return page.evaluate(FIND_OVERFLOW)


def whole_pages(client: Client, user: User, skip: Collection[str] = ()) -> list[str]:
    """The URLs that answer this client's GET with a whole HTML page (with objects of `user`)."""
    found = []
    for name, pattern in url_names():
        if name in skip:
            continue
        for url in urls_for(name, pattern, user):
            response = client.get(url)
            is_html = response.get("Content-Type", "").startswith("text/html")
            if response.status_code == 200 and is_html and b"<html" in response.content:
                found.append(url)
    return sorted(set(found))


@pytest.fixture
def full_account(browser_user: User, routine: Routine, history: list[MassageSession]) -> User:
    make_full_account(browser_user)
    return browser_user


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_no_page_scrolls_sideways_or_cuts_text_off_on_a_phone(
    new_page: PageFactory, log_in, full_account: User, make_user, color_scheme: str
) -> None:
    # The test passkey is no real one: the pages that add a passkey fail on it, so they are
    # checked with an account that has little more than one thing of each kind, and no passkey.
    owner = Client(raise_request_exception=False)
    owner.force_login(full_account)
    for_the_owner = whole_pages(owner, full_account)
    newcomer = make_user("newcomer")
    newcomer_client = Client()
    newcomer_client.force_login(newcomer)
    for_the_newcomer = whole_pages(newcomer_client, newcomer, skip=ACCOUNT_OBJECT_URLS)
    for_a_visitor = whole_pages(Client(), make_user("someone"), skip=ACCOUNT_OBJECT_URLS)
    # Guards the walk: it reached the main pages, and every page of one object that the access
    # control walker opens (but the photos' image files).
    assert {"/", "/sessions/", "/gear/", "/photos/compare/"} <= set(for_the_owner)
    object_pages = {
        name
        for name, cases in OBJECT_URLS.items()
        for case in cases
        if "get" in case.methods and not case.htmx and name not in IMAGES
    }
    assert object_pages <= {resolve(url).url_name for url in for_the_owner}
    assert "/accounts/login/" in for_a_visitor

    problems = []
    visitor = new_page(phone=True, color_scheme=color_scheme)
    for url in for_a_visitor:
        problems += [f"{url} (logged out): {line}" for line in overflow(visitor, url)]
    page = log_in(new_page(phone=True, color_scheme=color_scheme), full_account)
    for url in for_the_owner:
        problems += [f"{url}: {line}" for line in overflow(page, url)]
    page = log_in(new_page(phone=True, color_scheme=color_scheme), newcomer)
    for url in for_the_newcomer:
        problems += [f"{url} (a sparse account): {line}" for line in overflow(page, url)]
    assert not problems, "\n".join(problems)
