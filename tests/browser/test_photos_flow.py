"""Issue 3's story in a real browser: upload photos, find them in the gallery, compare two, and
take one with the camera, lined up on the last photo of the same angle."""

import re
from collections.abc import Callable, Iterator

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from playwright.sync_api import Browser, Locator, Page, Playwright, Route, expect

from tests import photo_samples as samples
from tests.browser.conftest import CHROMIUM_ARGS, DESKTOP, TIMEZONE, chromium_path, wait_until
from tests.browser.test_accessibility import audit
from tests.factories import make_photo
from tracker.models import ProgressPhoto

# Chromium's own test camera (a moving pattern), allowed without asking.
FAKE_CAMERA_ARGS = ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]
PHOTOS_LABEL = re.compile(r"^Photos:?$")
# A phone's portrait shot with a note, as the pages show them.
PORTRAIT = {"size": (480, 640), "note": "Daylight, by the window"}


def phone_photo(name: str, taken: str) -> dict:
    data = samples.jpeg((640, 480), samples.camera_exif(taken=taken))
    return {"name": name, "mimeType": "image/jpeg", "buffer": data}


def assert_images_loaded(images: Locator) -> None:
    for index in range(images.count()):
        image = images.nth(index)
        expect(image).to_be_visible()
        image.evaluate("(img) => img.decode()")
        assert image.evaluate("(img) => img.naturalWidth") > 0, image.get_attribute("src")


@pytest.mark.parametrize("phone", [True, False], ids=["360px", "1280px"])
def test_the_photo_pages_have_no_serious_accessibility_violations(
    new_page, log_in, browser_user, phone
):
    page = log_in(new_page(phone=phone), browser_user)
    first = make_photo(browser_user, angle=ProgressPhoto.Angle.FRONT, **PORTRAIT)
    make_photo(
        browser_user, angle=ProgressPhoto.Angle.FRONT, timing=ProgressPhoto.Timing.AFTER, **PORTRAIT
    )
    urls = [
        reverse("tracker:photos"),
        reverse("tracker:photo-new"),
        reverse("tracker:photo-compare"),
        reverse("tracker:photo-edit", args=[first.pk]),
        reverse("tracker:photo-delete", args=[first.pk]),
        reverse("tracker:dashboard"),
    ]
    problems = [problem for url in urls for problem in audit(page, url)]
    assert not problems, "\n".join(problems)


def test_photos_are_uploaded_found_in_the_gallery_and_compared(
    logged_in_page: Page, browser_user: User
) -> None:
    page = logged_in_page
    page.goto(reverse("tracker:dashboard"))
    page.get_by_role("link", name="Add a photo").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add progress photos")

    page.get_by_label("Front", exact=True).check()
    page.get_by_label(PHOTOS_LABEL).set_input_files(
        [
            phone_photo("IMG_0001.jpg", "2025:06:01 09:00:00"),
            phone_photo("IMG_0002.jpg", "2025:08:10 09:00:00"),
        ]
    )
    page.evaluate("window.__marker = 1")
    page.get_by_role("button", name="Upload").click()
    expect(page.locator("#photo-upload")).to_contain_text("Added 2 photos.")
    assert page.evaluate("window.__marker") == 1, "the upload reloaded the page"
    assert ProgressPhoto.objects.filter(owner=browser_user, angle="front").count() == 2

    page.get_by_role("link", name="See them in the gallery").click()
    timeline = page.locator("#photo-gallery .photo-timeline img")
    expect(timeline).to_have_count(2)
    assert_images_loaded(timeline)
    expect(page.get_by_text("1 Jun 2025", exact=True)).to_be_visible()
    expect(page.get_by_text("10 Aug 2025", exact=True)).to_be_visible()

    page.get_by_role("link", name="Compare the first and the latest").click()
    expect(page.locator(".compare-summary")).to_contain_text("10 weeks apart")
    assert_images_loaded(page.locator(".compare-pair img"))
    wipe = page.locator("[data-wipe]")
    expect(wipe).to_be_visible()
    assert_images_loaded(wipe.locator("img"))
    page.get_by_label(re.compile("^Wipe from the earlier photo")).fill("20")
    assert wipe.evaluate("(figure) => figure.style.getPropertyValue('--wipe')") == "20%"
    clip = wipe.locator(".wipe-after").evaluate("(img) => getComputedStyle(img).clipPath")
    assert "20%" in clip, clip


@pytest.fixture(scope="module")
def camera_browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(
        executable_path=chromium_path(), args=CHROMIUM_ARGS + FAKE_CAMERA_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture
def camera_page(
    camera_browser: Browser,
    live_server,
    browser_problems: list[str],
    browser_user: User,
    log_in: Callable[[Page, User], Page],
) -> Iterator[Page]:
    context = camera_browser.new_context(
        base_url=live_server.url,
        viewport=DESKTOP,
        timezone_id=TIMEZONE,
        locale="en-GB",
        permissions=["camera"],
    )
    context.set_default_timeout(5_000)
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and browser_problems.append(m.text))
    page.on("pageerror", lambda error: browser_problems.append(f"page error: {error}"))
    page.on(
        "response",
        lambda r: r.status >= 400 and browser_problems.append(f"{r.status} for {r.url}"),
    )
    yield log_in(page, browser_user)
    context.close()


def test_a_photo_is_taken_with_the_camera_over_the_last_photo_of_that_angle(
    camera_page: Page, browser_user: User
) -> None:
    page = camera_page
    last = make_photo(browser_user, angle=ProgressPhoto.Angle.LEFT, **PORTRAIT)
    portrait = last.width / last.height
    assert portrait == 3 / 4
    page.goto(reverse("tracker:photo-new"))
    page.get_by_label("Left side", exact=True).check()

    page.get_by_role("button", name="Take a photo with the camera").click()
    video = page.locator("[data-camera-video]")
    expect(video).to_be_visible()
    wait_until(page, "document.querySelector('[data-camera-video]').videoWidth > 0")
    # Chromium's test camera is landscape; the frame keeps the last photo's proportions, so
    # its outline shows whole (chin included) instead of being cut to a landscape box.
    assert page.evaluate("(v => v.videoWidth > v.videoHeight)(document.querySelector('video'))")
    overlay = page.locator("[data-camera-overlay]")
    expect(overlay).to_have_attribute("src", reverse("tracker:photo-image", args=[last.pk]))
    assert_images_loaded(overlay)
    stage = page.locator("[data-camera-stage]").bounding_box()
    assert abs(stage["width"] / stage["height"] - portrait) < 0.01
    assert overlay.bounding_box() == stage

    # Taken: a preview to check before anything joins the upload.
    files = "(input) => input.files.length"
    page.get_by_role("button", name="Take the photo").click()
    preview = page.get_by_role("img", name="The photo just taken")
    expect(preview).to_be_visible()
    assert_images_loaded(preview)
    width, height = preview.evaluate("(img) => [img.naturalWidth, img.naturalHeight]")
    assert abs(width / height - portrait) < 0.01
    expect(page.get_by_role("button", name="Use it")).to_be_focused()
    assert page.get_by_label(PHOTOS_LABEL).evaluate(files) == 0

    page.get_by_role("button", name="Retake").click()
    expect(preview).to_be_hidden()
    expect(video).to_be_visible()
    expect(overlay).to_be_visible()
    assert page.get_by_label(PHOTOS_LABEL).evaluate(files) == 0

    page.get_by_role("button", name="Take the photo").click()
    page.get_by_role("button", name="Use it").click()
    expect(page.locator("[data-camera-status]")).to_have_text("1 photo ready to upload.")
    assert page.get_by_label(PHOTOS_LABEL).evaluate(files) == 1
    # The camera is off once the photo is chosen; it can be opened again for another.
    assert page.evaluate("document.querySelector('video').srcObject") is None
    expect(page.get_by_role("button", name="Take a photo with the camera")).to_be_visible()
    page.get_by_role("button", name="Upload").click()

    expect(page.locator("#photo-upload")).to_contain_text("Added 1 photo.")
    taken = ProgressPhoto.objects.exclude(pk=last.pk).get(owner=browser_user)
    assert taken.angle == ProgressPhoto.Angle.LEFT
    assert abs(taken.width / taken.height - portrait) < 0.01
    expect(page.get_by_role("button", name="Take a photo with the camera")).to_be_visible()


def test_a_first_photo_with_the_camera_is_a_portrait_too(camera_page: Page) -> None:
    page = camera_page
    page.goto(reverse("tracker:photo-new"))
    page.get_by_role("button", name="Take a photo with the camera").click()
    wait_until(page, "document.querySelector('[data-camera-video]').videoWidth > 0")
    expect(page.locator("[data-camera-overlay]")).to_be_hidden()
    page.get_by_role("button", name="Take the photo").click()
    preview = page.get_by_role("img", name="The photo just taken")
    assert_images_loaded(preview)
    width, height = preview.evaluate("(img) => [img.naturalWidth, img.naturalHeight]")
    assert abs(width / height - 3 / 4) < 0.01


# Layout shifts as a page and its images load (Lighthouse's CLS, measured in place).
RECORD_LAYOUT_SHIFTS = """
window.__shift = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__shift += entry.value;
}).observe({ type: "layout-shift", buffered: true });
"""


@pytest.mark.parametrize("url_name", ["tracker:photos", "tracker:dashboard"])
def test_thumbnails_hold_their_place_while_they_load(
    logged_in_phone_page: Page, browser_user: User, url_name: str
) -> None:
    page = logged_in_phone_page
    for _ in range(3):
        make_photo(browser_user, angle=ProgressPhoto.Angle.FRONT, **PORTRAIT)
    # Held back until the page has been laid out without them.
    held: list[Route] = []
    # On the context: a service worker controlling the page fetches its images itself.
    page.context.route(re.compile(r"/photos/\d+/thumbnail/$"), lambda route: held.append(route))
    page.context.add_init_script(RECORD_LAYOUT_SHIFTS)
    page.goto(reverse(url_name), wait_until="domcontentloaded")
    # Lazy images load once in view: bring them there, as a person scrolling would.
    page.locator("img[src*='/thumbnail/']").last.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    assert held
    for route in held:
        route.continue_()
    images = page.locator("img[src*='/thumbnail/']")
    expect(images.first).to_be_visible()
    assert_images_loaded(images)
    assert page.evaluate("window.__shift") == 0
