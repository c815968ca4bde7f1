from allauth.mfa.models import Authenticator
from allauth.mfa.stages import AuthenticateStage
from allauth.mfa.utils import is_mfa_enabled
from allauth.mfa.webauthn.internal.flows import did_use_passwordless_login
from django.http import HttpRequest

from tracker.auth import throttle


class SecondStepStage(AuthenticateStage):
    """allauth's two-factor step, asked for when it protects someone, not for every passkey.

    allauth treats any passkey as a second factor, so adding one would make every password
    login ask for it. Here a passkey signs in on its own, and this step comes only with an
    authenticator app (TOTP), or for an account under attack that has a passkey but no email
    address to send a code to: its password alone is then not enough, but it is never locked.
    """

    def _should_handle(self, request: HttpRequest) -> bool:
        user = self.login.user
        if user is None or did_use_passwordless_login(request, user):
            return False
        if is_mfa_enabled(user, [Authenticator.Type.TOTP]):
            return True
        return (
            is_mfa_enabled(user, [Authenticator.Type.WEBAUTHN])
            and throttle.is_under_attack(request, user)
            and not throttle.has_email_address(user)
        )
