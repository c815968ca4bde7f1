import zoneinfo
from datetime import timedelta

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import UserCreationForm
from django.utils import timezone

from tracker import portability
from tracker.models import (
    MAX_SESSION_MINUTES,
    Area,
    MassageSession,
    Product,
    Profile,
    RestWeek,
    Routine,
    RoutineStep,
    Technique,
    Tool,
    validate_timezone,
)

# A phone's clock can run a little ahead of the server's.
FUTURE_TOLERANCE = timedelta(minutes=5)


def timezone_choices() -> list[tuple[str, str]]:
    zones = sorted(
        z
        for z in zoneinfo.available_timezones()
        if "/" in z and not z.startswith(("Etc/", "SystemV/"))
    )
    return [("UTC", "UTC"), *((z, z.replace("_", " ")) for z in zones)]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


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

    def save(self, commit: bool = True):
        user = super().save(commit=commit)
        if commit:
            user.profile.timezone = self.cleaned_data["timezone"]
            user.profile.save(update_fields=["timezone"])
        return user


class ProfileForm(forms.ModelForm):
    timezone = forms.ChoiceField(label="Time zone", validators=[validate_timezone])

    class Meta:
        model = Profile
        fields = ["timezone", "week_start", "target_min", "target_stretch", "target_minutes"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["timezone"].choices = timezone_choices()


class ToolForm(forms.ModelForm):
    class Meta:
        model = Tool
        fields = ["name", "kind", "material", "last_cleaned_on"]
        widgets = {"last_cleaned_on": DateInput()}


class ProductForm(forms.ModelForm):
    class Meta:
        model = Product
        fields = [
            "name",
            "kind",
            "key_ingredients",
            "opened_on",
            "patch_test",
            "patch_test_started_on",
        ]
        widgets = {"opened_on": DateInput(), "patch_test_started_on": DateInput()}


class OwnedChoicesMixin:
    """Limit every related-object field to the user's own objects.

    Another user's id is then an ordinary "select a valid choice" error, never a leak.
    """

    owned_fields: dict[str, type] = {}

    def limit_to_owner(self, user) -> None:
        for name, model in self.owned_fields.items():
            if name in self.fields:
                self.fields[name].queryset = model.objects.for_user(user)


class RoutineForm(OwnedChoicesMixin, forms.ModelForm):
    owned_fields = {"products": Product}

    class Meta:
        model = Routine
        fields = ["name", "description", "products"]
        widgets = {"products": forms.CheckboxSelectMultiple}

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.limit_to_owner(user)


class StepForm(OwnedChoicesMixin, forms.ModelForm):
    owned_fields = {"tool": Tool}

    class Meta:
        model = RoutineStep
        fields = ["technique", "area", "tool", "seconds", "instruction"]

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.limit_to_owner(user)
        self.fields["tool"].empty_label = "No tool"


class SessionForm(OwnedChoicesMixin, forms.ModelForm):
    owned_fields = {"routine": Routine, "tools": Tool, "products": Product}

    performed_at = forms.DateTimeField(label="When", widget=DateTimeLocalInput())
    minutes = forms.IntegerField(
        min_value=1,
        max_value=MAX_SESSION_MINUTES,
        error_messages={
            "min_value": "A session lasts at least 1 minute.",
            "max_value": f"That is more than {MAX_SESSION_MINUTES} minutes: check the number.",
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    techniques = forms.MultipleChoiceField(
        choices=Technique.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    areas = forms.MultipleChoiceField(
        choices=Area.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    rating = forms.TypedChoiceField(
        label="How did it feel?",
        choices=[("", "No rating"), *((str(n), f"{n} of 5") for n in range(1, 6))],
        coerce=int,
        empty_value=None,
        required=False,
    )

    class Meta:
        model = MassageSession
        fields = [
            "performed_at",
            "minutes",
            "routine",
            "techniques",
            "areas",
            "tools",
            "products",
            "pressure",
            "cleansed_skin",
            "clean_hands_and_tools",
            "used_slip",
            "reaction",
            "rating",
            "notes",
        ]
        widgets = {
            "tools": forms.CheckboxSelectMultiple,
            "products": forms.CheckboxSelectMultiple,
            "pressure": forms.RadioSelect,
            "reaction": forms.RadioSelect,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.limit_to_owner(user)
        self.fields["routine"].empty_label = "No routine"
        if not self.instance.pk and not self.is_bound:
            self.initial.setdefault(
                "performed_at", timezone.localtime().replace(second=0, microsecond=0)
            )
            self.initial.setdefault("minutes", user.profile.target_minutes)
        if self.instance.pk:
            # The widget shows whole minutes: compare like with like, so that an edit that
            # leaves the time alone is not seen as a new time (see save).
            self.initial["performed_at"] = self.instance.performed_at.replace(
                second=0, microsecond=0
            )

    def clean_performed_at(self):
        performed_at = self.cleaned_data["performed_at"]
        if performed_at > timezone.now() + FUTURE_TOLERANCE:
            raise forms.ValidationError("That is in the future: log a session once it is done.")
        return performed_at

    def save(self, commit: bool = True) -> MassageSession:
        session = super().save(commit=False)
        session.owner = self.user
        # The local day is fixed when a session is logged; only a new time moves it, so that
        # moving to another zone later does not shuffle old sessions between weeks.
        if session.local_date is None or session.performed_at != self.initial["performed_at"]:
            session.set_local_date(self.user.profile.zone)
        if commit:
            session.save()
            self.save_m2m()
        return session


class RestWeekForm(forms.ModelForm):
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

    def save(self, commit: bool = True) -> RestWeek:
        rest = super().save(commit=False)
        rest.owner = self.user
        if commit:
            rest.save()
        return rest


class ImportArchiveForm(forms.Form):
    archive = forms.FileField(
        label="Facetrack export (.zip)",
        help_text="A ZIP file downloaded from “Download all your data”.",
        widget=forms.FileInput(attrs={"accept": ".zip,application/zip"}),
    )

    def clean_archive(self):
        archive = self.cleaned_data["archive"]
        if archive.size > portability.MAX_ARCHIVE_BYTES:
            limit = portability.MAX_ARCHIVE_BYTES // (1024 * 1024)
            raise forms.ValidationError(f"That file is larger than {limit} MB.")
        return archive


class LoopImportForm(forms.Form):
    checkmarks = forms.FileField(
        label="Loop Habit Tracker checkmarks (.csv)",
        help_text="From Loop's CSV export: the Checkmarks.csv in your habit's folder.",
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_checkmarks(self):
        checkmarks = self.cleaned_data["checkmarks"]
        if checkmarks.size > portability.MAX_LOOP_CSV_BYTES:
            limit = portability.MAX_LOOP_CSV_BYTES // (1024 * 1024)
            raise forms.ValidationError(f"That file is larger than {limit} MB.")
        return checkmarks


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
