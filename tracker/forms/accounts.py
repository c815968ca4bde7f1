"""Sign-up, settings, rest weeks and account deletion."""

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import UserCreationForm

from tracker.forms.common import DateInput, DatesInRangeMixin, timezone_choices
from tracker.models import (
    Profile,
    RestWeek,
    validate_timezone,
)


class SignupForm(UserCreationForm):
    timezone = forms.ChoiceField(
        label="Time zone",
        initial="UTC",
        help_text="Weeks are counted in this zone. Proposed from your browser.",
    )

    class Meta(UserCreationForm.Meta):
        fields = ("username",)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["timezone"].choices = timezone_choices()
        self.fields["timezone"].widget.attrs["data-browser-timezone"] = ""


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

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        # Through authenticate(), so that wrong guesses count towards the log-in lockout.
        user = authenticate(
            self.request, username=self.request.user.get_username(), password=password
        )
        if user is None or user.pk != self.request.user.pk:
            raise forms.ValidationError("That is not your password.")
        return password
