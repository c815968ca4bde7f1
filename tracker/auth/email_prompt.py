"""The dashboard's quiet reminder to add an email address, for accounts without a verified one.

Whether to show it is kept in the session, worked out when the person logs in and whenever an
address is added, verified or removed, so that the dashboard itself pays no query for it.
"""

from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest

from tracker.auth.addresses import verified_address

SESSION_KEY = "facetrack_email_prompt"
SHOW, HIDE, DISMISSED = "show", "hide", "dismissed"


def refresh(request: HttpRequest, user: AbstractBaseUser) -> None:
    if request.session.get(SESSION_KEY) == DISMISSED:
        return
    request.session[SESSION_KEY] = HIDE if verified_address(user) else SHOW


def should_show(request: HttpRequest) -> bool:
    if SESSION_KEY not in request.session:
        # A session from before this reminder existed: work it out once.
        refresh(request, request.user)
    return request.session[SESSION_KEY] == SHOW


def dismiss(request: HttpRequest) -> None:
    request.session[SESSION_KEY] = DISMISSED
