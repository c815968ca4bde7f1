"""System checks for the reminder settings (`manage.py check`, and `check --deploy`)."""

from django.conf import settings
from django.core import checks

from tracker.reminders import push


@checks.register()
def vapid_keys(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """Web Push needs both keys of one pair, or neither."""
    private, public = settings.VAPID_PRIVATE_KEY, settings.VAPID_PUBLIC_KEY
    if bool(private) != bool(public):
        return [
            checks.Error(
                "Set both DJANGO_VAPID_PRIVATE_KEY and DJANGO_VAPID_PUBLIC_KEY, or neither.",
                hint="manage.py generate_vapid_keys prints a pair.",
                id="facetrack.E101",
            )
        ]
    if private:
        try:
            matches = push.public_key_for(private) == public
        except Exception:
            matches = False
        if not matches:
            return [
                checks.Error(
                    "DJANGO_VAPID_PUBLIC_KEY is not the public key of DJANGO_VAPID_PRIVATE_KEY.",
                    hint="Set the pair that manage.py generate_vapid_keys printed together.",
                    id="facetrack.E102",
                )
            ]
    return []


@checks.register(deploy=True)
def site_url(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """Links in reminder emails must point at the real site."""
    if settings.SITE_URL.startswith(("http://127.0.0.1", "http://localhost")):
        return [
            checks.Warning(
                "DJANGO_SITE_URL is not set: links in reminder emails would point at "
                f"{settings.SITE_URL}.",
                hint="Set DJANGO_SITE_URL=https://your.host.name",
                id="facetrack.W101",
            )
        ]
    return []
