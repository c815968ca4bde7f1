"""The sign-in throttle, rule by rule: nobody can lock a person out, guessing stays slow.

Addresses are the documentation ranges (RFC 5737). The rules' numbers come from the settings
(10 per address, 5 per account from one address, within 15 minutes; 20 per account an hour).
"""

import importlib
import re
import subprocess
import sys
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, signup_data
from tests.webauthn import add_passkey

pytestmark = pytest.mark.django_db

LOGIN = reverse("account_login")
DASHBOARD = reverse("tracker:dashboard")
ATTACKER = "203.0.113.66"
OWNER = "198.51.100.7"
TOO_MANY = "Too many wrong tries for now."
WRONG = "not the password!"
PER_ADDRESS = settings.LOGIN_FAILURES_PER_ADDRESS
PER_ACCOUNT_FROM_ADDRESS = settings.LOGIN_FAILURES_PER_ACCOUNT_FROM_ADDRESS
BEFORE_CODE = settings.LOGIN_FAILURES_BEFORE_CODE


def attempt(login: str, password: str, address: str = ATTACKER, **headers) -> Client:
    """One log-in attempt from a fresh browser at `address`; the client keeps its session."""
    client = Client(REMOTE_ADDR=address, **headers)
    client.response = client.post(LOGIN, {"login": login, "password": password})
    return client


def is_logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def refused(client: Client) -> bool:
    return client.response.status_code == 200 and TOO_MANY in client.response.content.decode()


def fail_from_everywhere(login: str, times: int) -> None:
    """Wrong passwords for one account, each from an address of its own."""
    for n in range(times):
        assert not is_logged_in(attempt(login, WRONG, address=f"192.0.2.{n + 1}"))


# From one address


def test_one_address_is_refused_after_too_many_failures_across_accounts(alice):
    for n in range(PER_ADDRESS):
        assert not refused(attempt(f"someone{n}", WRONG))

    client = attempt("alice", PASSWORD)

    assert refused(client)
    assert not is_logged_in(client)
    # The owner, elsewhere, is not affected.
    assert is_logged_in(attempt("alice", PASSWORD, address=OWNER))


def test_one_address_is_refused_for_an_account_after_five_failures_but_not_for_others(
    alice, make_user
):
    make_user("bob")
    for _ in range(PER_ACCOUNT_FROM_ADDRESS):
        assert not refused(attempt("alice", WRONG))

    assert refused(attempt("alice", PASSWORD))
    assert is_logged_in(attempt("bob", PASSWORD))
    assert is_logged_in(attempt("alice", PASSWORD, address=OWNER))


def test_a_username_and_an_email_address_count_for_the_same_account(alice):
    for n in range(PER_ACCOUNT_FROM_ADDRESS):
        attempt("alice" if n % 2 else "Alice@Example.com", WRONG)

    assert refused(attempt("alice", PASSWORD))


def test_a_name_of_no_account_is_throttled_exactly_like_an_account(alice):
    for _ in range(PER_ACCOUNT_FROM_ADDRESS):
        attempt("nobody", WRONG)
        attempt("alice", WRONG, address="203.0.113.67")

    unknown = attempt("nobody", WRONG).response.content.decode()
    known = attempt("alice", WRONG, address="203.0.113.67").response.content.decode()
    token_or_nonce = re.compile(r'(value="|nonce="|CSRFToken": ")[^"]+"')
    assert token_or_nonce.sub("", unknown) == token_or_nonce.sub("", known)


def test_the_address_may_try_again_once_the_window_has_passed(alice, now, time_machine):
    for _ in range(PER_ACCOUNT_FROM_ADDRESS):
        attempt("alice", WRONG)
    assert refused(attempt("alice", PASSWORD))

    time_machine.move_to(
        now + timedelta(minutes=settings.LOGIN_FAILURE_MINUTES, seconds=1), tick=False
    )

    assert is_logged_in(attempt("alice", PASSWORD))


def test_a_successful_login_does_not_wipe_the_failures_before_it(alice):
    # Or a guesser who also knows one password could interleave it to keep guessing.
    for _ in range(PER_ACCOUNT_FROM_ADDRESS - 1):
        attempt("alice", WRONG)
    assert is_logged_in(attempt("alice", PASSWORD))

    attempt("alice", WRONG)

    assert refused(attempt("alice", PASSWORD))


# For one account, from everywhere: never locked, but the password alone is not enough


def test_below_the_account_limit_the_password_alone_is_enough(alice):
    fail_from_everywhere("alice", BEFORE_CODE - 1)

    assert is_logged_in(attempt("alice", PASSWORD, address=OWNER))


def test_past_the_account_limit_the_right_password_also_needs_an_emailed_code(alice):
    fail_from_everywhere("alice", BEFORE_CODE)
    mail.outbox.clear()

    owner = attempt("alice", PASSWORD, address=OWNER)

    assert not is_logged_in(owner)
    assert owner.response["Location"] == reverse("account_confirm_login_code")
    page = owner.get(owner.response["Location"]).content.decode()
    assert "Your password was right" in page
    (message,) = mail.outbox
    assert message.to == ["alice@example.com"]
    code = re.search(r"^\s*([A-Z0-9-]{6,})\s*$", message.body, re.MULTILINE).group(1)
    response = owner.post(reverse("account_confirm_login_code"), {"code": code})
    assert response["Location"] == DASHBOARD
    assert is_logged_in(owner)


def test_past_the_account_limit_a_wrong_password_is_still_just_wrong(alice):
    fail_from_everywhere("alice", BEFORE_CODE)
    mail.outbox.clear()

    client = attempt("alice", WRONG, address=OWNER)

    assert "That username or password is not right." in client.response.content.decode()
    assert mail.outbox == []


def test_past_the_account_limit_a_passkey_stands_in_for_the_code_without_an_email(user):
    add_passkey(user)
    fail_from_everywhere("alice", BEFORE_CODE)

    owner = attempt("alice", PASSWORD, address=OWNER)

    assert not is_logged_in(owner)
    assert owner.response["Location"] == reverse("mfa_authenticate")
    page = owner.get(reverse("mfa_authenticate")).content.decode()
    assert "confirm with your passkey" in page
    assert "Use a passkey" in page


def test_an_account_with_neither_email_nor_passkey_is_never_locked_out(user):
    fail_from_everywhere("alice", BEFORE_CODE + 5)

    assert is_logged_in(attempt("alice", PASSWORD, address=OWNER))


# Behind a proxy


def test_behind_our_proxy_each_client_is_counted_by_its_own_address(alice, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    # nginx appends the address it saw; anything before it is the client's to write.
    via_proxy = {"REMOTE_ADDR": "127.0.0.1"}
    for n in range(PER_ADDRESS):
        client = Client(**via_proxy, HTTP_X_FORWARDED_FOR=f"10.9.9.{n}, {ATTACKER}")
        client.post(LOGIN, {"login": "alice", "password": WRONG})

    attacker = Client(**via_proxy, HTTP_X_FORWARDED_FOR=f"1.2.3.4, {ATTACKER}")
    attacker.post(LOGIN, {"login": "alice", "password": PASSWORD})
    owner = Client(**via_proxy, HTTP_X_FORWARDED_FOR=OWNER)
    owner.post(LOGIN, {"login": "alice", "password": PASSWORD})

    assert not is_logged_in(attacker)
    assert is_logged_in(owner)


def test_without_a_proxy_a_forged_forwarded_header_changes_nothing(alice, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    for n in range(PER_ACCOUNT_FROM_ADDRESS):
        attempt("alice", WRONG, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")

    assert refused(attempt("alice", PASSWORD, HTTP_X_FORWARDED_FOR="10.0.0.99"))


@pytest.mark.parametrize(("behind", "count"), [("1", 1), ("0", 0)])
def test_the_proxy_is_trusted_only_when_the_environment_says_so(behind, count, monkeypatch):
    import config.settings as module

    monkeypatch.setenv("DJANGO_BEHIND_PROXY", behind)
    try:
        assert count == importlib.reload(module).ALLAUTH_TRUSTED_PROXY_COUNT
    finally:
        monkeypatch.delenv("DJANGO_BEHIND_PROXY")
        importlib.reload(module)


# The counters live in a cache that every process shares


def test_the_counters_are_kept_in_the_database_cache_by_default(alice):
    assert settings.CACHES["default"]["BACKEND"].endswith("db.DatabaseCache")
    attempt("alice", WRONG)

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM facetrack_cache WHERE cache_key LIKE %s", ["%:rl:%"])
        assert cursor.fetchone()[0] >= 2


def test_the_counters_are_kept_in_redis_when_redis_url_is_set(alice, settings, redis_server):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_server.url,
        }
    }
    redis = redis_server.client()
    redis.flushdb()
    try:
        for _ in range(PER_ACCOUNT_FROM_ADDRESS):
            attempt("alice", WRONG)

        assert refused(attempt("alice", PASSWORD))
        assert is_logged_in(attempt("alice", PASSWORD, address=OWNER))
        assert any(b":rl:" in key for key in redis.keys("*"))
    finally:
        redis.flushdb()


def test_redis_url_in_the_environment_selects_redis():
    code = (
        "import django, os; os.environ['REDIS_URL'] = 'redis://127.0.0.1:1/0'; "
        "os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings'; django.setup(); "
        "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "django.core.cache.backends.redis.RedisCache"


# Other guesses and floods


def test_old_password_guesses_on_the_change_form_count_like_failed_logins(user, client_for):
    client = client_for(user)
    url = reverse("account_change_password")
    new = {"password1": "a brand new passphrase", "password2": "a brand new passphrase"}
    for _ in range(PER_ACCOUNT_FROM_ADDRESS):
        response = client.post(url, {"oldpassword": WRONG, **new})
        assert "Please type your current password." in response.content.decode()

    response = client.post(url, {"oldpassword": PASSWORD, **new})

    assert TOO_MANY in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_sign_ups_from_one_address_are_limited():
    for n in range(settings.SIGNUPS_PER_ADDRESS_PER_HOUR):
        response = Client(REMOTE_ADDR=ATTACKER).post(
            reverse("account_signup"), signup_data(email=f"bot{n}@example.com")
        )
        assert response.status_code == 302

    response = Client(REMOTE_ADDR=ATTACKER).post(reverse("account_signup"), {})

    assert response.status_code == 429
    assert "Too many tries" in response.content.decode()
    assert User.objects.count() == settings.SIGNUPS_PER_ADDRESS_PER_HOUR
    assert Client(REMOTE_ADDR=OWNER).get(reverse("account_signup")).status_code == 200


def test_reset_requests_for_one_address_are_limited(alice):
    url = reverse("account_reset_password")
    for n in range(3):
        response = Client(REMOTE_ADDR=f"192.0.2.{n}").post(url, {"email": "alice@example.com"})
        assert response.status_code == 302

    response = Client(REMOTE_ADDR=OWNER).post(url, {"email": "alice@example.com"})

    assert response.status_code == 429
    assert len(mail.outbox) == 3


def test_reset_requests_from_one_address_are_limited(alice):
    url = reverse("account_reset_password")
    for n in range(settings.EMAILS_PER_ADDRESS_PER_HOUR):
        Client(REMOTE_ADDR=ATTACKER).post(url, {"email": f"someone{n}@example.com"})

    response = Client(REMOTE_ADDR=ATTACKER).post(url, {"email": "alice@example.com"})

    assert response.status_code == 429
    assert mail.outbox == []


def test_code_requests_for_one_address_are_limited(alice):
    url = reverse("account_request_login_code")
    for n in range(3):
        response = Client(REMOTE_ADDR=f"192.0.2.{n}").post(url, {"email": "alice@example.com"})
        assert response.status_code == 302

    response = Client(REMOTE_ADDR=OWNER).post(url, {"email": "alice@example.com"})

    assert response.status_code == 200
    assert TOO_MANY in response.content.decode()
    assert len(mail.outbox) == 3


def test_the_admin_login_is_no_way_around_the_throttle(alice):
    for _ in range(PER_ACCOUNT_FROM_ADDRESS):
        attempt("alice", WRONG)
    client = Client(REMOTE_ADDR=ATTACKER)

    response = client.post(reverse("admin:login"), {"username": "alice", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
    assert not is_logged_in(client)


# The admin: one login page, so one throttle


def test_the_admin_sends_visitors_to_the_one_login_page():
    response = Client().get(reverse("admin:login"))

    assert response.status_code == 302
    assert response["Location"].startswith(f"{LOGIN}?next=")


def test_staff_reach_the_admin_through_the_one_login_page(user):
    User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
    client = Client()

    response = client.post(LOGIN, {"login": "alice", "password": PASSWORD, "next": "/admin/"})

    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_someone_not_staff_is_refused_at_the_admin(user_client):
    assert user_client.get(reverse("admin:login")).status_code == 403
