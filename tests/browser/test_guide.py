"""A guided session in a real browser: step by step with a countdown, the screen kept on, a
chime at each step, a locked phone caught up with, then the time actually spent logged."""

import re
import time

import pytest
from django.urls import reverse
from playwright.sync_api import Page, Route, expect

from tests.browser.conftest import PHONE, wait_until
from tests.browser.test_accessibility import audit
from tracker.models import MassageSession, Routine

# Stand-ins for the APIs a headless browser cannot really use (or hear): each call is recorded
# in window.__calls, so a test can say what the page asked for.
STUB_WAKE_LOCK = """
window.__calls = window.__calls || [];
Object.defineProperty(navigator, "wakeLock", { configurable: true, value: {
  request(type) {
    window.__calls.push("wake:request:" + type);
    const sentinel = new EventTarget();
    sentinel.released = false;
    sentinel.release = () => {
      if (!sentinel.released) {
        sentinel.released = true;
        window.__calls.push("wake:release");
        sentinel.dispatchEvent(new Event("release"));
      }
      return Promise.resolve();
    };
    window.__sentinel = sentinel;
    return Promise.resolve(sentinel);
  },
}});
"""

STUB_SOUND_AND_VIBRATION = """
window.__calls = window.__calls || [];
class FakeParam { setValueAtTime() {} exponentialRampToValueAtTime() {} }
class FakeNode { connect() {} }
class FakeAudioContext {
  constructor() { this.state = "running"; this.currentTime = 0; this.destination = new FakeNode(); }
  resume() { return Promise.resolve(); }
  createGain() { const node = new FakeNode(); node.gain = new FakeParam(); return node; }
  createOscillator() {
    const node = new FakeNode();
    node.frequency = { value: 0 };
    node.start = () => window.__calls.push("chime:" + node.frequency.value);
    node.stop = () => {};
    return node;
  }
}
window.AudioContext = FakeAudioContext;
navigator.vibrate = (pattern) => {
  window.__calls.push("vibrate:" + JSON.stringify(pattern));
  return true;
};
"""

# Layout shifts as the page loads and its script starts (Lighthouse's CLS, measured in place).
RECORD_LAYOUT_SHIFTS = """
window.__shift = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__shift += entry.value;
}).observe({ type: "layout-shift", buffered: true });
"""


def guide_url(routine: Routine) -> str:
    return reverse("tracker:routine-guide", kwargs={"pk": routine.pk})


def calls(page: Page) -> list[str]:
    return page.evaluate("window.__calls.splice(0)")


def position(page: Page):
    return page.locator("[data-guide-position]")


def test_a_routine_is_done_step_by_step_and_logged_at_the_end(logged_in_phone_page, routine):
    page = logged_in_phone_page
    steps = list(routine.steps.all())
    page.goto(guide_url(routine))

    expect(position(page)).to_have_text(f"Step 1 of {len(steps)}")
    expect(page.locator("[data-guide-clock]")).to_have_text("1:00")
    expect(page.get_by_role("button", name="Previous step")).to_be_disabled()
    page.get_by_role("button", name="Start").click()
    expect(page.get_by_role("button", name="Pause")).to_be_visible()
    # The countdown runs: a second later the clock has moved.
    expect(page.locator("[data-guide-clock]")).not_to_have_text("1:00", timeout=3_000)
    page.get_by_role("button", name="Pause").click()
    expect(page.get_by_role("button", name="Resume")).to_be_visible()

    for number in range(2, len(steps) + 1):
        page.get_by_role("button", name="Next step").click()
        expect(position(page)).to_have_text(f"Step {number} of {len(steps)}")
    page.get_by_role("button", name="Previous step").click()
    expect(position(page)).to_have_text(f"Step {len(steps) - 1} of {len(steps)}")
    page.get_by_role("button", name="Next step").click()
    page.get_by_role("button", name="Next step").click()
    expect(position(page)).to_have_text("All steps done")

    log = page.get_by_role("button", name="Log this session")
    expect(log).to_be_focused()
    log.click()
    # The end screen logs in place, then asks one more tap: how did the skin react?
    status = page.locator("#log-status")
    expect(status).to_contain_text("Logged")
    status.get_by_role("button", name="No reaction").click()
    expect(status).to_contain_text("Recorded: no reaction.")
    page.get_by_role("link", name="Today").click()
    expect(page).to_have_url(re.compile(r"^https?://[^/]+/$"))
    expect(page.locator("[data-testid=week-count]")).to_have_text("1")


def late(route: Route) -> None:
    """Hold a script back, as a slow phone's network does, so the page paints before it runs."""
    time.sleep(0.4)
    route.continue_()


@pytest.mark.parametrize(
    "viewport",
    [PHONE, {"width": 412, "height": 823}, {"width": 1280, "height": 800}],
    ids=["360px", "lighthouse-mobile", "1280px"],
)
def test_the_timer_frame_comes_from_the_server_so_nothing_moves_as_the_script_starts(
    logged_in_phone_page, routine, viewport
):
    page = logged_in_phone_page
    page.set_viewport_size(viewport)
    page.context.add_init_script(RECORD_LAYOUT_SHIFTS)
    # Lighthouse's slow phone paints the server's page before guide.js runs: so does this one,
    # or a script that rebuilt the frame would do it before the first paint, and move nothing.
    page.route("**/static/js/guide*.js", late)
    first = routine.steps.first()
    page.goto(guide_url(routine))
    wait_until(page, "performance.getEntriesByName('first-contentful-paint').length > 0")
    # The script has run (it exposes its functions) and the frame it filled in is the same.
    wait_until(page, "window.FacetrackGuide !== undefined")
    page.wait_for_timeout(300)
    assert page.evaluate("window.__shift") == 0
    expect(page.locator("[data-guide-title]")).to_contain_text(first.get_technique_display())
    expect(page.locator("[data-guide-clock]")).to_have_text("1:00")


def test_without_javascript_the_timer_is_hidden_and_the_log_button_logs_the_routine(
    browser, live_server, log_in, browser_user, routine
):
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, java_script_enabled=False
    )
    try:
        page = log_in(context.new_page(), browser_user)
        page.goto(guide_url(routine))
        expect(page.locator("[data-guide]")).to_be_hidden()
        expect(page.locator("[data-guide-steps] > li")).to_have_count(routine.steps.count())
        page.get_by_role("button", name="Log this session").click()
        expect(page.locator(".messages")).to_contain_text(f"Logged {routine.minutes()} minutes.")
    finally:
        context.close()


def test_the_screen_is_kept_on_while_running_and_let_go_on_pause_end_and_leaving(
    logged_in_phone_page, routine
):
    page = logged_in_phone_page
    page.context.add_init_script(STUB_WAKE_LOCK)
    page.goto(guide_url(routine))
    wait_until(page, "window.FacetrackGuide !== undefined")
    assert calls(page) == []

    page.get_by_role("button", name="Start").click()
    expect(page.get_by_role("button", name="Pause")).to_be_visible()
    assert calls(page) == ["wake:request:screen"]
    page.get_by_role("button", name="Pause").click()
    assert calls(page) == ["wake:release"]

    # The browser lets go of the lock when the page is hidden; back on it, it is taken again.
    page.get_by_role("button", name="Resume").click()
    assert calls(page) == ["wake:request:screen"]
    page.evaluate("""() => {
        const seen = (state) => {
            Object.defineProperty(document, "visibilityState", {value: state, configurable: true});
            document.dispatchEvent(new Event("visibilitychange"));
        };
        window.__sentinel.release();
        seen("hidden");
        seen("visible");
    }""")
    assert calls(page) == ["wake:release", "wake:request:screen"]

    # Leaving the page lets go.
    page.evaluate("window.dispatchEvent(new PageTransitionEvent('pagehide'))")
    assert calls(page) == ["wake:release"]

    # So does the end of the last step.
    page.get_by_role("button", name="Pause").click()
    page.get_by_role("button", name="Resume").click()
    assert calls(page) == ["wake:request:screen"]
    for _ in range(routine.steps.count()):
        page.get_by_role("button", name="Next step").click()
    expect(position(page)).to_have_text("All steps done")
    assert calls(page) == ["wake:release"]


def test_a_real_wake_lock_is_taken_when_the_permission_is_granted(
    logged_in_phone_page, routine, live_server
):
    page = logged_in_phone_page
    cdp = page.context.new_cdp_session(page)
    cdp.send(
        "Browser.grantPermissions",
        {"permissions": ["wakeLockScreen"], "origin": live_server.url},
    )
    # A spy on the real API: it keeps the sentinels the page gets.
    page.context.add_init_script("""
        const request = navigator.wakeLock.request.bind(navigator.wakeLock);
        window.__sentinels = [];
        navigator.wakeLock.request = (type) => request(type).then((s) => {
            window.__sentinels.push(s); return s; });
    """)
    page.goto(guide_url(routine))
    page.get_by_role("button", name="Start").click()
    wait_until(page, "window.__sentinels.length === 1")
    assert page.evaluate("window.__sentinels[0].released") is False
    page.get_by_role("button", name="Pause").click()
    wait_until(page, "window.__sentinels[0].released === true")


def test_each_step_change_chimes_and_vibrates_unless_muted_and_the_mute_is_remembered(
    logged_in_phone_page, routine
):
    page = logged_in_phone_page
    page.context.add_init_script(STUB_SOUND_AND_VIBRATION)
    page.clock.install()
    page.goto(guide_url(routine))
    sound = page.get_by_role("switch", name="Chime at each step")
    expect(sound).to_be_checked()

    page.get_by_role("button", name="Start").click()
    assert calls(page) == []
    # The first step (60 s) runs out on its own.
    page.clock.run_for(61_000)
    expect(position(page)).to_have_text(re.compile("^Step 2 of"))
    assert calls(page) == ["vibrate:150", "chime:880"]

    page.get_by_role("button", name="Next step").click()
    assert calls(page) == ["vibrate:150", "chime:880"]

    sound.uncheck()
    page.get_by_role("button", name="Previous step").click()
    assert calls(page) == ["vibrate:150"]

    # Remembered on this device.
    page.reload()
    expect(page.get_by_role("switch", name="Chime at each step")).not_to_be_checked()
    assert page.evaluate("localStorage.getItem('facetrack.guide.sound')") == "off"


def test_the_current_step_is_worked_out_from_the_time_passed(logged_in_phone_page, routine):
    page = logged_in_phone_page
    page.goto(guide_url(routine))
    wait_until(page, "window.FacetrackGuide !== undefined")
    advance = "([d, i, into, s]) => window.FacetrackGuide.advance(d, i, into, s)"

    # 130 s from the start of 60 + 60 + 60: 10 s into the third step.
    moved = page.evaluate(advance, [[60, 60, 60], 0, 0, 130])
    assert moved == {"index": 2, "into": 10, "spent": [60, 60, 10], "finished": False}
    # From 50 s into the first step, 5 s: still the first.
    moved = page.evaluate(advance, [[60, 60, 60], 0, 50, 5])
    assert moved == {"index": 0, "into": 55, "spent": [5, 0, 0], "finished": False}
    # A step that ends exactly moves on; a gap longer than what is left finishes.
    assert page.evaluate(advance, [[60, 60], 0, 0, 60])["index"] == 1
    assert page.evaluate(advance, [[60, 60], 1, 30, 600]) == {
        "index": 1,
        "into": 60,
        "spent": [0, 30],
        "finished": True,
    }
    done = page.evaluate(
        "([d, s]) => window.FacetrackGuide.stepsDone(d, s)", [[60, 90, 60], [60, 44, 30]]
    )
    assert done == [0, 2]
    assert page.evaluate("window.FacetrackGuide.minutesSpent(20)") == 1
    assert page.evaluate("window.FacetrackGuide.minutesSpent(150)") == 3


def test_a_phone_locked_for_several_steps_lands_on_the_right_step(logged_in_phone_page, routine):
    page = logged_in_phone_page
    seconds = [step.seconds for step in routine.steps.all()]
    assert seconds[:3] == [60, 90, 60], "the test below counts on the first starter's steps"
    page.clock.install()
    page.goto(guide_url(routine))
    page.get_by_role("button", name="Start").click()
    # The screen goes off: no tick for 200 s, then one (60 + 90 = 150, 50 s into step 3).
    page.clock.fast_forward(200_000)
    expect(position(page)).to_have_text(f"Step 3 of {len(seconds)}")
    expect(page.locator("[data-guide-clock]")).to_have_text("0:10")
    expect(page.locator("[data-guide-status]")).to_contain_text("Moved on to step 3")


def test_the_time_actually_spent_and_the_steps_done_are_logged(
    logged_in_phone_page, routine, browser_user, between_requests
):
    page = logged_in_phone_page
    steps = list(routine.steps.select_related("tool"))
    page.clock.install()
    page.goto(guide_url(routine))
    page.get_by_role("button", name="Start").click()
    # The whole first step (60 s), then 10 s of the second: then skip to the end.
    page.clock.run_for(70_000)
    expect(position(page)).to_have_text(re.compile("^Step 2 of"))
    for _ in range(len(steps) - 1):
        page.get_by_role("button", name="Next step").click()
    expect(position(page)).to_have_text("All steps done")
    expect(page.locator("[data-guide-summary]")).to_contain_text(
        f"1 minute and the 1 of {len(steps)} steps done"
    )
    page.get_by_role("button", name="Log this session").click()
    # Logged in place (htmx), the guided fields sent with it.
    expect(page.locator("#log-status")).to_contain_text(f"Logged 1 minute of {routine.name}")

    with between_requests:
        session = MassageSession.objects.get(owner=browser_user)
        assert session.minutes == 1
        assert session.techniques == [steps[0].technique]
        assert session.areas == [steps[0].area]
        assert list(session.tools.all()) == [steps[0].tool]


# Safari on iPhone has no Fullscreen API for a page's own elements.
NO_FULLSCREEN_API = """
Object.defineProperty(Document.prototype, "fullscreenEnabled", { get: () => false });
"""


@pytest.mark.parametrize("api", [True, False], ids=["fullscreen-api", "no-fullscreen-api"])
def test_full_screen_mode_covers_the_screen_and_ends_with_the_last_step(
    logged_in_phone_page, routine, api
):
    page = logged_in_phone_page
    if not api:
        page.context.add_init_script(NO_FULLSCREEN_API)
    page.goto(guide_url(routine))
    full = page.get_by_role("button", name="Full screen")
    panel = page.locator("[data-guide]")

    full.click()
    expect(full).to_have_attribute("aria-pressed", "true")
    if api:
        wait_until(page, "document.fullscreenElement?.matches('[data-guide]')")
    else:
        assert page.evaluate("document.fullscreenElement") is None
    assert panel.bounding_box() == {"x": 0, "y": 0, **PHONE}
    full.click()
    expect(full).to_have_attribute("aria-pressed", "false")
    wait_until(page, "document.fullscreenElement === null")
    assert panel.bounding_box()["width"] < PHONE["width"]

    full.click()
    if not api:
        page.keyboard.press("Escape")
        expect(full).to_have_attribute("aria-pressed", "false")
        full.click()
    for _ in range(routine.steps.count()):
        page.get_by_role("button", name="Next step").click()
    expect(full).to_have_attribute("aria-pressed", "false")
    wait_until(page, "document.fullscreenElement === null")
    expect(page.get_by_role("button", name="Log this session")).to_be_focused()


def test_the_guide_has_no_serious_accessibility_violations(logged_in_page, routine):
    problems = audit(logged_in_page, guide_url(routine))
    assert not problems, "\n".join(problems)
