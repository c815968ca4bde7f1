"""Accounts in a real browser: a password reset through a real SMTP server, and passkeys made
and used by Chromium's virtual authenticator (the DevTools protocol's WebAuthn domain)."""

import re
import threading

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import User
from django.urls import reverse
from playwright.sync_api import CDPSession, Page, expect

from tests.factories import PASSWORD
from tests.servers import SMTPServer

NEW_PASSWORD = "a brand new passphrase 7"
# The whole path: "/$" alone would also match "/accounts/login/".
DASHBOARD = re.compile(r"^http://localhost:\d+" + re.escape(reverse("tracker:dashboard")) + "$")


def add_virtual_authenticator(page: Page, **options) -> tuple[CDPSession, str]:
    """A phone's platform authenticator with Face ID, as far as the page can tell."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    answer = cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
                **options,
            }
        },
    )
    return cdp, answer["authenticatorId"]


def test_a_forgotten_password_is_reset_through_a_link_sent_by_real_email(
    page: Page, browser_user: User, smtp_server: SMTPServer, settings, between_requests
) -> None:
    # pytest-django keeps mail in memory; this test sends it for real, to a server on loopback.
    settings.MAILERS = smtp_server.mailers()
    with between_requests:
        EmailAddress.objects.create(
            user=browser_user, email="alice@example.com", primary=True, verified=True
        )

    page.goto(reverse("account_login"))
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email address").fill("alice@example.com")
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()

    message = smtp_server.wait_for_message()
    assert message["To"] == "alice@example.com"
    assert message["Subject"] == "Facetrack: Reset your password"
    link = re.search(r"http://localhost:\d+/\S+", message.get_content()).group(0)
    page.goto(link)
    page.get_by_label("New password", exact=False).first.fill(NEW_PASSWORD)
    page.get_by_label("New password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save my new password").click()
    expect(page.get_by_role("heading", name="Password changed")).to_be_visible()

    page.get_by_role("link", name="Log in with it").click()
    page.get_by_label("Email or username").fill("alice@example.com")
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page).to_have_url(DASHBOARD)


def test_a_passkey_added_after_sign_up_then_logs_in_alone(
    phone_page: Page, between_requests: threading.Lock
) -> None:
    page = phone_page
    cdp, authenticator = add_virtual_authenticator(page)
    page.goto(reverse("account_signup"))
    page.get_by_label("Email").fill("bea@example.com")
    page.get_by_label(re.compile(r"^Password:?$")).fill(NEW_PASSWORD)
    page.get_by_label("Password again").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Create account").tap()

    expect(page.get_by_role("heading", name="Welcome to Facetrack")).to_be_visible()
    page.get_by_label("Name it").fill("Bea's phone")
    page.get_by_role("button", name="Add a passkey").tap()
    expect(page).to_have_url(DASHBOARD)
    expect(page.get_by_text("Passkey added")).to_be_visible()
    credentials = cdp.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})
    assert [c["isResidentCredential"] for c in credentials["credentials"]] == [True]
    with between_requests:
        passkey = Authenticator.objects.get(user__email="bea@example.com")
        assert passkey.wrap().name == "Bea's phone"

    page.get_by_role("button", name=re.compile("^Log out")).tap()
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    page.get_by_role("button", name="Log in with a passkey").tap()

    expect(page).to_have_url(DASHBOARD)
    with between_requests:
        passkey.refresh_from_db()
        assert passkey.last_used_at is not None
    page.goto(reverse("tracker:profile"))
    expect(page.get_by_role("link", name="Rename Bea's phone")).to_be_visible()


def test_a_cancelled_passkey_request_says_so_without_a_console_error(page: Page) -> None:
    # A device without a passkey for this site: the browser answers NotAllowedError, exactly
    # as when the person closes the dialog (it never says which, on purpose).
    add_virtual_authenticator(page)
    page.goto(reverse("account_login"))

    page.get_by_role("button", name="Log in with a passkey").click()

    expect(page.locator("#passkey-status")).to_contain_text(
        "The passkey request was cancelled or timed out"
    )
    expect(page).to_have_url(re.compile(re.escape(reverse("account_login")) + "$"))


def test_a_passkey_button_shows_only_where_the_browser_can_use_one(page: Page) -> None:
    page.add_init_script("delete window.PublicKeyCredential")
    page.goto(reverse("account_login"))

    expect(page.get_by_role("button", name="Log in with a passkey")).to_be_hidden()
    expect(page.get_by_role("button", name="Log in", exact=True)).to_be_visible()


@pytest.mark.parametrize("name", ["account_login", "welcome"])
def test_without_javascript_the_passkey_forms_stay_out_of_the_way(
    browser, live_server, browser_user, log_in, name: str
) -> None:
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    if name == "welcome":
        log_in(page, browser_user)
    page.goto(reverse(name))

    if name == "account_login":
        expect(page.get_by_role("button", name="Log in with a passkey")).to_be_hidden()
        page.get_by_label("Email or username").fill("alice")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in", exact=True).click()
        expect(page).to_have_url(DASHBOARD)
    else:
        expect(page.get_by_text("This browser cannot make a passkey")).to_be_visible()
    context.close()
