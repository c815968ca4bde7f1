"""Issue 3's story in a real browser: upload photos, find them in the gallery, compare two, and
take one with the camera, lined up on the last photo of the same angle."""

import re
from collections.abc import Callable, Iterator

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from playwright.sync_api import Browser, Locator, Page, Playwright, expect

from tests import photo_samples as samples
from tests.browser.conftest import CHROMIUM_ARGS, DESKTOP, TIMEZONE, chromium_path
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
    page.goto(reverse("tracker:photo-new"))
    page.get_by_label("Left side", exact=True).check()

    page.get_by_role("button", name="Take a photo with the camera").click()
    video = page.locator("[data-camera-video]")
    expect(video).to_be_visible()
    page.wait_for_function("document.querySelector('[data-camera-video]').videoWidth > 0")
    overlay = page.locator("[data-camera-overlay]")
    expect(overlay).to_have_attribute("src", reverse("tracker:photo-image", args=[last.pk]))
    assert_images_loaded(overlay)

    page.get_by_role("button", name="Take the photo").click()
    expect(page.locator("[data-camera-status]")).to_have_text("1 photo ready to upload.")
    assert page.get_by_label(PHOTOS_LABEL).evaluate("(input) => input.files.length") == 1
    page.get_by_role("button", name="Upload").click()

    expect(page.locator("#photo-upload")).to_contain_text("Added 1 photo.")
    taken = ProgressPhoto.objects.exclude(pk=last.pk).get(owner=browser_user)
    assert taken.angle == ProgressPhoto.Angle.LEFT
    assert taken.width > 0 and taken.height > 0
    # The camera is off once the photo is sent; the new form offers it again.
    assert page.evaluate("document.querySelector('video').srcObject") is None
    expect(page.get_by_role("button", name="Take a photo with the camera")).to_be_visible()
