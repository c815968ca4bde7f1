"""The dashboard's quiet reminder to add an email address, for accounts without a verified
one: shown, dismissed for this log-in, and gone once an address is verified."""

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.urls import reverse

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("tracker:dashboard")


def test_an_account_without_a_verified_email_sees_the_reminder(user_client):
    html = user_client.get(DASHBOARD).content.decode()

    assert "Add an email address?" in html
    assert "a forgotten password cannot be reset" in html


def test_an_account_with_a_verified_email_does_not(user, client_for):
    EmailAddress.objects.create(user=user, email="alice@example.com", primary=True, verified=True)

    html = client_for(user).get(DASHBOARD).content.decode()

    assert "Add an email address?" not in html


def test_dismissing_the_reminder_hides_it_for_this_log_in(user_client, htmx_headers):
    url = reverse("email-prompt-dismiss")

    response = user_client.post(url, headers=htmx_headers)

    assert response.status_code == 200
    assert response.content == b""
    assert "Add an email address?" not in user_client.get(DASHBOARD).content.decode()
    assert user_client.post(url)["Location"] == DASHBOARD


def test_verifying_an_address_hides_the_reminder(user, user_client):
    address = EmailAddress.objects.create(user=user, email="alice@example.com", primary=True)
    key = EmailConfirmationHMAC(address).key

    user_client.post(reverse("account_confirm_email", args=[key]))

    assert "Add an email address?" not in user_client.get(DASHBOARD).content.decode()
