"""Web Push: where the server may send, and reminders encrypted, signed and delivered."""

import socket
import time
from datetime import timedelta

import pytest
from django.core import mail

from tests.factories import (
    MONDAY_EIGHT_PARIS,
    give_verified_email,
    make_push_subscription,
    make_reminder_plan,
)
from tests.push_service import BrowserKeys, check_vapid
from tests.task_worker import run_worker
from tracker.models import PushSubscription, ReminderClaim
from tracker.reminders import push
from tracker.reminders.due import Message
from tracker.reminders.scheduler import run_once
from tracker.reminders.tasks import send_reminder

FCM = "https://fcm.googleapis.com/fcm/send/dGVzdA:APA91bHtest"


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

    outcome = push.send(make_push_subscription(user, FCM), {"title": "t"}, ttl=60)

    assert outcome == push.Outcome.REFUSED
    assert posted == []


# Sending ------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_reminder_reaches_the_push_service_encrypted_signed_and_with_its_headers(
    make_user, vapid, push_service, settings, time_machine
):
    _, public_key = vapid
    owner = make_user("alice", timezone="Europe/Paris")
    keys = BrowserKeys()
    make_push_subscription(owner, push_service.endpoint(), keys)
    time_machine.move_to(MONDAY_EIGHT_PARIS - timedelta(hours=10), tick=False)
    make_reminder_plan(owner, by_email=False)

    time_machine.move_to(MONDAY_EIGHT_PARIS + timedelta(seconds=1), tick=False)
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


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("status", [404, 410])
def test_a_subscription_the_push_service_calls_gone_is_deleted(
    status, make_user, vapid, push_service, now
):
    owner = make_user("alice")
    make_push_subscription(owner, push_service.endpoint("gone"))
    kept = make_push_subscription(owner, push_service.endpoint("kept"))
    push_service.answers = [status]
    ReminderClaim.objects.claim([(owner.pk, now - timedelta(seconds=5))])
    make_reminder_plan(owner, by_email=False)
    send_claimed()

    assert list(PushSubscription.objects.all()) == [kept]
    assert ReminderClaim.objects.get().delivered == [f"push:{kept.pk}"]


def send_claimed() -> None:
    for claim in ReminderClaim.objects.all():
        send_reminder.enqueue(claim.pk)
    run_worker()


@pytest.mark.django_db(transaction=True)
def test_a_push_service_error_is_retried_and_what_went_out_is_not_sent_again(
    make_user, vapid, push_service, settings, now
):
    settings.REMINDER_RETRY_DELAYS = (0, 0)
    owner = make_user("alice")
    give_verified_email(owner, "alice@example.org")
    make_push_subscription(owner, push_service.endpoint())
    push_service.answers = [503, 429]
    make_reminder_plan(owner, by_email=True)
    ReminderClaim.objects.claim([(owner.pk, now - timedelta(seconds=5))])

    send_claimed()

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
        push.send(make_push_subscription(user, push_service.endpoint()), {"title": "t"}, ttl=60)

    assert time.monotonic() - began < 1.0


@pytest.mark.django_db
def test_a_redirect_from_the_push_service_is_not_followed(user, vapid, push_service):
    push_service.redirect_to = "http://127.0.0.1:9/elsewhere"

    outcome = push.send(
        make_push_subscription(user, push_service.endpoint()), {"title": "t"}, ttl=60
    )

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
