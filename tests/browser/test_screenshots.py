"""Full-page screenshots of every main page at 360 and 1280 px, light and dark, into
screenshots/ to look at (`<page>-<width>.png`, `<page>-dark-<width>.png`)."""

from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from playwright.sync_api import Page, expect

from tests.browser.conftest import PageFactory
from tests.browser.test_photos_flow import PORTRAIT
from tests.factories import make_experiment, make_photo
from tracker.models import Experiment, MassageSession, ProgressPhoto, Routine

# The pages a visitor sees, by their URL names.
LOGGED_OUT = {
    "signup": "signup",
    "login": "login",
    "reset-password": "account_reset_password",
    "login-code": "account_request_login_code",
}


def shoot(page: Page, url: str, path: Path) -> None:
    page.goto(url)
    expect(page.locator("h1")).to_have_count(1)
    page.screenshot(path=path, full_page=True)


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
@pytest.mark.parametrize("phone", [True, False], ids=["360px", "1280px"])
def test_every_main_page_renders_for_a_screenshot(
    new_page: PageFactory,
    log_in,
    browser_user: User,
    routine: Routine,
    history: list[MassageSession],
    screenshots_dir: Path,
    phone: bool,
    color_scheme: str,
) -> None:
    width = 360 if phone else 1280
    suffix = f"-dark-{width}" if color_scheme == "dark" else f"-{width}"
    page = new_page(phone=phone, color_scheme=color_scheme)
    for name, url_name in LOGGED_OUT.items():
        shoot(page, reverse(url_name), screenshots_dir / f"{name}{suffix}.png")

    log_in(page, browser_user)
    make_photo(browser_user, angle=ProgressPhoto.Angle.FRONT, **PORTRAIT)
    make_photo(
        browser_user, angle=ProgressPhoto.Angle.FRONT, timing=ProgressPhoto.Timing.AFTER, **PORTRAIT
    )
    experiment = make_experiment(
        browser_user, change=Experiment.Change.ROUTINE, routine=routine, weeks=4
    )
    pages = {
        "dashboard": reverse("tracker:dashboard"),
        "history": reverse("tracker:history"),
        "year": reverse("tracker:year"),
        "session-detail": reverse("tracker:session-detail", args=[history[0].pk]),
        "log-session": reverse("tracker:session-new"),
        "routines": reverse("tracker:routine-list"),
        "routine-detail": reverse("tracker:routine-detail", args=[routine.pk]),
        "routine-guide": reverse("tracker:routine-guide", args=[routine.pk]),
        "photos": reverse("tracker:photos"),
        "photo-new": reverse("tracker:photo-new"),
        "photo-compare": reverse("tracker:photo-compare"),
        "insights": reverse("tracker:insights"),
        "experiments": reverse("tracker:experiments"),
        "experiment-detail": reverse("tracker:experiment-detail", args=[experiment.pk]),
        "tools": reverse("tracker:gear"),
        "sources": reverse("tracker:sources"),
        "health-check": reverse("tracker:health-check"),
        "settings": reverse("tracker:profile"),
        "welcome": reverse("welcome"),
        "email": reverse("account_email"),
        "two-step": reverse("mfa_index"),
        "confirm-its-you": reverse("account_reauthenticate"),
    }
    for name, url in pages.items():
        shoot(page, url, screenshots_dir / f"{name}{suffix}.png")
