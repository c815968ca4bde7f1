from allauth.account import signals as account_signals
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from tracker.auth import email_prompt


@receiver(user_logged_in)
def remember_whether_to_prompt_for_email(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        email_prompt.refresh(request, user)


@receiver(account_signals.email_confirmed)
@receiver(account_signals.email_added)
@receiver(account_signals.email_removed)
@receiver(account_signals.email_changed)
def prompt_again_if_the_address_changed(sender, request=None, **kwargs) -> None:
    if request is not None and request.user.is_authenticated:
        email_prompt.refresh(request, request.user)
