import os
import re
import secrets
import subprocess
import sys
from datetime import time
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories import PASSWORD
from tests.test_access_control import ACCOUNT_OBJECT_URLS, OBJECT_URLS
from tracker.models import CalendarFeed, ReminderPlan
from tracker.reminders.mail import unsubscribe_token

ROOT = Path(__file__).resolve().parent.parent

# URLs that change something and must therefore refuse GET.
POST_ONLY = {
    "tracker:log-routine",
    "tracker:step-add",
    "tracker:step-move",
    "tracker:step-delete",
    "tracker:routine-copy-starter",
    "tracker:rest-week-add",
    "tracker:rest-week-delete",
    "tracker:undo",
    "tracker:tool-cleaned",
    "tracker:reminder-plan",
    "tracker:reminder-plan-off",
    "tracker:push-subscribe",
    "tracker:push-unsubscribe",
    "tracker:calendar-feed-issue",
    "tracker:calendar-feed-off",
    "tracker:patch-test-start",
    "tracker:product-pause",
    "tracker:product-resume",
    "tracker:health-check-delete",
    "tracker:photo-eyes",
    "tracker:experiment-end",
    "tracker:experiment-delete",
    "logout",
    "account_logout",
    "email-prompt-dismiss",
}

# Exempt from CSRF on purpose, each for its reason. The one-click unsubscribe of RFC 8058: a
# mail program POSTs to the link in an email without any CSRF token; the signed token in the
# URL is what allows that one change (tests/reminders/test_mail.py).
CSRF_EXEMPT = {"tracker:reminder-unsubscribe"}

# Pages that only show something: a POST, even with its CSRF token, changes nothing.
READ_ONLY = {"tracker:year", "tracker:history", "tracker:insights"}


def production_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="example.com",
        DJANGO_EMAIL_HOST="smtp.example.com",
        DJANGO_DEFAULT_FROM_EMAIL="Facetrack <facetrack@example.com>",
        DJANGO_SITE_URL="https://example.com",
        **extra,
    )
    return env


def test_the_deployment_checklist_passes_in_production():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_will_not_start_with_the_development_secret_key():
    env = production_env()
    del env["DJANGO_SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_every_page_carries_a_strict_content_security_policy(user_client):
    policy = user_client.get(reverse("tracker:dashboard"))["Content-Security-Policy"]
    directives = dict(
        (part.split()[0], part.split()[1:]) for part in policy.split(";") if part.strip()
    )
    assert "'unsafe-inline'" not in policy
    assert "'unsafe-eval'" not in policy
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert any(source.startswith("'nonce-") for source in directives["script-src"])


def test_the_policy_allows_this_sites_service_worker_and_manifest_only(user_client):
    policy = user_client.get(reverse("tracker:dashboard"))["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives["worker-src"] == ["'self'"]
    assert directives["manifest-src"] == ["'self'"]


def test_templates_hold_no_inline_script_style_or_hx_on():
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
    offenders = []
    for template in (ROOT / "templates").rglob("*.html"):
        text = template.read_text()
        if inline_script.search(text) or " style=" in text or "hx-on" in text or "<style" in text:
            offenders.append(str(template.relative_to(ROOT)))
    assert not offenders


def test_htmx_is_configured_for_the_policy(user_client):
    page = user_client.get(reverse("tracker:dashboard")).content.decode()
    config = re.search(r'<meta name="htmx-config" content=\'([^\']+)\'', page).group(1)
    assert '"allowEval": false' in config
    assert '"includeIndicatorStyles": false' in config
    assert '"historyCacheSize": 0' in config


@pytest.mark.django_db
def test_a_correct_password_logs_in_with_a_safe_session_cookie(user):
    response = Client().post(reverse("account_login"), {"login": "alice", "password": PASSWORD})
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert 0 < int(cookie["max-age"]) <= 60 * 60 * 24 * 30


@pytest.mark.django_db
def test_a_short_password_is_refused_at_sign_up():
    response = Client().post(
        reverse("account_signup"),
        {
            "email": "bob@example.com",
            "password1": "short1!",
            "password2": "short1!",
            "timezone": "UTC",
        },
    )
    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()


def test_logging_out_clears_the_site_data_and_refuses_get(user_client):
    assert user_client.get(reverse("account_logout")).status_code == 405
    response = user_client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    assert user_client.get(reverse("tracker:dashboard")).status_code == 302


def url_names() -> list[tuple[str, URLPattern]]:
    """Every named URL of the app and of the accounts pages (the admin has its own guards)."""

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, pattern.namespace or namespace)
            elif isinstance(pattern, URLPattern) and pattern.name and namespace != "admin":
                yield (f"{namespace}:{pattern.name}" if namespace else pattern.name), pattern

    return list(walk(get_resolver().url_patterns))


def urls_for(name: str, pattern: URLPattern, user) -> list[str]:
    """Concrete URLs for one pattern, with objects owned by the user where it takes an id."""
    groups = pattern.pattern.regex.groupindex
    if name in ACCOUNT_OBJECT_URLS:
        return [case.reverse(name, case.factory(user)) for case in ACCOUNT_OBJECT_URLS[name]]
    if "key" in groups:
        kwargs = {"key": "made-up-key"}
        if "uidb36" in groups:
            kwargs["uidb36"] = "1"
        return [reverse(name, kwargs=kwargs)]
    if "pk" in groups:
        short_name = name.removeprefix("tracker:")
        return [case.reverse(short_name, case.factory(user)) for case in OBJECT_URLS[short_name]]
    if "kind" in groups:
        return [reverse(name, kwargs={"kind": kind}) for kind in ("tools", "products")]
    if "slug" in groups:
        return [reverse(name, kwargs={"slug": "hands-10"})]
    if "token" in groups:
        return [reverse(name, kwargs={"token": token_for(name, user)})]
    return [reverse(name)]


def token_for(name: str, user) -> str:
    """A valid secret for the URLs that take one instead of a login."""
    if name == "tracker:calendar-feed":
        return CalendarFeed.objects.issue(user).token
    if name == "tracker:reminder-unsubscribe":
        ReminderPlan.objects.save_plan(user, days=[0], at=time(8), mode="always", by_email=True)
        return unsubscribe_token(user)
    raise AssertionError(f"Say in token_for() how to make a token for {name}")


@pytest.mark.django_db
def test_every_post_without_a_csrf_token_is_refused(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    accepted, refused = [], set()
    for name, pattern in url_names():
        if name in CSRF_EXEMPT:
            continue
        for url in urls_for(name, pattern, user):
            status = client.post(url).status_code
            if status == 403:
                refused.add(url)
            elif status != 405:
                accepted.append((url, status))
    assert not accepted
    assert {
        reverse("tracker:session-new"),
        reverse("account_login"),
        reverse("account_logout"),
        reverse("account_reset_password"),
        reverse("mfa_login_webauthn"),
    } <= refused


def test_only_the_views_named_here_are_exempt_from_csrf():
    exempt = {name for name, pattern in url_names() if getattr(pattern.callback, "csrf_exempt", 0)}
    assert exempt == CSRF_EXEMPT


@pytest.mark.django_db
def test_the_csrf_exempt_views_take_a_post_without_a_token(user):
    # Guards the exemption above: if these did refuse a token-less POST, the test that skips
    # them would hide it.
    client = Client(enforce_csrf_checks=True)
    for name, pattern in url_names():
        if name in CSRF_EXEMPT:
            for url in urls_for(name, pattern, user):
                assert client.post(url).status_code == 200, url


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(POST_ONLY))
def test_state_changing_urls_refuse_get(name, user, client_for):
    client = client_for(user)
    pattern = dict(url_names())[name]
    for url in urls_for(name, pattern, user):
        assert client.get(url).status_code == 405, url


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(READ_ONLY))
def test_read_only_pages_refuse_post(name, user, client_for):
    client = client_for(user)
    pattern = dict(url_names())[name]
    for url in urls_for(name, pattern, user):
        assert client.post(url).status_code == 405, url
