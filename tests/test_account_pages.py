"""Every account page (allauth's and ours) in the site's own layout, under the strict CSP."""

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import PASSWORD
from tests.webauthn import add_passkey

pytestmark = pytest.mark.django_db

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)


def account_patterns():
    """allauth's URL patterns and ours outside the app, with the groups of their whole path."""

    def walk(patterns, namespace="", groups=frozenset()):
        for pattern in patterns:
            found = groups | set(pattern.pattern.regex.groupindex)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, pattern.namespace or namespace, found)
            elif isinstance(pattern, URLPattern) and namespace not in {"tracker", "admin"}:
                yield pattern, found

    return list(walk(get_resolver().url_patterns))


def account_urls(user, passkey) -> list[str]:
    """A concrete URL for every account page, ids and keys filled in."""

    urls = []
    for pattern, groups in account_patterns():
        kwargs = {}
        if "pk" in groups:
            kwargs["pk"] = passkey.pk
        if "key" in groups:
            kwargs["key"] = "made-up-key"
        if "uidb36" in groups:
            kwargs["uidb36"] = "1"
        if pattern.name:
            urls.append(reverse(pattern.name, kwargs=kwargs))
    return sorted(set(urls))


@pytest.fixture
def visitors(user) -> dict[str, Client]:
    """Someone logged out, and someone logged in with every sign-in method there is."""
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    EmailAddress.objects.create(user=user, email="alice@example.com", primary=True, verified=True)
    TOTP.activate(user, generate_totp_secret())
    RecoveryCodes.activate(user)
    logged_in = Client(HTTP_HOST="localhost")
    logged_in.force_login(user)
    logged_in.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    return {"anonymous": Client(HTTP_HOST="localhost"), "logged in": logged_in}


def test_every_account_page_is_in_the_site_layout_without_inline_script_or_style(user, visitors):
    _, passkey = add_passkey(user)
    problems = []
    for url in account_urls(user, passkey):
        for who, client in visitors.items():
            cache.clear()
            response = client.get(url, follow=True)
            page = response.content.decode()
            where = f"{url} ({who}, ends at {response.request['PATH_INFO']})"
            if response.status_code == 405:
                continue  # POST only: logging out, dismissing the reminder
            if response.status_code != 200:
                problems.append(f"{where}: {response.status_code}")
            elif not response["Content-Type"].startswith("text/html"):
                continue  # the passkey challenge (JSON), the recovery codes (a text file)
            elif 'class="site-header"' not in page:
                problems.append(f"{where}: not in the site layout")
            elif INLINE_SCRIPT.search(page) or " style=" in page or "<style" in page:
                problems.append(f"{where}: inline script or style")
    assert not problems, "\n".join(problems)


def test_the_second_step_and_code_pages_are_in_the_site_layout_too(user):
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "x"})
    add_passkey(user)
    client = Client(HTTP_HOST="localhost")

    response = client.post(
        reverse("account_login"), {"login": "alice", "password": PASSWORD}, follow=True
    )

    page = response.content.decode()
    assert response.request["PATH_INFO"] == reverse("mfa_authenticate")
    assert "Enter the code from your authenticator app" in page
    assert "Use a passkey" in page
    assert not INLINE_SCRIPT.search(page)
