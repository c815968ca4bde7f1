import zoneinfo
from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.forms import UserCreationForm
from django.db import transaction
from django.utils import dateformat, timezone

from tracker import portability
from tracker.images import FORMATS_FOR_PEOPLE, ImageRejected, ProcessedImage, process_upload
from tracker.models import (
    MAX_SESSION_MINUTES,
    Area,
    MassageSession,
    Product,
    Profile,
    ProgressPhoto,
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
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "products": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.limit_to_owner(user)
        self.fields[
            "products"
        ].help_text = "The oils or serums you use with it; add new ones under Tools and products."


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

    def checklist(self) -> list[forms.BoundField]:
        """The pre-session hygiene checks, drawn as one group of tick boxes."""
        return [self[name] for name in ("cleansed_skin", "clean_hands_and_tools", "used_slip")]

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
            if session.clean_hands_and_tools and self.cleaned_data["tools"]:
                # Ticking "clean hands and tools" is the tools' hygiene record too.
                self.cleaned_data["tools"].mark_cleaned(session.local_date)
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


def refuse_larger_than(upload, max_bytes: int):
    if upload.size > max_bytes:
        raise forms.ValidationError(f"That file is larger than {max_bytes // (1024 * 1024)} MB.")
    return upload


class ImportArchiveForm(forms.Form):
    archive = forms.FileField(
        label="Facetrack export (.zip)",
        help_text="A ZIP file downloaded from “Download all your data”.",
        widget=forms.FileInput(attrs={"accept": ".zip,application/zip"}),
    )

    def clean_archive(self):
        return refuse_larger_than(self.cleaned_data["archive"], portability.MAX_ARCHIVE_BYTES)


class LoopImportForm(forms.Form):
    checkmarks = forms.FileField(
        label="Loop Habit Tracker checkmarks (.csv)",
        help_text="From Loop's CSV export: the Checkmarks.csv in your habit's folder.",
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def clean_checkmarks(self):
        return refuse_larger_than(self.cleaned_data["checkmarks"], portability.MAX_LOOP_CSV_BYTES)


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


# Progress photos

# What the file picker offers; the server decides by content, never by this or the name.
PHOTO_ACCEPT = "image/jpeg,image/png,image/webp,image/heic,image/heif,.heic,.heif"


def file_label(upload) -> str:
    name = str(getattr(upload, "name", "") or "A file")
    return name if len(name) <= 60 else f"{name[:57]}…"


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotoFilesField(forms.FileField):
    """Several photos from one input; empty and oversized files are refused before decoding."""

    widget = MultiplePhotoInput

    def clean(self, data, initial=None) -> list:
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if not files:
            raise forms.ValidationError("Choose at least one photo.", code="required")
        limit = settings.PHOTO_MAX_FILES_PER_UPLOAD
        if len(files) > limit:
            raise forms.ValidationError(f"Add at most {limit} photos at a time.", code="too_many")
        errors = []
        for upload in files:
            if not upload.size:
                errors.append(f"{file_label(upload)}: this file is empty.")
            elif upload.size > settings.PHOTO_MAX_UPLOAD_BYTES:
                errors.append(
                    f"{file_label(upload)}: this file is larger than "
                    f"{megabytes(settings.PHOTO_MAX_UPLOAD_BYTES)}."
                )
        if errors:
            raise forms.ValidationError(errors)
        return files


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, session: MassageSession) -> str:
        when = dateformat.format(timezone.localtime(session.performed_at), "D j M Y, H:i")
        return f"{when} ({session.minutes} min)"


class PhotoDetailsMixin:
    """What the upload and the edit forms share: a session of one's own, no future dates."""

    def limit_sessions(self, user) -> None:
        field = self.fields["session"]
        field.queryset = MassageSession.objects.for_user(user).newest_first()
        field.empty_label = "No session"

    def clean_taken_at(self):
        taken_at = self.cleaned_data["taken_at"]
        if taken_at and taken_at > timezone.now() + FUTURE_TOLERANCE:
            raise forms.ValidationError("That is in the future.")
        return taken_at


def photo_taken_at(from_exif, zone: zoneinfo.ZoneInfo):
    """The moment the picture says it was taken (its clock read in the owner's zone), or now."""
    now = timezone.now()
    if from_exif is None:
        return now
    if timezone.is_naive(from_exif):
        from_exif = timezone.make_aware(from_exif, zone)
    return now if from_exif > now + FUTURE_TOLERANCE else from_exif


class PhotoUploadForm(PhotoDetailsMixin, forms.Form):
    photos = PhotoFilesField(
        label="Photos",
        help_text=f"{FORMATS_FOR_PEOPLE} (iPhone photos are fine), several at once.",
        widget=MultiplePhotoInput(attrs={"accept": PHOTO_ACCEPT}),
    )
    angle = forms.ChoiceField(
        choices=ProgressPhoto.Angle.choices,
        initial=ProgressPhoto.Angle.FRONT,
        widget=forms.RadioSelect,
    )
    timing = forms.ChoiceField(
        label="Taken",
        choices=ProgressPhoto.Timing.choices,
        initial=ProgressPhoto.Timing.UNRELATED,
        widget=forms.RadioSelect,
        help_text="Skin glows for 10 to 40 minutes after massage: such photos are labelled.",
    )
    taken_at = forms.DateTimeField(
        label="When",
        required=False,
        widget=DateTimeLocalInput(),
        help_text="Leave empty to use the date saved in the photo, or now.",
    )
    note = forms.CharField(max_length=300, required=False)
    session = SessionChoiceField(
        label="Session", queryset=MassageSession.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.limit_sessions(user)
        self.fields["photos"].help_text += (
            f" Up to {megabytes(settings.PHOTO_MAX_UPLOAD_BYTES)} each,"
            f" {settings.PHOTO_MAX_FILES_PER_UPLOAD} at a time."
        )

    def quota_error(self, adding: int) -> forms.ValidationError | None:
        kept = ProgressPhoto.objects.for_user(self.user).count()
        room = max(0, settings.PHOTO_QUOTA - kept)
        if adding <= room:
            return None
        return forms.ValidationError(
            f"You can keep up to {settings.PHOTO_QUOTA} photos and you have {kept}: "
            + (f"add at most {room} more." if room else "delete some to add new ones."),
            code="quota",
        )

    def clean_photos(self) -> list[ProcessedImage]:
        files = self.cleaned_data["photos"]
        if error := self.quota_error(len(files)):
            raise error
        processed, errors = [], []
        for upload in files:
            try:
                processed.append(process_upload(upload))
            except ImageRejected as rejection:
                errors.append(f"{file_label(upload)}: {rejection.message}")
        if errors:
            raise forms.ValidationError(errors)
        return processed

    def save(self) -> list[ProgressPhoto]:
        """The new photos; none, with an error on the form, if the quota filled up meanwhile."""
        data, zone = self.cleaned_data, self.user.profile.zone
        photos: list[ProgressPhoto] = []
        try:
            with transaction.atomic():
                # One user's uploads one at a time (SQLite's IMMEDIATE transactions already
                # do this), so that two at once cannot both pass the quota.
                list(Profile.objects.select_for_update().filter(user=self.user).values("pk"))
                if error := self.quota_error(len(data["photos"])):
                    self.add_error("photos", error)
                    return []
                for processed in data["photos"]:
                    photo = ProgressPhoto(
                        owner=self.user,
                        taken_at=data["taken_at"] or photo_taken_at(processed.taken_at, zone),
                        angle=data["angle"],
                        timing=data["timing"],
                        note=data["note"],
                        session=data["session"],
                    )
                    photos.append(photo)
                    photo.attach(processed)
                    photo.save()
        except BaseException:
            # The rows are rolled back; their files must not outlive them.
            for photo in photos:
                photo.delete_files()
            raise
        return photos


class PhotoForm(PhotoDetailsMixin, forms.ModelForm):
    class Meta:
        model = ProgressPhoto
        fields = ["taken_at", "angle", "timing", "note", "session"]
        labels = {"taken_at": "When", "timing": "Taken"}
        field_classes = {"session": SessionChoiceField}
        widgets = {
            "taken_at": DateTimeLocalInput(),
            "angle": forms.RadioSelect,
            "timing": forms.RadioSelect,
        }

    def __init__(self, *args, user, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.limit_sessions(user)
