"""allauth's account and passkey forms, in the project's words and with hard limits.

Every field a stranger can type into has a maximum length, so that any input is a form error
and never a database error; a WebAuthn response that cannot be read is a form error too.
"""

from allauth.account import forms as account_forms
from allauth.account.adapter import get_adapter
from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.models import Authenticator
from allauth.mfa.webauthn import forms as passkey_forms
from django import forms
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator

from tracker.forms.common import timezone_choices
from tracker.models import validate_timezone

# The longest address SMTP carries (RFC 5321), and the length of the email columns.
EMAIL_MAX_LENGTH = 254
PASSKEY_NAME_MAX_LENGTH = 60
PASSKEY_REFUSED = "The passkey could not be checked. Try again, or log in another way."


def cap_length(field: forms.Field, limit: int) -> None:
    field.max_length = limit
    field.validators.append(MaxLengthValidator(limit))
    field.widget.attrs["maxlength"] = str(limit)


def password_rules() -> str:
    """The password rules in the app's words (Django's own list reads like a legal notice)."""
    return (
        f"At least {password_min_length()} characters. Not a common password, not only "
        "digits, and not close to your username or email address."
    )


def password_min_length() -> int:
    """The length the validators ask for (settings.AUTH_PASSWORD_VALIDATORS)."""
    lengths = [
        validator.min_length
        for validator in password_validation.get_default_password_validators()
        if hasattr(validator, "min_length")
    ]
    return max(lengths, default=1)


def plain_widgets(form: forms.Form) -> None:
    """Labels say what a field is for; allauth's placeholders only repeat them."""
    for field in form.fields.values():
        field.widget.attrs.pop("placeholder", None)


class LoginForm(account_forms.LoginForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["login"] = forms.CharField(
            label="Email or username",
            max_length=EMAIL_MAX_LENGTH,
            widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
        )
        # The template links to the password reset itself.
        self.fields["password"].help_text = ""
        self.order_fields(["login", "password"])
        plain_widgets(self)


class SignupForm(account_forms.SignupForm):
    timezone = forms.ChoiceField(
        label="Time zone",
        initial="UTC",
        validators=[validate_timezone],
        help_text="Weeks are counted in this zone. Proposed from your browser.",
    )

    field_order = ["email", "password1", "password2", "username", "timezone"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cap_length(self.fields["email"], EMAIL_MAX_LENGTH)
        self.fields[
            "email"
        ].help_text = "To reset a forgotten password. It is never shown to anyone."
        self.fields[
            "username"
        ].help_text = "Made from your email address if left empty. You can log in with either."
        self.fields["username"].widget.attrs["autocapitalize"] = "none"
        self.fields["password1"].help_text = password_rules()
        self.fields["password2"].label = "Password again"
        self.fields["timezone"].choices = timezone_choices()
        self.fields["timezone"].widget.attrs["data-browser-timezone"] = ""
        plain_widgets(self)


class NewPasswordMixin:
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["password1"].label = "New password"
        self.fields["password1"].help_text = password_rules()
        self.fields["password2"].label = "New password again"
        plain_widgets(self)


class ChangePasswordForm(NewPasswordMixin, account_forms.ChangePasswordForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["oldpassword"].label = "Current password"
        self.fields["oldpassword"].help_text = ""

    def clean_oldpassword(self) -> str:
        # Through the sign-in throttle: guesses here count like wrong passwords at log-in.
        password = self.cleaned_data.get("oldpassword", "")
        if not get_adapter().reauthenticate(self.user, password):
            raise get_adapter().validation_error("enter_current_password")
        return password


class ResetPasswordKeyForm(NewPasswordMixin, account_forms.ResetPasswordKeyForm):
    pass


class SetPasswordForm(NewPasswordMixin, account_forms.SetPasswordForm):
    pass


class EmailFormMixin:
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        cap_length(self.fields["email"], EMAIL_MAX_LENGTH)
        self.fields["email"].label = "Email address"
        plain_widgets(self)


class ResetPasswordForm(EmailFormMixin, account_forms.ResetPasswordForm):
    pass


class RequestLoginCodeForm(EmailFormMixin, account_forms.RequestLoginCodeForm):
    pass


class AddEmailForm(EmailFormMixin, account_forms.AddEmailForm):
    pass


class CodeFieldMixin:
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        code = self.fields["code"]
        code.label = "Code"
        code.widget.attrs["inputmode"] = "numeric"
        code.widget.attrs["autocapitalize"] = "none"
        plain_widgets(self)


class AuthenticateForm(CodeFieldMixin, mfa_forms.AuthenticateForm):
    """The second step of a password log-in: a code from the app, or a recovery code."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Without an app, the step is there only to ask for a passkey (tracker.auth.stages).
        types = set(
            Authenticator.objects.filter(user_id=self.user.pk).values_list("type", flat=True)
        )
        self.has_app = Authenticator.Type.TOTP in types
        self.has_passkey = Authenticator.Type.WEBAUTHN in types


class ReauthenticateForm(CodeFieldMixin, mfa_forms.ReauthenticateForm):
    pass


class ReadablePasskeyMixin:
    """A WebAuthn response comes from the browser as JSON anyone can forge: whatever in it
    fido2 cannot read is a form error with a message, never a server error."""

    def clean_credential(self):
        try:
            return super().clean_credential()
        except Exception as error:  # Any shape of forged JSON; fido2 raises many kinds.
            raise ValidationError(PASSKEY_REFUSED, code="incorrect_code") from error


class LoginPasskeyForm(ReadablePasskeyMixin, passkey_forms.LoginWebAuthnForm):
    pass


class AuthenticatePasskeyForm(ReadablePasskeyMixin, passkey_forms.AuthenticateWebAuthnForm):
    pass


class ReauthenticatePasskeyForm(ReadablePasskeyMixin, passkey_forms.ReauthenticateWebAuthnForm):
    pass


class AddPasskeyForm(passkey_forms.SignupWebAuthnForm):
    """A passkey that signs in on its own: resident on the device, with the screen lock."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        name = self.fields["name"]
        name.label = "Name it"
        name.help_text = "So that you can tell your passkeys apart, e.g. “Phone” or “Laptop”."
        cap_length(name, PASSKEY_NAME_MAX_LENGTH)

    def clean_credential(self):
        # allauth checks only a truthy answer: a posted 0 or false would be stored as a
        # passkey, and every passkey page of the account would then fail to read it.
        credential = self.cleaned_data["credential"]
        if not isinstance(credential, dict) or not credential:
            raise ValidationError(PASSKEY_REFUSED, code="incorrect_code")
        return credential

    def clean(self) -> dict:
        # allauth then refuses a passkey that did not check who held the device.
        self.cleaned_data["passwordless"] = True
        try:
            return super().clean()
        except Exception as error:  # Forged JSON, as above.
            raise ValidationError(PASSKEY_REFUSED, code="incorrect_code") from error


class RenamePasskeyForm(passkey_forms.EditWebAuthnForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].label = "Name"
        cap_length(self.fields["name"], PASSKEY_NAME_MAX_LENGTH)
