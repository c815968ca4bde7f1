"""Full-page screenshots of every main page at 360 and 1280 px, into screenshots/ to look at."""

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.conftest import PageFactory
from tests.browser.test_photos_flow import PORTRAIT
from tests.factories import make_photo
from tracker.models import MassageSession, ProgressPhoto, Routine


def shoot(page: Page, url: str, path: Path) -> None:
    page.goto(url)
    expect(page.locator("h1")).to_have_count(1)
    page.screenshot(path=path, full_page=True)


@pytest.mark.parametrize("phone", [True, False], ids=["360px", "1280px"])
def test_every_main_page_renders_for_a_screenshot(
    new_page: PageFactory,
    log_in,
    browser_user: User,
    routine: Routine,
    history: list[MassageSession],
    screenshots_dir: Path,
    phone: bool,
) -> None:
    width = 360 if phone else 1280
    page = new_page(phone=phone)
    for name in ["signup", "login"]:
        shoot(page, reverse(name), screenshots_dir / f"{name}-{width}.png")

    log_in(page, browser_user)
    make_photo(browser_user, angle=ProgressPhoto.Angle.FRONT, **PORTRAIT)
    make_photo(
        browser_user, angle=ProgressPhoto.Angle.FRONT, timing=ProgressPhoto.Timing.AFTER, **PORTRAIT
    )
    pages = {
        "dashboard": reverse("tracker:dashboard"),
        "history": reverse("tracker:history"),
        "routines": reverse("tracker:routine-list"),
        "routine-detail": reverse("tracker:routine-detail", args=[routine.pk]),
        "routine-guide": reverse("tracker:routine-guide", args=[routine.pk]),
        "tools": reverse("tracker:gear"),
        "sources": reverse("tracker:sources"),
        "health-check": reverse("tracker:health-check"),
        "settings": reverse("tracker:profile"),
        "log-session": reverse("tracker:session-new"),
        "photos": reverse("tracker:photos"),
        "photo-new": reverse("tracker:photo-new"),
        "photo-compare": reverse("tracker:photo-compare"),
    }
    for name, url in pages.items():
        shoot(page, url, screenshots_dir / f"{name}-{width}.png")

    dark = log_in(new_page(phone=phone, color_scheme="dark"), browser_user)
    shoot(dark, pages["dashboard"], screenshots_dir / f"dashboard-dark-{width}.png")
