"""Passkeys: adding one (our welcome and add pages), logging in with it alone, renaming and
removing it in Settings, and refusing whatever a browser (or anyone) posts that is not a valid
passkey answer."""

import json
import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import User
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import PASSWORD, signup_data
from tests.fuzzing import JSON_VALUES, shaped_like_a_passkey
from tests.readers import messages_of
from tests.webauthn import SoftPasskey, add_passkey, browser, creation_options, log_in_with

pytestmark = pytest.mark.django_db

ADD = reverse("mfa_add_webauthn")
LOGIN_WITH_PASSKEY = reverse("mfa_login_webauthn")
DASHBOARD = reverse("tracker:dashboard")
PROFILE = reverse("tracker:profile")
REFUSED = "The passkey could not be checked."


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def logged_in(user: User) -> Client:
    client = browser()
    client.force_login(user)
    return client


def reauthenticated(user: User) -> Client:
    client = logged_in(user)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    return client


def sign_up(client: Client) -> User:
    client.post(reverse("account_signup"), signup_data(timezone="UTC"))
    return User.objects.get(email=signup_data()["email"])


# Adding a passkey


def test_the_welcome_page_offers_a_passkey_with_its_data_in_json_and_scripts_as_files():
    client = browser()
    sign_up(client)

    page = client.get(reverse("welcome")).content.decode()

    options = creation_options(page)
    assert options["publicKey"]["rp"]["id"] == "localhost"
    assert options["publicKey"]["authenticatorSelection"]["residentKey"] == "required"
    assert options["publicKey"]["authenticatorSelection"]["userVerification"] == "required"
    for script in ("mfa/js/webauthn-json.js", "mfa/js/webauthn.js", "js/passkeys.js"):
        assert re.search(rf'<script src="/static/{script}" defer nonce="[^"]+"></script>', page)
    inline = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", page)
    assert inline == []


def test_a_passkey_added_right_after_sign_up_logs_in_alone_and_makes_no_recovery_codes():
    client = browser()
    user = sign_up(client)
    device = SoftPasskey()
    options = creation_options(client.get(reverse("welcome")).content.decode())
    mail.outbox.clear()

    response = client.post(
        ADD,
        {
            "name": "Phone of Bea",
            "credential": json.dumps(device.register(options)),
            "next": DASHBOARD,
        },
    )

    assert response["Location"] == DASHBOARD
    passkey = Authenticator.objects.get(user=user)
    assert passkey.wrap().name == "Phone of Bea"
    assert passkey.wrap().is_passwordless is True
    assert not Authenticator.objects.filter(type=Authenticator.Type.RECOVERY_CODES).exists()
    # News of the account goes only to a verified address: this one is not, yet.
    assert mail.outbox == []
    assert "Phone of Bea" in client.get(PROFILE).content.decode()


def test_a_passkey_that_did_not_check_who_held_the_device_is_refused():
    client = browser()
    user = sign_up(client)
    device = SoftPasskey(user_verified=False)
    options = creation_options(client.get(reverse("welcome")).content.decode())

    response = client.post(ADD, {"name": "Key", "credential": json.dumps(device.register(options))})

    assert response.status_code == 200
    assert REFUSED in response.content.decode()
    assert not Authenticator.objects.filter(user=user).exists()


def test_adding_a_passkey_later_asks_who_you_are_first(user):
    response = logged_in(user).get(ADD)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))


def test_after_confirming_it_an_existing_account_adds_a_passkey_from_settings(user):
    client = reauthenticated(user)
    options = creation_options(client.get(ADD).content.decode())

    response = client.post(
        ADD, {"name": "", "credential": json.dumps(SoftPasskey().register(options))}
    )

    assert response["Location"] == PROFILE
    assert Authenticator.objects.get(user=user).wrap().name == "Passkey"


# Logging in with a passkey


def test_a_passkey_logs_in_without_a_password(user):
    device, _ = add_passkey(user)

    client = log_in_with(device)

    assert client.response["Location"] == DASHBOARD
    assert int(client.session["_auth_user_id"]) == user.pk
    assert Authenticator.objects.get(user=user).last_used_at is not None


def test_a_passkey_of_a_removed_account_is_refused_with_a_message(user):
    device, passkey = add_passkey(user)
    passkey.delete()

    client = log_in_with(device)

    assert client.response["Location"] == reverse("account_login")
    assert "_auth_user_id" not in client.session
    assert messages_of(client.response) == [REFUSED + " Try again, or log in another way."]


# Malformed answers: a message, never a server error


@pytest.fixture
def passkey_forms(user) -> tuple[str, list[tuple[Client, str, dict]]]:
    """A user handle, and each passkey form with a browser that has just opened it."""
    device, _ = add_passkey(user)
    anonymous, confirming, adding = browser(), reauthenticated(user), reauthenticated(user)
    anonymous.get(LOGIN_WITH_PASSKEY, HTTP_ACCEPT="application/json")
    confirming.get(reverse("mfa_reauthenticate_webauthn"))
    adding.get(ADD)
    handle = device.assert_({"publicKey": {"challenge": "AAAA"}})["response"]["userHandle"]
    return handle, [
        (anonymous, LOGIN_WITH_PASSKEY, {}),
        (confirming, reverse("mfa_reauthenticate_webauthn"), {}),
        (adding, ADD, {"name": "x"}),
    ]


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_any_posted_passkey_answer_is_refused_with_a_message_never_a_500(data, passkey_forms):
    handle, forms = passkey_forms
    answer = data.draw(
        st.one_of(JSON_VALUES, shaped_like_a_passkey(handle)).map(json.dumps)
        | st.text(max_size=200)
    )
    before = Authenticator.objects.count()
    cache.clear()  # so that the throttle does not answer instead of the forms

    statuses = [
        client.post(url, {**extra, "credential": answer}).status_code
        for client, url, extra in forms
    ]

    # Refusals: back to the log-in or confirmation page with a message, or the form again.
    assert statuses == [302, 302, 200]
    assert "_auth_user_id" not in forms[0][0].session
    assert Authenticator.objects.count() == before


# Renaming and removing, in Settings


def test_settings_lists_passkeys_with_rename_and_remove(user):
    add_passkey(user, "Phone")
    add_passkey(user, "Laptop")

    page = logged_in(user).get(PROFILE).content.decode()

    assert page.index("Phone") < page.index("Laptop")
    assert page.count(">Rename<span") == 2
    assert page.count(">Remove<span") == 2
    assert f'href="{ADD}"' in page


def test_a_passkey_is_renamed_then_removed(user):
    _, passkey = add_passkey(user, "Phone")
    client = reauthenticated(user)
    edit = reverse("mfa_edit_webauthn", args=[passkey.pk]) + f"?next={PROFILE}"
    remove = reverse("mfa_remove_webauthn", args=[passkey.pk]) + f"?next={PROFILE}"

    assert client.post(edit, {"name": "Work phone"})["Location"] == PROFILE
    passkey.refresh_from_db()
    assert passkey.wrap().name == "Work phone"
    assert "“Work phone”" in client.get(remove).content.decode()
    assert client.post(remove)["Location"] == PROFILE
    assert not Authenticator.objects.filter(pk=passkey.pk).exists()


def test_a_passkey_name_has_a_length_limit(user):
    _, passkey = add_passkey(user, "Phone")

    response = reauthenticated(user).post(
        reverse("mfa_edit_webauthn", args=[passkey.pk]), {"name": "x" * 5000}
    )

    assert response.status_code == 200
    passkey.refresh_from_db()
    assert passkey.wrap().name == "Phone"


def test_a_removed_passkey_no_longer_logs_in(user):
    device, passkey = add_passkey(user)
    client = reauthenticated(user)
    client.post(reverse("mfa_remove_webauthn", args=[passkey.pk]))

    assert "_auth_user_id" not in log_in_with(device).session


def test_removing_a_passkey_tells_the_verified_address(user):
    EmailAddress.objects.create(user=user, email="alice@example.com", primary=True, verified=True)
    _, passkey = add_passkey(user)

    reauthenticated(user).post(reverse("mfa_remove_webauthn", args=[passkey.pk]))

    assert [m.to for m in mail.outbox] == [["alice@example.com"]]
