import logging
import smtplib
import time
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import get_authentication_records
from allauth.account.models import Login
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse

from tracker.auth import throttle
from tracker.auth.addresses import verified_address

logger = logging.getLogger(__name__)

SIGNED_UP_AT = "facetrack_signed_up_at"
# Tells the code page why a code is asked for after a right password.
CODE_REQUIRED = "facetrack_code_required"
# Right after signing up, adding a passkey or an email address asks for no password again.
FRESH_SIGNUP_SECONDS = 10 * 60

ALLAUTH_SECOND_STEP = "allauth.mfa.stages.AuthenticateStage"
SECOND_STEP = "tracker.auth.stages.SecondStepStage"


# Django's password validators by their error code; the rules are in tracker/forms/auth.py.
PASSWORD_REFUSALS = {
    "password_too_short": "Too short: use at least %(min_length)d characters.",
    "password_too_common": "This one is on lists of common passwords: choose another.",
    "password_entirely_numeric": "Only digits: add some letters or words.",
    "password_too_similar": "Too close to your username or email address.",
}


class AccountAdapter(DefaultAccountAdapter):
    """allauth's account hooks: the sign-in throttle, the time zone at sign-up, email sending."""

    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "too_many_login_attempts": (
            "Too many wrong tries for now. Wait a while, then try again, or log in another "
            "way: with a passkey, or with a code sent to your email address."
        ),
        "email_password_mismatch": "That email address or password is not right.",
        "username_password_mismatch": "That username or password is not right.",
        "incorrect_code": "That code is not right, or it has expired.",
        "username_taken": "That username is taken. Choose another, or leave it empty.",
        "email_taken": "An account already uses this email address. Log in instead.",
    }

    def clean_password(self, password: str, user: AbstractBaseUser | None = None) -> str:
        """Django's validators, with their verdicts said in the app's words."""
        try:
            return super().clean_password(password, user)
        except ValidationError as refused:
            raise ValidationError(
                [
                    ValidationError(
                        PASSWORD_REFUSALS.get(error.code, error.message),
                        code=error.code,
                        params=error.params,
                    )
                    for error in refused.error_list
                ]
            ) from refused

    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        # allauth counts failures per key from all addresses, which lets anyone lock an
        # account out; counted per address and account, a stranger locks out only himself.
        return throttle.address_and_account_key(request, credentials)

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        throttle.count_account_failure(request, credentials)

    def is_login_by_code_required(self, login: Login) -> bool:
        if super().is_login_by_code_required(login):
            return True
        records = get_authentication_records(self.request, login.user)
        by_password = bool(records) and records[-1].get("method") == "password"
        required = (
            by_password
            and throttle.is_under_attack(self.request, login.user)
            and throttle.has_email_address(login.user)
        )
        if required:
            self.request.session[CODE_REQUIRED] = True
        return required

    def get_login_stages(self) -> list[str]:
        return [SECOND_STEP if s == ALLAUTH_SECOND_STEP else s for s in super().get_login_stages()]

    def save_user(self, request: HttpRequest, user: AbstractBaseUser, form, commit: bool = True):
        user = super().save_user(request, user, form, commit=commit)
        zone = form.cleaned_data.get("timezone")
        if commit and zone:
            user.profile.change_settings(timezone=zone)
        return user

    def post_login(self, request: HttpRequest, user: AbstractBaseUser, **kwargs) -> HttpResponse:
        request.session.pop(CODE_REQUIRED, None)
        if kwargs.get("signup"):
            request.session[SIGNED_UP_AT] = time.time()
        return super().post_login(request, user, **kwargs)

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        session = getattr(self.request, "session", {})
        if time.time() - session.get(SIGNED_UP_AT, 0) < FRESH_SIGNUP_SECONDS:
            return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def send_notification_mail(
        self, template_prefix: str, user: AbstractBaseUser, context=None, email=None
    ) -> None:
        # "Your password was changed", "a passkey was added": only to a proved address, so that
        # an address typed in by someone else never receives news of an account.
        email = email or verified_address(user)
        if email:
            super().send_notification_mail(template_prefix, user, context=context, email=email)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # A mail server that is down must not turn a sign-up or a reset request into a 500:
        # the page answers as usual, and the failure is logged for whoever runs the site.
        try:
            super().send_mail(template_prefix, email, context)
        except (smtplib.SMTPException, OSError):
            logger.exception("Could not send the email %s", template_prefix)


class MFAAdapter(DefaultMFAAdapter):
    def _get_site_name(self) -> str:
        # The name a phone shows beside a passkey, and an authenticator app beside its codes.
        return "Facetrack"

    def generate_authenticator_name(self, user: AbstractBaseUser, type: Authenticator.Type) -> str:
        # allauth's "Master key" / "Backup key" are security-key words; these are passkeys.
        count = Authenticator.objects.filter(user_id=user.pk, type=type).count()
        return "Passkey" if count == 0 else f"Passkey {count + 1}"
