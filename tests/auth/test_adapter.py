"""The account adapter's hooks: signing up with an email address (a username made from it,
the time zone proposed by the browser), logging in with either, news of the account only to a
verified address, and a mail server that is down."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, signup_data
from tests.webauthn import add_passkey

pytestmark = pytest.mark.django_db

SIGNUP = reverse("account_signup")
LOGIN = reverse("account_login")
RESET = reverse("account_reset_password")
DASHBOARD = reverse("tracker:dashboard")
NEW_PASSWORD = signup_data()["password1"]


# Signing up


def test_the_signup_page_asks_for_an_email_a_password_and_proposes_a_time_zone():
    html = Client().get(SIGNUP).content.decode()

    assert 'type="email" name="email"' in html
    assert 'name="password1"' in html
    assert "Username (optional)" in html
    assert 'name="timezone"' in html
    assert "data-browser-timezone" in html
    assert '<option value="Pacific/Auckland">Pacific/Auckland</option>' in html


def test_signing_up_with_an_email_makes_a_username_sets_the_zone_and_offers_a_passkey():
    client = Client()

    response = client.post(SIGNUP, signup_data())

    assert response.status_code == 302
    assert response["Location"] == reverse("welcome")
    user = User.objects.get(email="bea@example.com")
    assert user.username == "bea"
    assert user.profile.timezone == "Pacific/Auckland"
    assert user.check_password(NEW_PASSWORD)
    address = EmailAddress.objects.get(user=user)
    assert (address.email, address.primary, address.verified) == ("bea@example.com", True, False)
    # The account works before the address is verified.
    assert client.get(DASHBOARD).status_code == 200
    welcome = client.get(reverse("welcome")).content.decode()
    assert "Add a passkey" in welcome
    assert f'href="{DASHBOARD}">Not now' in welcome


def test_signing_up_sends_one_verification_link_and_nothing_else():
    Client().post(SIGNUP, signup_data())

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["bea@example.com"]
    assert message.subject == "Facetrack: Verify your email address"
    assert re.search(r"http://testserver/accounts/confirm-email/[-:\w]+/", message.body)


def test_a_username_given_at_sign_up_is_kept_and_logs_in():
    Client().post(SIGNUP, signup_data(username="Bea_R"))

    response = Client().post(LOGIN, {"login": "Bea_R", "password": NEW_PASSWORD})

    assert response.status_code == 302
    assert User.objects.get(email="bea@example.com").username == "Bea_R"


def test_two_sign_ups_from_the_same_email_name_get_different_usernames():
    Client().post(SIGNUP, signup_data(email="sam@example.com"))
    Client().post(SIGNUP, signup_data(email="sam@example.org"))

    assert len(set(User.objects.values_list("username", flat=True))) == 2


def test_an_email_address_already_taken_is_the_one_thing_sign_up_reveals(user):
    EmailAddress.objects.create(user=user, email="alice@example.com", primary=True)

    response = Client().post(SIGNUP, signup_data(email="ALICE@example.com"))

    assert response.status_code == 200
    assert (
        "An account already uses this email address. Log in instead." in response.content.decode()
    )
    assert User.objects.count() == 1


@pytest.mark.parametrize(("password", "accepted"), [("elevenchars", False), ("tw3lve-chars", True)])
def test_a_password_needs_twelve_characters(password: str, accepted: bool):
    response = Client().post(SIGNUP, signup_data(password1=password, password2=password))

    assert (response.status_code == 302) is accepted
    assert User.objects.filter(email="bea@example.com").exists() is accepted
    if not accepted:
        assert "at least 12 characters" in response.content.decode()


def test_passwords_that_differ_are_refused():
    response = Client().post(SIGNUP, signup_data(password2="another long passphrase"))

    assert response.status_code == 200
    assert not User.objects.exists()


def test_an_unknown_time_zone_is_refused_at_sign_up():
    response = Client().post(SIGNUP, signup_data(timezone="Mars/Olympus_Mons"))

    assert response.status_code == 200
    assert not User.objects.exists()


def test_someone_logged_in_is_sent_from_signup_to_the_dashboard(user_client):
    assert user_client.get(SIGNUP)["Location"] == DASHBOARD


# Logging in


def test_an_existing_account_logs_in_with_its_username(user):
    response = Client().post(LOGIN, {"login": "alice", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == DASHBOARD


def test_an_account_logs_in_with_its_email_address_in_any_case(user):
    EmailAddress.objects.create(user=user, email="alice@example.com", primary=True)

    response = Client().post(LOGIN, {"login": "Alice@Example.com", "password": PASSWORD})

    assert response.status_code == 302


def test_a_wrong_password_and_an_unknown_name_get_the_same_answer(user):
    wrong = Client().post(LOGIN, {"login": "alice", "password": "not the password!"})
    unknown = Client().post(LOGIN, {"login": "nobody", "password": "not the password!"})

    assert wrong.status_code == unknown.status_code == 200
    error = "That username or password is not right."
    assert error in wrong.content.decode()
    assert error in unknown.content.decode()


def test_the_login_page_offers_a_reset_a_code_and_a_passkey():
    html = Client().get(LOGIN).content.decode()

    assert f'href="{reverse("account_reset_password")}"' in html
    assert f'href="{reverse("account_request_login_code")}"' in html
    assert f'action="{reverse("mfa_login_webauthn")}"' in html
    assert "Log in with a passkey" in html


def test_a_session_from_before_allauth_stays_logged_in(user):
    # Django's own login, as the old login view did: the session names ModelBackend.
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")

    assert client.get(DASHBOARD).status_code == 200


# News of the account, and its end


@pytest.mark.parametrize("verified", [True, False])
def test_a_password_change_is_told_only_to_a_verified_address(user, client_for, verified):
    EmailAddress.objects.create(
        user=user, email="alice@example.com", primary=True, verified=verified
    )
    new = "a brand new passphrase"

    client_for(user).post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": new, "password2": new},
    )

    user.refresh_from_db()
    assert user.check_password(new)
    assert [m.to for m in mail.outbox] == ([["alice@example.com"]] if verified else [])


def test_deleting_the_account_removes_its_addresses_and_passkeys(user, client_for):

    EmailAddress.objects.create(user=user, email="alice@example.com", primary=True)
    add_passkey(user)

    client_for(user).post(reverse("tracker:account-delete"), {"password": PASSWORD})

    assert not User.objects.exists()
    assert not EmailAddress.objects.exists()
    assert not Authenticator.objects.exists()


def test_a_mail_server_that_is_down_is_logged_and_the_page_answers(alice, settings, caplog):
    from tests.servers import free_port

    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
        }
    }

    response = Client().post(RESET, {"email": "alice@example.com"})

    assert response["Location"] == reverse("account_reset_password_done")
    assert "Could not send the email account/email/password_reset_key" in caplog.text
