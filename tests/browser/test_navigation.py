"""The navigation on a 360 px phone: one bar at the foot of every page, every place within
reach (More for the rest), the current place marked, and all of it by keyboard."""

import re

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.conftest import PHONE, PageFactory
from tests.browser.test_photos_flow import PORTRAIT
from tests.factories import make_photo
from tracker.models import MassageSession, ProgressPhoto, Routine

pytestmark = pytest.mark.browser

TAB_BAR = ["Today", "History", "Photos", "Routines", "More"]
IN_MORE = {
    "Insights": "tracker:insights",
    "Tools and products": "tracker:gear",
    "Year": "tracker:year",
    "Sources": "tracker:sources",
    "Settings": "tracker:profile",
}
IN_BAR = {
    "Today": "tracker:dashboard",
    "History": "tracker:history",
    "Photos": "tracker:photos",
    "Routines": "tracker:routine-list",
}


def ends_with(url_name: str) -> re.Pattern:
    return re.compile(re.escape(reverse(url_name)) + "$")


def bar_boxes(page: Page) -> list[dict]:
    """Where each of the bar's five entries sits on the screen."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('.main-nav .nav-list > li'))
            .filter(li => getComputedStyle(li).display !== 'none')
            .map(li => { const b = li.getBoundingClientRect();
                const text = li.querySelector('.nav-link').textContent.split(' (')[0].trim();
                return {text: text, top: b.top, bottom: b.bottom}; })"""
    )


def marked(page: Page) -> list[str]:
    """The visible entries of the bar marked as where the page is."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll(
              '.main-nav .nav-list > li > a[aria-current="page"], .nav-more > summary.is-current'))
            .filter(e => e.getClientRects().length > 0)
            .map(e => e.textContent.split(' (')[0].trim())"""
    )


@pytest.fixture
def phone(new_page: PageFactory, log_in, browser_user: User) -> Page:
    return log_in(new_page(phone=True), browser_user)


def test_every_main_page_has_the_same_one_row_bar_at_the_foot_of_the_screen(
    phone: Page, history: list[MassageSession], routine: Routine
):
    pages = {
        **{name: url for name, url in IN_BAR.items()},
        **{name: url for name, url in IN_MORE.items()},
    }
    urls = {name: reverse(url_name) for name, url_name in pages.items()}
    urls["History"] = reverse("tracker:session-detail", args=[history[0].pk])
    urls["Routines"] = reverse("tracker:routine-detail", args=[routine.pk])
    for name, url in urls.items():
        phone.goto(url)
        boxes = bar_boxes(phone)
        assert [box["text"] for box in boxes] == TAB_BAR, url
        # One row, the same on every page, against the bottom of the screen.
        assert len({round(box["top"]) for box in boxes}) == 1, (url, boxes)
        assert abs(boxes[0]["bottom"] - PHONE["height"]) <= 1, (url, boxes)
        expected = name if name in IN_BAR else "More"
        assert marked(phone) == [expected], url


def test_the_bar_covers_nothing_at_the_end_of_a_page(phone: Page, history):
    phone.goto(reverse("tracker:dashboard"))
    phone.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    footer = phone.locator(".site-footer p").last.bounding_box()
    bar = phone.locator(".main-nav").bounding_box()

    assert footer["y"] + footer["height"] <= bar["y"]


def test_every_place_is_reached_from_the_bar(phone: Page):
    phone.goto(reverse("tracker:dashboard"))
    for label, url_name in IN_BAR.items():
        phone.locator(".main-nav").get_by_role("link", name=label, exact=True).tap()
        expect(phone).to_have_url(ends_with(url_name))
    for label, url_name in IN_MORE.items():
        phone.locator(".nav-more > summary").tap()
        phone.locator(".nav-more-list").get_by_role("link", name=label, exact=True).tap()
        expect(phone).to_have_url(ends_with(url_name))
        more = phone.locator(f'.nav-more-list a[href="{reverse(url_name)}"]')
        expect(more).to_have_attribute("aria-current", "page")


def test_more_opens_and_leads_on_by_keyboard(phone: Page):
    phone.goto(reverse("tracker:history"))
    summary = phone.locator(".nav-more > summary")
    summary.focus()
    phone.keyboard.press("Enter")
    expect(phone.locator(".nav-more-list")).to_be_visible()
    phone.keyboard.press("Tab")
    expect(phone.locator(".nav-more-list a").first).to_be_focused()
    phone.keyboard.press("Enter")
    expect(phone).to_have_url(ends_with("tracker:insights"))
    # Space opens it too, as it does any <details>.
    phone.locator(".nav-more > summary").focus()
    phone.keyboard.press("Space")
    expect(phone.locator(".nav-more-list")).to_be_visible()


def test_more_works_without_javascript(browser, live_server, log_in, browser_user: User):
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, is_mobile=True, java_script_enabled=False
    )
    try:
        page = log_in(context.new_page(), browser_user)
        page.goto(reverse("tracker:dashboard"))
        page.locator(".nav-more > summary").click()
        page.locator(".nav-more-list").get_by_role("link", name="Year").click()
        expect(page.locator("h1")).to_have_text("Your year")
    finally:
        context.close()


def test_a_wide_screen_lists_every_place_in_the_header(new_page: PageFactory, log_in, browser_user):
    page = log_in(new_page(), browser_user)
    page.goto(reverse("tracker:year"))
    nav = page.locator(".main-nav")

    for label in [*IN_BAR, *IN_MORE]:
        expect(nav.get_by_role("link", name=label, exact=True)).to_be_visible()
    expect(nav.locator(".nav-more")).to_be_hidden()
    expect(nav.get_by_role("link", name="Year", exact=True)).to_have_attribute(
        "aria-current", "page"
    )


def test_escape_or_a_tap_elsewhere_closes_more(phone: Page):
    phone.goto(reverse("tracker:dashboard"))
    summary = phone.locator(".nav-more > summary")
    menu = phone.locator(".nav-more-list")

    summary.tap()
    expect(menu).to_be_visible()
    phone.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    expect(summary).to_be_focused()
    summary.tap()
    # The header beside the name: nothing there to follow.
    phone.mouse.click(300, 20)
    expect(menu).to_be_hidden()


# The desktop layout (1280 px)

STRETCH = """(selector) => {
    const card = document.querySelector(selector);
    const kids = Array.from(card.children).filter(e => e.getClientRects().length);
    const top = kids[0].getBoundingClientRect().top;
    const bottom = Math.max(...kids.map(e => e.getBoundingClientRect().bottom));
    return card.getBoundingClientRect().height / (bottom - top);
}"""


def test_on_a_desktop_cards_keep_their_height_and_thumbnails_their_size(
    new_page: PageFactory, log_in, browser_user: User, history
):
    for timing in ProgressPhoto.Timing.BEFORE, ProgressPhoto.Timing.AFTER:
        make_photo(browser_user, angle=ProgressPhoto.Angle.FRONT, timing=timing, **PORTRAIT)
    page = log_in(new_page(), browser_user)
    page.goto(reverse("tracker:dashboard"))

    for card in (".totals-card", ".week-card"):
        # Padding aside, no taller than what it holds (it was twice as tall, beside the chart).
        assert page.evaluate(STRETCH, card) < 1.4, card
    page.locator(".photo-card img").first.scroll_into_view_if_needed()
    # Both thumbnails loaded (they load lazily, each in its own request).
    for image in page.locator(".photo-card img").all():
        image.scroll_into_view_if_needed()
        expect(image).to_have_js_property("complete", True)
        expect(image).not_to_have_js_property("naturalWidth", 0)
    sizes = page.evaluate(
        "Array.from(document.querySelectorAll('.photo-card img'))"
        ".map(img => [img.naturalWidth, img.clientWidth])"
    )
    assert sizes and all(shown <= natural for natural, shown in sizes), sizes
    # The header's name starts where the page's content does.
    brand = page.locator(".site-header .brand").bounding_box()
    content_left = page.evaluate(
        "(() => { const m = document.querySelector('main'); return m.getBoundingClientRect().left"
        " + parseFloat(getComputedStyle(m).paddingLeft); })()"
    )
    assert abs(brand["x"] - content_left) <= 1
