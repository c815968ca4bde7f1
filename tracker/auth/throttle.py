"""The sign-in throttle: one set of rules over allauth's rate limiter and the shared cache.

- From one address, failed logins are refused for a while once there have been too many,
  across all accounts and for any one account (settings.ACCOUNT_RATE_LIMITS["login_failed"],
  checked by allauth before the password is, with the key made here).
- For one account, from every address together, failures never lock it: once there have been
  LOGIN_FAILURES_BEFORE_CODE in an hour, the right password is no longer enough on its own and
  the person also enters a code sent to their email address, or signs in with a passkey.

Counts live in Django's default cache, shared by every process (the database or Redis), never
in one process's memory. The account a login names is looked up, so that a username and an
email address of the same account count together; names of no account count by themselves and
are throttled exactly alike, so the throttle says nothing about which accounts exist.
"""

from typing import Any

from allauth.account.adapter import get_adapter
from allauth.account.models import EmailAddress
from allauth.account.utils import filter_users_by_email, filter_users_by_username
from allauth.core import ratelimit
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest

ACCOUNT_FAILURES = "login_failed_account"


def find_account(credentials: dict[str, Any]) -> AbstractBaseUser | None:
    """The account a login form's credentials name, by email address first, then username."""
    email, username = credentials.get("email"), credentials.get("username")
    if email:
        users = filter_users_by_email(email, prefer_verified=True)
        if users:
            return users[0]
    if username:
        return filter_users_by_username(username).first()
    return None


def account_key(credentials: dict[str, Any]) -> str:
    """One counter per account, however the person named it."""
    user = find_account(credentials)
    if user is not None:
        return f"user:{user.pk}"
    name = credentials.get("email") or credentials.get("username") or ""
    return f"name:{name.strip().lower()}"


def address_and_account_key(request: HttpRequest, credentials: dict[str, Any]) -> str:
    """The key of the per-address, per-account rule: one address cannot lock anyone else out."""
    return f"{get_adapter().get_client_ip(request)}|{account_key(credentials)}"


def count_account_failure(request: HttpRequest, credentials: dict[str, Any]) -> None:
    """Count a wrong password against the account, whichever address it came from."""
    ratelimit.consume(request, action=ACCOUNT_FAILURES, key=account_key(credentials))


def is_under_attack(request: HttpRequest, user: AbstractBaseUser) -> bool:
    """True once the account has had too many failures in the last hour, from anywhere."""
    # A dry run counts nothing; it says whether one more failure would still be allowed.
    return not ratelimit.consume(
        request, action=ACCOUNT_FAILURES, key=f"user:{user.pk}", dry_run=True
    )


def has_email_address(user: AbstractBaseUser) -> bool:
    return EmailAddress.objects.filter(user_id=user.pk).exists()
