"""Web Push: subscriptions checked and stored, reminders encrypted, signed and delivered."""

import json
import socket
import time
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.urls import reverse
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests.push_service import BrowserKeys, check_vapid
from tests.reminder_helpers import MONDAY_EIGHT_PARIS, make_plan, run_worker
from tests.test_reminders_scheduler import at
from tracker.models import PushSubscription, ReminderClaim
from tracker.reminders import push
from tracker.reminders.due import Message
from tracker.reminders.scheduler import run_once

SUBSCRIBE = "tracker:push-subscribe"
FCM = "https://fcm.googleapis.com/fcm/send/dGVzdA:APA91bHtest"


def subscribe(owner, endpoint: str, keys: BrowserKeys | None = None) -> PushSubscription:
    keys = keys or BrowserKeys()
    return PushSubscription.objects.subscribe(
        owner,
        endpoint=endpoint,
        p256dh=keys.p256dh,
        auth=keys.auth,
        server_key=django_settings.VAPID_PUBLIC_KEY,
    )


def post_json(client, body, **extra):
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    return client.post(reverse(SUBSCRIBE), data=data, content_type="application/json", **extra)


# The endpoint rules -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "endpoint",
    [
        FCM,
        "https://android.googleapis.com/gcm/send/abc",
        "https://updates.push.services.mozilla.com/wpush/v2/gAAAAABk",
        "https://web.push.apple.com/QGz1mF6hZs9vQ",
        "https://wns2-par02p.notify.windows.com/w/?token=BQYAAAB",
    ],
)
def test_the_known_push_services_are_accepted(endpoint, settings):
    push.check_endpoint(endpoint)


@pytest.mark.parametrize(
    "endpoint",
    [
        "http://fcm.googleapis.com/fcm/send/abc",  # not https
        "https://fcm.googleapis.com.evil.example/x",
        "https://evilfcm.googleapis.com/x",
        "https://example.com/push",
        "https://127.0.0.1/push",
        "https://10.0.0.7/push",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/push",
        "https://localhost/push",
        "http://127.0.0.1:8000/push",  # loopback only when a test allows it
        "https://user:secret@fcm.googleapis.com/fcm/send/abc",
        "https://fcm.googleapis.com:8443/fcm/send/abc",
        "https://fcm.googleapis.com/fcm/send/abc#fragment",
        "https://fcm.googleapis.com/fcm/send/a b",
        "https://fcm.googleapis.com/fcm/send/ä",
        "javascript:alert(1)",
        "file:///etc/passwd",
        "https://fcm.googleapis.com/" + "a" * 1100,
    ],
)
def test_anything_else_is_refused(endpoint):
    with pytest.raises(push.SubscriptionRefused):
        push.check_endpoint(endpoint)


@pytest.mark.parametrize("address", ["10.1.2.3", "127.0.0.1", "169.254.169.254", "::1", "fd00::1"])
def test_a_push_service_name_that_resolves_to_a_private_address_gets_nothing(
    address, vapid, monkeypatch, settings, user
):
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    monkeypatch.setattr(
        socket, "getaddrinfo", lambda *a, **k: [(family, socket.SOCK_STREAM, 6, "", (address, 443))]
    )
    settings.PUSH_ALLOW_LOOPBACK_FOR_TESTS = False
    posted = []
    monkeypatch.setattr(push, "webpush", lambda *a, **k: posted.append(a))

    outcome = push.send(subscribe(user, FCM), {"title": "t"}, ttl=60)

    assert outcome == push.Outcome.REFUSED
    assert posted == []


# Sending ------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_reminder_reaches_the_push_service_encrypted_signed_and_with_its_headers(
    make_user, vapid, push_service, settings
):
    _, public_key = vapid
    owner = make_user("alice", timezone="Europe/Paris")
    keys = BrowserKeys()
    subscribe(owner, push_service.endpoint(), keys)
    with at(MONDAY_EIGHT_PARIS - timedelta(hours=10)):
        make_plan(owner, by_email=False)

    with at(MONDAY_EIGHT_PARIS + timedelta(seconds=1)):
        run_once()
        run_worker()

    assert len(push_service.received) == 1
    request = push_service.received[0]
    assert request.path == "/push/browser-1"
    assert keys.decrypt(request.body) == {
        "title": "Time for your facial massage",
        "body": "0 of 2 this week, 7 days left.",
        "url": "/",
        "tag": "facetrack-reminder",
    }
    headers = request.headers
    assert headers["content-encoding"] == "aes128gcm"
    assert headers["urgency"] == "normal"
    assert headers["topic"] == "facetrack-reminder"
    assert push.MIN_TTL <= int(headers["ttl"]) <= 24 * 3600
    sent_at = (MONDAY_EIGHT_PARIS + timedelta(seconds=1)).timestamp()
    check_vapid(headers, public_key, push_service.origin, settings.VAPID_SUBJECT, sent_at)
    claim = ReminderClaim.objects.get()
    assert claim.status == "sent"
    assert claim.delivered == [f"push:{PushSubscription.objects.get().pk}"]


def now_minus(**delta):
    from django.utils import timezone

    return timezone.now() - timedelta(**delta)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("status", [404, 410])
def test_a_subscription_the_push_service_calls_gone_is_deleted(
    status, make_user, vapid, push_service
):
    owner = make_user("alice")
    subscribe(owner, push_service.endpoint("gone"))
    kept = subscribe(owner, push_service.endpoint("kept"))
    push_service.answers = [status]
    ReminderClaim.objects.claim([(owner.pk, now_minus(seconds=5))])
    make_plan(owner, by_email=False)
    send_claimed()

    assert list(PushSubscription.objects.all()) == [kept]
    assert ReminderClaim.objects.get().delivered == [f"push:{kept.pk}"]


def send_claimed() -> None:
    from tracker.reminders.tasks import send_reminder

    for claim in ReminderClaim.objects.all():
        send_reminder.enqueue(claim.pk)
    run_worker()


@pytest.mark.django_db(transaction=True)
def test_a_push_service_error_is_retried_and_what_went_out_is_not_sent_again(
    make_user, vapid, push_service, settings
):
    settings.REMINDER_RETRY_DELAYS = (0, 0)
    owner = make_user("alice")
    owner.email = "alice@example.org"
    owner.save()
    subscribe(owner, push_service.endpoint())
    push_service.answers = [503, 429]
    make_plan(owner, by_email=True)
    ReminderClaim.objects.claim([(owner.pk, now_minus(seconds=5))])

    send_claimed()

    from django.core import mail

    assert len(push_service.received) == 3
    assert len(mail.outbox) == 1  # sent on the first attempt, never again
    claim = ReminderClaim.objects.get()
    assert (claim.status, claim.attempts) == ("sent", 3)
    assert sorted(claim.delivered) == ["email", f"push:{PushSubscription.objects.get().pk}"]


@pytest.mark.django_db
def test_a_push_service_that_does_not_answer_in_time_is_a_passing_failure(
    user, vapid, push_service, monkeypatch
):
    monkeypatch.setattr(push, "TIMEOUT", (1, 0.3))
    push_service.delay = 1.0
    began = time.monotonic()

    with pytest.raises(push.TransientPushFailure):
        push.send(subscribe(user, push_service.endpoint()), {"title": "t"}, ttl=60)

    assert time.monotonic() - began < 1.0


@pytest.mark.django_db
def test_a_redirect_from_the_push_service_is_not_followed(user, vapid, push_service):
    push_service.redirect_to = "http://127.0.0.1:9/elsewhere"

    outcome = push.send(subscribe(user, push_service.endpoint()), {"title": "t"}, ttl=60)

    assert outcome == push.Outcome.REFUSED
    assert len(push_service.received) == 1


def test_the_payload_carries_the_words_and_the_dashboard_only():
    data = push.payload(Message("Time for your facial massage", "1 of 2 this week."), "/")
    assert data == {
        "title": "Time for your facial massage",
        "body": "1 of 2 this week.",
        "url": "/",
        "tag": "facetrack-reminder",
    }


# Subscribing --------------------------------------------------------------------------------


def test_a_browsers_subscription_is_stored_with_the_servers_key(user, user_client, vapid):
    keys = BrowserKeys()

    response = post_json(user_client, keys.subscription(FCM))

    assert response.status_code == 201
    assert response.json()["message"] == "Notifications are on for this device."
    stored = PushSubscription.objects.get()
    assert (stored.owner, stored.endpoint, stored.p256dh, stored.auth) == (
        user,
        FCM,
        keys.p256dh,
        keys.auth,
    )
    assert stored.server_key == vapid[1]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"not json", "That is not a push subscription."),
        ([1, 2], "That is not a push subscription."),
        ({"endpoint": FCM}, "The subscription has no endpoint or keys."),
        ({"endpoint": 3, "keys": {}}, "The subscription has no endpoint or keys."),
        (
            {"endpoint": "http://fcm.googleapis.com/x", "keys": {"p256dh": "x", "auth": "y"}},
            "The push endpoint must use https.",
        ),
        (
            {"endpoint": "https://example.com/x", "keys": {"p256dh": "x", "auth": "y"}},
            "The push endpoint is not on a known push service.",
        ),
        (
            {"endpoint": FCM, "keys": {"p256dh": "AAAA", "auth": BrowserKeys().auth}},
            "The subscription's p256dh key is not a P-256 public key.",
        ),
        (
            {"endpoint": FCM, "keys": {"p256dh": "B" + "A" * 86, "auth": BrowserKeys().auth}},
            "The subscription's p256dh key is not a P-256 public key.",
        ),
        (
            {"endpoint": FCM, "keys": {"p256dh": BrowserKeys().p256dh, "auth": "abc!"}},
            "The subscription's auth secret is not 16 bytes.",
        ),
        (b"x" * 5000, "That subscription is too large."),
    ],
)
def test_a_malformed_or_oversized_subscription_is_refused_with_a_message(
    user_client, vapid, body, message
):
    response = post_json(user_client, body)

    assert response.status_code == 400
    assert response.json() == {"error": message}
    assert not PushSubscription.objects.exists()


@hypothesis_settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    body=st.one_of(
        st.binary(max_size=600),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=50),
            lambda inner: (
                st.lists(inner, max_size=4)
                | st.dictionaries(st.sampled_from(["endpoint", "keys", "p256dh", "auth"]), inner)
            ),
            max_leaves=12,
        ).map(json.dumps),
    )
)
def test_whatever_is_posted_is_stored_whole_or_refused_with_400(user_client, vapid, body):
    response = post_json(user_client, body)

    assert response.status_code == 400
    assert "error" in response.json()
    assert not PushSubscription.objects.exists()


def test_without_vapid_keys_the_server_says_notifications_are_not_set_up(user_client, settings):
    settings.VAPID_PRIVATE_KEY = settings.VAPID_PUBLIC_KEY = ""

    response = post_json(user_client, BrowserKeys().subscription(FCM))

    assert response.status_code == 400
    assert "not set up" in response.json()["error"]


def test_a_browser_subscribed_again_under_another_account_moves_there(
    user, other_user, client_for, vapid
):
    keys = BrowserKeys()
    post_json(client_for(user), keys.subscription(FCM))

    post_json(client_for(other_user), keys.subscription(FCM))

    assert list(PushSubscription.objects.values_list("owner", flat=True)) == [other_user.pk]


def test_a_person_keeps_at_most_ten_browsers(user, user_client, vapid):
    for n in range(12):
        post_json(user_client, BrowserKeys().subscription(f"{FCM}{n}"))

    kept = set(PushSubscription.objects.values_list("endpoint", flat=True))
    assert kept == {f"{FCM}{n}" for n in range(2, 12)}


def test_turning_off_forgets_only_ones_own_browser(user, other_user, client_for, vapid):
    subscribe(user, FCM + "mine")
    subscribe(other_user, FCM + "theirs")
    url = reverse("tracker:push-unsubscribe")

    for endpoint in (FCM + "mine", FCM + "theirs"):
        response = client_for(user).post(
            url, data=json.dumps({"endpoint": endpoint}), content_type="application/json"
        )
        assert response.status_code == 200

    assert list(PushSubscription.objects.values_list("endpoint", flat=True)) == [FCM + "theirs"]
    bad = client_for(user).post(url, data="[]", content_type="application/json")
    assert bad.status_code == 400


def test_subscribing_needs_a_login_and_a_post(client, user_client, vapid):
    assert post_json(client, BrowserKeys().subscription(FCM)).status_code == 302
    assert user_client.get(reverse(SUBSCRIBE)).status_code == 405
    assert not PushSubscription.objects.exists()


def test_the_key_command_prints_a_pair_that_signs_and_matches(capsys):
    from django.core.management import call_command

    call_command("generate_vapid_keys")
    lines = dict(line.split("=", 1) for line in capsys.readouterr().out.split())

    private_key, public_key = lines["DJANGO_VAPID_PRIVATE_KEY"], lines["DJANGO_VAPID_PUBLIC_KEY"]
    assert push.public_key_for(private_key) == public_key
    claims = {"sub": "mailto:a@example.org", "aud": "https://fcm.googleapis.com"}
    assert push.vapid_key(private_key).sign(claims)["Authorization"].startswith("vapid t=")


def test_the_system_checks_want_both_keys_of_one_pair(settings, vapid):
    from tracker.checks import vapid_keys

    assert vapid_keys(None) == []
    settings.VAPID_PUBLIC_KEY = push.generate_keys()[1]
    assert [message.id for message in vapid_keys(None)] == ["facetrack.E102"]
    settings.VAPID_PUBLIC_KEY = ""
    assert [message.id for message in vapid_keys(None)] == ["facetrack.E101"]
    settings.VAPID_PRIVATE_KEY = ""
    assert vapid_keys(None) == []


def test_the_deploy_check_wants_the_sites_real_address(settings):
    from tracker.checks import site_url

    settings.SITE_URL = "http://127.0.0.1:8000"
    assert [message.id for message in site_url(None)] == ["facetrack.W101"]
    settings.SITE_URL = "https://facetrack.example.org"
    assert site_url(None) == []
