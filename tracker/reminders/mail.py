"""Reminders by email, with a one-click unsubscribe (RFC 8058) that needs no login."""

import email.policy
import smtplib

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.urls import reverse

from tracker.reminders.due import Message

UNSUBSCRIBE_SALT = "facetrack.reminders.unsubscribe"


class TransientEmailFailure(Exception):
    """The mail server did not take the message this time; trying again later may work."""


class PermanentEmailFailure(Exception):
    """The mail server refused the message for good (a 5xx answer, a refused login)."""


def unsubscribe_token(user) -> str:
    """Signed with the secret key: whoever holds it may stop this person's reminder emails,
    and nothing else. It carries the account's id only, never the address."""
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT, compress=True)


def user_id_for(token: str) -> int | None:
    try:
        value = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return value if type(value) is int else None


def unsubscribe_url(user) -> str:
    path = reverse("tracker:reminder-unsubscribe", kwargs={"token": unsubscribe_token(user)})
    return settings.SITE_URL + path


class ReminderEmail(EmailMessage):
    """Headers kept whole: Python folds a long List-Unsubscribe URL into encoded words (RFC
    2047), which mail programs do not decode there, so the one-click link would be lost."""

    def message(self, *, policy: email.policy.Policy = email.policy.default):
        return super().message(policy=policy.clone(max_line_length=998))


def reminder_email(user, address: str, message: Message) -> EmailMessage:
    """The email: the reminder's words, a link to the app, and how to stop these emails."""
    stop = unsubscribe_url(user)
    body = "\n".join(
        [
            message.body,
            "",
            f"Open Facetrack: {settings.SITE_URL}{reverse('tracker:dashboard')}",
            "",
            "You get this email because you turned on reminders by email in Facetrack.",
            f"Change the days or the time: {settings.SITE_URL}{reverse('tracker:profile')}",
            f"Stop these emails: {stop}",
        ]
    )
    return ReminderEmail(
        subject=message.title,
        body=body,
        to=[address],
        headers={
            # RFC 8058: mail programs offer "Unsubscribe" and POST this body to the URL.
            "List-Unsubscribe": f"<{stop}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            # RFC 3834: no out-of-office answers to a machine.
            "Auto-Submitted": "auto-generated",
        },
    )


def send_email(user, address: str, message: Message) -> None:
    """Send one reminder through Django's email framework (the default mailer)."""
    try:
        reminder_email(user, address, message).send()
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _text in error.recipients.values()]
        if codes and all(400 <= code < 500 for code in codes):
            raise TransientEmailFailure(f"recipient deferred ({codes[0]})") from None
        raise PermanentEmailFailure(f"recipient refused ({codes[0] if codes else '?'})") from None
    except smtplib.SMTPAuthenticationError as error:
        raise PermanentEmailFailure(f"login refused ({error.smtp_code})") from None
    except smtplib.SMTPResponseException as error:
        if 400 <= error.smtp_code < 500:
            raise TransientEmailFailure(f"mail server deferred ({error.smtp_code})") from None
        raise PermanentEmailFailure(f"mail server refused ({error.smtp_code})") from None
    except (smtplib.SMTPException, OSError) as error:
        # Disconnected, refused connection, timeout: the server may well answer next time.
        raise TransientEmailFailure(f"mail server unreachable: {type(error).__name__}") from None
