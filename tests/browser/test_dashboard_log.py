"""Issue 14 on a 360 px phone: the detailed log keeps the person where the answer is."""

import threading
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from tests.browser.conftest import PageFactory
from tracker.models import MassageSession, Routine


def is_focused(locator: Locator) -> bool:
    return locator.evaluate("element => element === document.activeElement")


def open_detailed_form(page: Page) -> Locator:
    page.get_by_text("Log with details, or a past session").click()
    form = page.locator("#session-form form")
    expect(form.get_by_label("Minutes")).to_be_visible()
    return form


def test_errors_and_the_confirmation_take_the_focus_and_the_form_folds_away_with_an_undo(
    logged_in_phone_page: Page,
    routine: Routine,
    history: list[MassageSession],
    between_requests: threading.Lock,
) -> None:
    page = logged_in_phone_page
    page.goto(reverse("tracker:dashboard"))
    form = open_detailed_form(page)

    # 0 minutes, sent from the foot of the long form: the error is on screen, its field focused.
    form.get_by_label("Minutes").fill("0")
    form.get_by_role("button", name="Log session").click()
    minutes = page.locator("#session-form").get_by_label("Minutes")
    expect(page.get_by_text("A session lasts at least 1 minute.")).to_be_in_viewport()
    expect(minutes).to_be_focused()

    # A time ahead of the clock: the same, for the When field.
    minutes.fill("12")
    tomorrow = timezone.localtime() + timedelta(days=1)
    page.locator("#session-form").get_by_label("When").fill(tomorrow.strftime("%Y-%m-%dT%H:%M"))
    page.locator("#session-form").get_by_role("button", name="Log session").click()
    expect(page.get_by_text("That is in the future")).to_be_in_viewport()
    expect(page.locator("#session-form").get_by_label("When")).to_be_focused()

    # A good one: the form folds away, the confirmation takes the focus, on screen, with Undo.
    now = timezone.localtime() - timedelta(minutes=5)
    page.locator("#session-form").get_by_label("When").fill(now.strftime("%Y-%m-%dT%H:%M"))
    page.locator("#session-form").get_by_role("button", name="Log session").click()
    confirmation = page.locator("#log-status .message-success")
    expect(confirmation).to_contain_text("Logged 12 minutes")
    expect(confirmation).to_be_in_viewport()
    expect(confirmation).to_be_focused()
    expect(page.locator("#full-log")).not_to_have_attribute("open", "")
    expect(page.locator("#session-form form")).to_have_count(0)
    with between_requests:
        logged = MassageSession.objects.get(minutes=12)

    page.locator("#log-status").get_by_role("button", name="Undo").click()
    expect(page.locator("#log-status")).to_contain_text("no longer logged")
    with between_requests:
        assert not MassageSession.objects.filter(pk=logged.pk).exists()

    # Opened again, the form is a fresh one.
    form = open_detailed_form(page)
    expect(form.get_by_label("Minutes")).not_to_have_value("0")


def test_choosing_a_routine_ticks_its_steps_and_the_person_can_untick_them(
    logged_in_phone_page: Page, routine: Routine, between_requests: threading.Lock
) -> None:
    page = logged_in_phone_page
    page.goto(reverse("tracker:dashboard"))
    form = open_detailed_form(page)
    with between_requests:
        steps = routine.step_details()

    form.get_by_label("Routine").select_option(label=routine.name)
    steps_part = page.locator("#routine-steps")
    expect(steps_part).to_contain_text(f"Filled in from the steps of {routine.name}")
    checked = steps_part.locator('input[name="techniques"]:checked')
    expect(checked).to_have_count(len(steps["techniques"]))
    # Untick every area: what the person says stands, even nothing.
    for box in steps_part.locator('input[name="areas"]').all():
        box.uncheck()
    page.locator("#session-form").get_by_role("button", name="Log session").click()
    expect(page.locator("#log-status")).to_contain_text("Logged")

    with between_requests:
        session = MassageSession.objects.get()
        assert session.routine_id == routine.pk
        assert sorted(session.techniques) == sorted(steps["techniques"])
        assert session.areas == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("phone", [True, False], ids=["360px", "1280px"])
def test_the_dashboard_renders_light_and_dark_for_a_look(
    new_page: PageFactory,
    log_in,
    browser_user: User,
    routine: Routine,
    history: list[MassageSession],
    screenshots_dir: Path,
    phone: bool,
    scheme: str,
) -> None:
    page = new_page(phone=phone, color_scheme=scheme)
    log_in(page, browser_user)
    page.goto(reverse("tracker:dashboard"))
    page.evaluate("document.querySelector('.chart-table').open = true")
    width = 360 if phone else 1280
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    # The chart's table fits its card: no column cut off ("On targe") behind a scroll.
    table = page.locator(".chart-table")
    assert table.evaluate("details => details.scrollWidth <= details.clientWidth")
    assert table.locator("table").evaluate(
        "table => table.getBoundingClientRect().right"
        " <= table.closest('.card').getBoundingClientRect().right"
    )
    # The one-tap button's "N min, now" stays on one line.
    minutes = page.locator(".quick-log-minutes").first
    lines = """span => {
        const text = document.createRange();
        text.selectNodeContents(span);
        return new Set([...text.getClientRects()].map(rect => Math.round(rect.top))).size;
    }"""
    assert minutes.evaluate(lines) == 1
    page.screenshot(path=screenshots_dir / f"dashboard-{scheme}-{width}.png", full_page=True)


def test_a_first_visit_shows_one_next_step_and_what_the_charts_will_show(
    new_page: PageFactory, log_in, browser_user: User, screenshots_dir: Path
) -> None:
    page = new_page(phone=True)
    log_in(page, browser_user)
    page.goto(reverse("tracker:dashboard"))

    expect(page.get_by_role("link", name="Copy a starter routine")).to_be_in_viewport()
    expect(page.locator(".chart-card")).to_contain_text("Each week you log gets a bar here")
    expect(page.locator(".calendar-card")).to_contain_text("The days you massage light up here")
    expect(page.locator("table.calendar")).to_have_count(0)
    page.screenshot(path=screenshots_dir / "dashboard-first-visit-360.png", full_page=True)
    page.get_by_role("link", name="Copy a starter routine").click()
    expect(page.get_by_role("heading", name="Starter routines")).to_be_visible()
