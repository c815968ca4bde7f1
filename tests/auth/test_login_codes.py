"""Logging in with a code sent by email, and the messages for codes that are wrong, expired
or used already."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.auth.mails import code_in

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("tracker:dashboard")


def test_a_code_sent_by_email_logs_in(alice):
    client = Client()
    response = client.post(reverse("account_request_login_code"), {"email": "alice@example.com"})
    assert response["Location"] == reverse("account_confirm_login_code")
    (message,) = mail.outbox
    assert message.subject == "Facetrack: Your log-in code"

    response = client.post(reverse("account_confirm_login_code"), {"code": code_in(message)})

    assert response["Location"] == DASHBOARD
    assert "_auth_user_id" in client.session


def test_a_code_request_for_an_unknown_address_looks_the_same_and_sends_nothing(alice):
    client = Client()

    response = client.post(reverse("account_request_login_code"), {"email": "no@example.com"})

    assert response["Location"] == reverse("account_confirm_login_code")
    assert (
        "If no@example.com belongs to an account here"
        in client.get(response["Location"]).content.decode()
    )
    assert mail.outbox == []


def test_wrong_codes_are_explained_then_the_code_is_spent(alice):
    client = Client()
    client.post(reverse("account_request_login_code"), {"email": "alice@example.com"})
    url = reverse("account_confirm_login_code")

    first = client.post(url, {"code": "WRONG1"})
    assert "That code is not right, or it has expired." in first.content.decode()
    client.post(url, {"code": "WRONG2"})
    last = client.post(url, {"code": "WRONG3"})

    assert last["Location"] == reverse("account_request_login_code")
    # Even the right code no longer works: ask for a new one.
    late = client.post(url, {"code": code_in(mail.outbox[0])})
    assert "_auth_user_id" not in client.session
    assert late.status_code == 302


def test_an_expired_code_does_not_log_in(alice, now, time_machine):
    client = Client()
    client.post(reverse("account_request_login_code"), {"email": "alice@example.com"})

    time_machine.move_to(now + timedelta(minutes=4), tick=False)
    response = client.post(reverse("account_confirm_login_code"), {"code": code_in(mail.outbox[0])})

    assert "_auth_user_id" not in client.session
    assert response["Location"] == reverse("account_request_login_code")
    page = client.get(response["Location"]).content.decode()
    assert "That code has expired or has been used already" in page


def test_a_code_used_once_cannot_log_in_again(alice):
    first = Client()
    first.post(reverse("account_request_login_code"), {"email": "alice@example.com"})
    code = code_in(mail.outbox[0])
    first.post(reverse("account_confirm_login_code"), {"code": code})
    first.post(reverse("account_logout"))

    response = first.post(reverse("account_confirm_login_code"), {"code": code}, follow=True)

    assert "_auth_user_id" not in first.session
    assert "That code has expired or has been used already" in response.content.decode()
