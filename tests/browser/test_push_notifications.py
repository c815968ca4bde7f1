"""Notifications in a real browser: the permission asked only on a tap, the subscription sent
to the server, and the server's real reminder shown by the service worker.

Chromium here has no push service to reach, so `pushManager.subscribe()` is stubbed with a
subscription whose keys the test holds; the reminder the server encrypts for it goes to a
stand-in push service on loopback, is decrypted there, and is handed to the app's own service
worker (/sw.js, which imports static/js/sw-push.js) with the DevTools protocol's
`ServiceWorker.deliverPushMessage`, as a push service would.
"""

import json
import re
import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.test_accessibility import audit
from tests.browser.test_installable_app import (
    cached_urls,
    kept_cache_control,
    kept_pages,
    open_controlled,
    wait_for,
)
from tests.factories import make_reminder_plan
from tests.push_service import BrowserKeys
from tracker.models import CalendarFeed, PushSubscription, ReminderClaim
from tracker.reminders.mail import unsubscribe_token
from tracker.reminders.tasks import deliver

# Stands in for the browser's push service: a subscription with the test's keys, and a
# count of permission prompts (none may come before the button is tapped).
STUB_PUSH = """
(() => {
  window.__prompts = 0;
  const ask = Notification.requestPermission.bind(Notification);
  Notification.requestPermission = () => { window.__prompts += 1; return ask(); };
  let current = null;
  PushManager.prototype.getSubscription = async function () { return current; };
  PushManager.prototype.subscribe = async function (options) {
    if (window.__neverSettle) return new Promise(() => {});
    window.__serverKey = btoa(String.fromCharCode(...new Uint8Array(options.applicationServerKey)));
    current = {
      endpoint: %(endpoint)s,
      toJSON: () => ({endpoint: %(endpoint)s, expirationTime: null, keys: %(keys)s}),
      unsubscribe: async () => { current = null; return true; },
    };
    return current;
  };
})();
"""


@pytest.fixture
def push_page(new_page, log_in, browser_user, live_server, vapid):
    """A logged-in page whose browser may show notifications (the person said yes)."""
    page = log_in(new_page(), browser_user)
    page.context.grant_permissions(["notifications"], origin=live_server.url)
    return page


REGISTRATIONS = """async () => (await navigator.serviceWorker.getRegistrations()).map(
  (r) => [r.scope, (r.active || r.waiting || r.installing).scriptURL]
)"""


def stub_push_manager(page, keys: BrowserKeys, endpoint: str) -> None:
    page.add_init_script(
        STUB_PUSH
        % {
            "endpoint": json.dumps(endpoint),
            "keys": json.dumps({"p256dh": keys.p256dh, "auth": keys.auth}),
        }
    )


def registration_id(page, live_server) -> str:
    """The service worker registration's id, as the DevTools protocol names it."""
    cdp = page.context.new_cdp_session(page)
    found = {}
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: found.update(
            {r["scopeURL"]: r["registrationId"] for r in event["registrations"]}
        ),
    )
    cdp.send("ServiceWorker.enable")
    deadline = time.monotonic() + 5
    while live_server.url + "/" not in found and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    return cdp, found[live_server.url + "/"]


def test_a_reminder_from_the_server_shows_as_a_notification_that_opens_the_dashboard(
    push_page, browser_user, push_service, live_server, between_requests
):
    keys = BrowserKeys()
    stub_push_manager(push_page, keys, push_service.endpoint())
    push_page.goto(reverse("tracker:profile") + "#notifications")

    button = push_page.get_by_role("button", name="Turn on notifications")
    off = push_page.get_by_role("button", name="Turn off notifications on this device")
    expect(button).to_be_visible()
    expect(off).to_be_hidden()
    expect(push_page.get_by_text("needs JavaScript")).to_be_hidden()
    assert push_page.evaluate("window.__prompts") == 0
    button.click()
    expect(push_page.get_by_text("Notifications are on for this device.")).to_be_visible()
    expect(
        push_page.get_by_role("button", name="Turn off notifications on this device")
    ).to_be_visible()
    assert push_page.evaluate("window.__prompts") == 1
    # offline.js registered the app's worker on load; push.js used it, and added none.
    assert push_page.evaluate(REGISTRATIONS) == [
        [f"{live_server.url}/", f"{live_server.url}/sw.js"]
    ]

    with between_requests:
        subscription = PushSubscription.objects.get(owner=browser_user)
        assert subscription.endpoint == push_service.endpoint()
        make_reminder_plan(browser_user, by_email=False)
        [claim] = ReminderClaim.objects.claim(
            [(browser_user.pk, timezone.now() - timedelta(seconds=5))]
        )
        assert deliver(claim.pk) == "sent"
    payload = keys.decrypt(push_service.received[0].body)

    cdp, registration = registration_id(push_page, live_server)
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": live_server.url, "registrationId": registration, "data": json.dumps(payload)},
    )
    notifications = push_page.wait_for_function(
        """async () => {
          const registration = await navigator.serviceWorker.ready;
          const shown = await registration.getNotifications();
          return shown.length && shown.map(
            (n) => ({title: n.title, body: n.body, tag: n.tag, data: n.data})
          );
        }"""
    ).json_value()

    assert notifications == [
        {
            "title": "Time for your facial massage",
            "body": payload["body"],
            "tag": "facetrack-reminder",
            "data": {"url": "/"},
        }
    ]
    assert " of 2 this week" in payload["body"]

    # A tap on it: the service worker brings the app's window to the dashboard.
    [worker] = push_page.context.service_workers
    worker.evaluate(
        """async () => {
          const [shown] = await self.registration.getNotifications();
          self.dispatchEvent(new NotificationEvent("notificationclick", {notification: shown}));
        }"""
    )
    push_page.wait_for_url(live_server.url + "/")
    expect(push_page.get_by_role("heading", level=1)).to_be_visible()


def test_turning_notifications_off_forgets_this_browser(
    push_page, browser_user, push_service, between_requests
):
    stub_push_manager(push_page, BrowserKeys(), push_service.endpoint())
    push_page.goto(reverse("tracker:profile"))
    push_page.get_by_role("button", name="Turn on notifications").click()
    off = push_page.get_by_role("button", name="Turn off notifications on this device")

    off.click()

    expect(push_page.get_by_text("Notifications are off for this device.")).to_be_visible()
    with between_requests:
        assert not PushSubscription.objects.exists()


def test_a_push_service_out_of_reach_is_reported_instead_of_spinning(
    push_page, push_service, between_requests
):
    stub_push_manager(push_page, BrowserKeys(), push_service.endpoint())
    push_page.goto(reverse("tracker:profile"))
    push_page.evaluate(
        "window.__neverSettle = true; document.getElementById('push').dataset.timeoutMs = 500"
    )

    push_page.get_by_role("button", name="Turn on notifications").click()

    expect(
        push_page.get_by_text("Your browser's push service could not be reached.")
    ).to_be_visible()
    expect(push_page.get_by_role("button", name="Try again")).to_be_enabled()
    with between_requests:
        assert not PushSubscription.objects.exists()


def test_the_worker_never_keeps_settings_or_the_unsubscribe_page(
    push_page, browser_user, between_requests
):
    with between_requests:
        make_reminder_plan(browser_user)
        feed = CalendarFeed.objects.issue(browser_user)
        unsubscribe = reverse(
            "tracker:reminder-unsubscribe", args=[unsubscribe_token(browser_user)]
        )
    open_controlled(push_page, reverse("tracker:dashboard"))
    push_page.goto(reverse("tracker:profile"))
    expect(push_page.get_by_label("Your calendar address")).to_have_value(re.compile(feed.token))
    push_page.goto(unsubscribe)
    push_page.goto(reverse("tracker:history"))
    wait_for(
        push_page,
        "caches.keys().then(names => Promise.all(names.map(n => caches.open(n)"
        ".then(c => c.keys())))).then(all => all.flat().some(r => r.url.endsWith('/sessions/')))",
        "the history page is kept",
    )

    kept = kept_pages(push_page)
    assert not [url for url in kept if "/profile/" in url or "/reminders/" in url], kept
    assert kept_cache_control(push_page, reverse("tracker:profile")) is None
    assert feed.token not in " ".join(cached_urls(push_page))

    push_page.context.set_offline(True)
    push_page.goto(reverse("tracker:profile"))
    expect(push_page.get_by_role("heading", level=1)).to_have_text("You are offline")


def test_the_reminder_settings_have_no_serious_accessibility_violations(
    new_page, log_in, browser_user, vapid, between_requests
):
    with between_requests:
        browser_user.email = "alice@example.org"
        browser_user.save()
        make_reminder_plan(browser_user, days=[0, 3], mode="behind")
        CalendarFeed.objects.issue(browser_user)
    page = log_in(new_page(phone=True), browser_user)

    problems = audit(page, reverse("tracker:profile"))

    assert not problems, "\n".join(problems)
