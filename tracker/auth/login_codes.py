from allauth.account.internal.constants import LoginStageKey
from allauth.account.internal.flows.login_by_code import LoginCodeVerificationProcess
from allauth.account.stages import LoginStageController
from django.http import HttpRequest

# allauth sends a spent or expired code back to the request page without a word.
CODE_GONE = "That code has expired or has been used already: ask for a new one."


def pending_code_is_usable(request: HttpRequest) -> bool:
    """Whether this browser has a log-in code pending that has not expired yet."""
    stage = LoginStageController.enter(request, LoginStageKey.LOGIN_BY_CODE.value)
    return stage is not None and LoginCodeVerificationProcess(stage=stage).is_valid()
