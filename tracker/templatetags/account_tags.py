from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django import template

from tracker.auth import email_prompt as prompt

register = template.Library()


@register.inclusion_tag("account/snippets/email_prompt.html", takes_context=True)
def email_prompt(context) -> dict:
    """The dashboard's reminder to add an email address (no query: tracker.auth.email_prompt)."""
    request = context["request"]
    return {"show": prompt.should_show(request), "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("account/snippets/sign_in_methods.html", takes_context=True)
def sign_in_methods(context) -> dict:
    """Settings' account section: email address, password, passkeys, two-step log-in."""
    user = context["request"].user
    addresses = list(EmailAddress.objects.filter(user_id=user.pk).order_by("-primary", "pk"))
    authenticators = list(Authenticator.objects.filter(user_id=user.pk).order_by("created_at"))
    return {
        "user": user,
        "email": addresses[0] if addresses else None,
        "passkeys": [a for a in authenticators if a.type == Authenticator.Type.WEBAUTHN],
        "has_app": any(a.type == Authenticator.Type.TOTP for a in authenticators),
    }
