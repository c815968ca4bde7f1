import zoneinfo

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_cache_control


class UserTimezoneMiddleware:
    """Render dates and times in the logged-in user's own time zone."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            try:
                timezone.activate(zoneinfo.ZoneInfo(request.user.profile.timezone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


def permissions_policy(policy: dict[str, tuple[str, ...]]) -> str:
    """`camera=(self), geolocation=()`: each feature with the origins allowed to use it."""
    return ", ".join(f"{feature}=({' '.join(allowed)})" for feature, allowed in policy.items())


class PrivacyHeadersMiddleware:
    """What Django's own security middleware does not send.

    Permissions-Policy on every response: the browser features the app uses, for itself only,
    and every other one off. Cache-Control: private on every answer to a logged-in person:
    their pages hold their own data, which no shared cache may keep (photos and the export say
    no-store besides, and keep it).
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response
        self.policy = permissions_policy(settings.PERMISSIONS_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.policy)
        if request.user.is_authenticated:
            patch_cache_control(response, private=True)
        return response
