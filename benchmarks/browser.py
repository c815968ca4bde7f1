"""A one-tap log in a real browser: the time from the tap to the updated week count.

Run by benchmarks.http against its gunicorn, in a process of its own (Playwright's driver and
Django stay apart), with Debian's Chromium (CHROMIUM_PATH, /usr/bin/chromium by default).
Timed in the page (performance.now() from the click to the moment the week count's text
differs), so neither the driver's round trips nor the shared cores' scheduling of this
process count. Also counts the requests each tap makes.
"""

import os
import statistics
from dataclasses import dataclass

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

TAP = """
async () => {
  const count = () => document.querySelector('[data-testid="week-count"]').textContent;
  const button = document.querySelector("form[data-offline-log] button");
  const before = count();
  return await new Promise((resolve) => {
    let start;
    const observer = new MutationObserver(() => {
      if (count() !== before) {
        observer.disconnect();
        resolve(performance.now() - start);
      }
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
    start = performance.now();
    button.click();
  });
}
"""


@dataclass(frozen=True)
class Taps:
    milliseconds: list[float]
    requests_per_tap: float

    @property
    def median_ms(self) -> float:
        return statistics.median(self.milliseconds)

    @property
    def p95_ms(self) -> float:
        return statistics.quantiles(self.milliseconds, n=20, method="inclusive")[-1]


def tap_to_week_count(port: int, cookies: dict[str, str], taps: int = 30) -> Taps:
    from playwright.sync_api import sync_playwright

    base = f"http://127.0.0.1:{port}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"),
            args=CHROMIUM_ARGS,
        )
        try:
            context = browser.new_context(base_url=base, service_workers="block")
            context.add_cookies([{"name": k, "value": v, "url": base} for k, v in cookies.items()])
            page = context.new_page()
            page.goto("/")
            page.wait_for_load_state("networkidle")
            sent = []
            page.on("request", lambda request: sent.append(request.url))
            times = []
            for _ in range(taps):
                times.append(page.evaluate(TAP))
                # Until the answer has settled and the button is back: nothing else follows.
                page.wait_for_load_state("networkidle")
                page.wait_for_selector("form[data-offline-log] button:enabled")
            return Taps(times, len(sent) / taps)
        finally:
            browser.close()
