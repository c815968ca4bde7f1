"""Settings, rest weeks and account deletion (signing up and in: tracker/forms/auth.py)."""

from allauth.account.adapter import get_adapter
from django import forms

from tracker.forms.common import DateInput, DatesInRangeMixin, timezone_choices
from tracker.models import (
    Profile,
    RestWeek,
    validate_timezone,
)


class ProfileForm(forms.ModelForm):
    timezone = forms.ChoiceField(label="Time zone", validators=[validate_timezone])

    class Meta:
        model = Profile
        fields = ["timezone", "week_start", "target_min", "target_stretch", "target_minutes"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["timezone"].choices = timezone_choices()


class RestWeekForm(DatesInRangeMixin, forms.ModelForm):
    week_start = forms.DateField(
        label="A day in the week to rest", widget=DateInput(), help_text="Any day of that week."
    )

    class Meta:
        model = RestWeek
        fields = ["week_start", "reason"]

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_week_start(self):
        start = self.user.profile.week_start_of(self.cleaned_data["week_start"])
        if RestWeek.objects.for_user(self.user).filter(week_start=start).exists():
            raise forms.ValidationError("That week is already a rest week.")
        return start


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, request, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.request = request
        # An account without a password confirmed with a passkey or an emailed code instead,
        # just before (the view asks for that).
        if not request.user.has_usable_password():
            del self.fields["password"]

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        # Through the sign-in throttle, so that guesses here count like wrong passwords at
        # log-in (and are refused, with its message, once there have been too many).
        if not get_adapter(self.request).reauthenticate(self.request.user, password):
            raise forms.ValidationError("That is not your password.")
        return password
