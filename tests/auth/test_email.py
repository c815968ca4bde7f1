"""Email: a password reset by link, verifying and changing the address, and the messages for
links that are expired, used or tampered with."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.auth.mails import link_in
from tests.factories import PASSWORD, signup_data

pytestmark = pytest.mark.django_db

RESET = reverse("account_reset_password")
LOGIN = reverse("account_login")
DASHBOARD = reverse("tracker:dashboard")
NEW_PASSWORD = "a fresh long passphrase"
LINK_FAILS = "This link does not work"


def can_log_in(login: str, password: str) -> bool:
    client = Client()
    client.post(LOGIN, {"login": login, "password": password})
    return "_auth_user_id" in client.session


def request_reset(address: str = "alice@example.com"):
    return Client().post(RESET, {"email": address})


def set_password_from(link: str, password: str = NEW_PASSWORD) -> tuple[Client, object]:
    client = Client()
    # The link's page moves the key out of the address bar (into the session) first.
    page = client.get(link, follow=True)
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else link
    response = client.post(form_url, {"password1": password, "password2": password})
    return client, response


# Password reset


def test_a_reset_sends_one_single_use_link_that_sets_a_new_password(alice):
    assert request_reset()["Location"] == reverse("account_reset_password_done")
    (message,) = mail.outbox
    assert message.to == ["alice@example.com"]
    assert message.subject == "Facetrack: Reset your password"
    assert "within the next hour" in message.body

    _, response = set_password_from(link_in(message))

    assert response["Location"] == reverse("account_reset_password_from_key_done")
    assert can_log_in("alice@example.com", NEW_PASSWORD)
    assert not can_log_in("alice", PASSWORD)
    # The same link again: used up.
    page = Client().get(link_in(message), follow=True).content.decode()
    assert LINK_FAILS in page
    assert "has been used already, has expired" in page


def test_a_reset_link_expires_after_an_hour(alice, now, time_machine):
    request_reset()

    time_machine.move_to(now + timedelta(hours=1, minutes=1), tick=False)
    page = Client().get(link_in(mail.outbox[0]), follow=True).content.decode()

    assert LINK_FAILS in page
    assert can_log_in("alice", PASSWORD)


def test_a_tampered_reset_link_is_refused_with_a_message(alice):
    request_reset()
    link = link_in(mail.outbox[0])
    tampered = link[:-3] + ("a" if link[-3] != "a" else "b") + link[-2:]

    set_password_from(tampered)

    assert LINK_FAILS in Client().get(tampered, follow=True).content.decode()
    assert can_log_in("alice", PASSWORD)


def test_a_reset_for_an_unknown_address_answers_the_same_and_sends_nothing(alice):
    known = request_reset("alice@example.com")
    mail.outbox.clear()

    unknown = request_reset("nobody@example.com")

    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert mail.outbox == []


def test_an_account_without_an_email_address_gets_no_reset(user):
    request_reset("alice")
    request_reset("")

    assert mail.outbox == []


def test_the_reset_done_page_does_not_say_whether_the_address_has_an_account():
    page = Client().get(reverse("account_reset_password_done")).content.decode()

    assert "If that address belongs to an account here" in page


# Verifying and changing the address


def test_the_verification_link_verifies_the_address(user, client_for):
    address = EmailAddress.objects.create(user=user, email="alice@example.com", primary=True)
    key = EmailConfirmationHMAC(address).key
    client = client_for(user)

    page = client.get(reverse("account_confirm_email", args=[key])).content.decode()
    assert "Yes, verify it" in page
    client.post(reverse("account_confirm_email", args=[key]))

    address.refresh_from_db()
    assert address.verified


@pytest.mark.parametrize("how", ["tampered", "expired"])
def test_a_bad_verification_link_says_so(user, how: str, now, time_machine):
    address = EmailAddress.objects.create(user=user, email="alice@example.com", primary=True)
    key = EmailConfirmationHMAC(address).key
    if how == "tampered":
        key = key[:-2] + ("AA" if not key.endswith("AA") else "BB")
    else:
        time_machine.move_to(now + timedelta(days=3, minutes=1), tick=False)

    page = Client().get(reverse("account_confirm_email", args=[key])).content.decode()
    Client().post(reverse("account_confirm_email", args=[key]))

    assert "This verification link does not work" in page
    address.refresh_from_db()
    assert not address.verified


def test_adding_an_address_asks_who_you_are_first(user, client_for):
    client = client_for(user)

    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "alice@example.com"}
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not EmailAddress.objects.exists()


def test_an_existing_account_adds_an_address_and_verifies_it(user, client_for):
    client = client_for(user)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})

    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "Alice@Example.com"}
    )

    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.to == ["alice@example.com"]
    assert "Add an email address?" in client.get(DASHBOARD).content.decode()
    client.post(link_in(message))
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.verified, address.primary) == ("alice@example.com", True, True)
    user.refresh_from_db()
    assert user.email == "alice@example.com"
    assert "Add an email address?" not in client.get(DASHBOARD).content.decode()
    assert can_log_in("alice@example.com", PASSWORD)


def test_a_changed_address_replaces_the_old_one_once_verified(alice, client_for):
    client = client_for(alice)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.post(reverse("account_email"), {"action_add": "", "email": "new@example.com"})
    page = client.get(reverse("account_email")).content.decode()
    assert "Changing to" in page
    assert "alice@example.com stays in use" in page

    client.post(link_in(mail.outbox[-1]))

    assert list(EmailAddress.objects.values_list("email", flat=True)) == ["new@example.com"]
    alice.refresh_from_db()
    assert alice.email == "new@example.com"


def test_right_after_sign_up_adding_a_passkey_or_address_asks_no_password_again():
    client = Client()
    client.post(reverse("account_signup"), signup_data())

    assert client.get(reverse("mfa_add_webauthn")).status_code == 200
    response = client.post(reverse("account_email"), {"action_add": "", "email": "b@ex.org"})
    assert response["Location"] == reverse("account_email")
