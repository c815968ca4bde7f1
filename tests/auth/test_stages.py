"""The second step of a log-in: asked for with an authenticator app, never for a passkey
alone (tracker.auth.stages; the throttle's use of it is in test_throttle.py)."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from tests.factories import PASSWORD
from tests.webauthn import add_passkey, browser, log_in_with

pytestmark = pytest.mark.django_db


def test_a_passkey_log_in_skips_the_authenticator_app_step(user):
    device, _ = add_passkey(user)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})

    client = log_in_with(device)

    assert "_auth_user_id" in client.session


def test_with_an_authenticator_app_a_password_log_in_asks_for_its_code(user):
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    client = browser()

    response = client.post(reverse("account_login"), {"login": "alice", "password": PASSWORD})

    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session


def test_a_passkey_alone_never_adds_a_step_to_a_password_log_in(user):
    add_passkey(user)
    client = browser()

    client.post(reverse("account_login"), {"login": "alice", "password": PASSWORD})

    assert "_auth_user_id" in client.session
