from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def email_is_configured(app_configs, **kwargs) -> list[Warning]:
    """Without a mail server, nobody can reset a forgotten password or verify an address."""
    problems = []
    mailer = settings.MAILERS.get("default", {})
    if mailer.get("BACKEND", "").endswith("smtp.EmailBackend") and not mailer.get(
        "OPTIONS", {}
    ).get("host"):
        problems.append(
            Warning(
                "DJANGO_EMAIL_HOST is not set: password reset and verification emails "
                "cannot be sent.",
                hint="Set DJANGO_EMAIL_HOST (and its port, user, password) to your mail server.",
                id="facetrack.W001",
            )
        )
    if "localhost" in settings.DEFAULT_FROM_EMAIL:
        problems.append(
            Warning(
                "DJANGO_DEFAULT_FROM_EMAIL is not set: emails come from an address at localhost.",
                hint="Set DJANGO_DEFAULT_FROM_EMAIL, e.g. 'Facetrack <facetrack@example.org>'.",
                id="facetrack.W002",
            )
        )
    return problems
