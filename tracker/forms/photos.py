"""Progress photos: upload several at once, edit one."""

from django import forms
from django.conf import settings
from django.utils import dateformat, timezone

from tracker.alignment import Eyes, MarksRefused
from tracker.forms.common import DatesInRangeMixin, DateTimeLocalInput
from tracker.images import FORMATS_FOR_PEOPLE, ImageRejected, ProcessedImage, process_upload
from tracker.models import MassageSession, PhotoQuotaFull, ProgressPhoto

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


class PhotoDetailsMixin(DatesInRangeMixin):
    """What the upload and the edit forms share: a session of one's own, dates in range."""

    def limit_sessions(self, user) -> None:
        field = self.fields["session"]
        field.queryset = MassageSession.objects.for_user(user).newest_first()
        field.empty_label = "No session"


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
        help_text="Photos taken right after a session are labelled: the glow fades.",
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

    def clean_photos(self) -> list[ProcessedImage]:
        files = self.cleaned_data["photos"]
        # Before decoding anything; checked again, under a lock, as the photos are saved.
        try:
            ProgressPhoto.objects.check_quota(self.user, len(files))
        except PhotoQuotaFull as full:
            raise forms.ValidationError(str(full), code="quota") from None
        processed, errors = [], []
        for upload in files:
            try:
                processed.append(process_upload(upload))
            except ImageRejected as rejection:
                errors.append(f"{file_label(upload)}: {rejection.message}")
        if errors:
            raise forms.ValidationError(errors)
        return processed


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


class EyeMarksForm(forms.Form):
    """The centre of each eye, in pixels of the stored photo (a script fills these in from
    taps or drags; without it, they are typed). Checked against the photo's own size."""

    first_x = forms.FloatField(label="First eye, pixels from the left")
    first_y = forms.FloatField(label="First eye, pixels from the top")
    second_x = forms.FloatField(label="Second eye, pixels from the left")
    second_y = forms.FloatField(label="Second eye, pixels from the top")

    def __init__(self, *args, photo: ProgressPhoto, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.photo = photo
        for name in self.fields:
            limit = photo.width if name.endswith("_x") else photo.height
            self.fields[name].widget.attrs |= {"min": "0", "max": str(limit), "step": "any"}
        if photo.eyes:
            (lx, ly), (rx, ry) = photo.eyes.left, photo.eyes.right
            self.initial |= {"first_x": lx, "first_y": ly, "second_x": rx, "second_y": ry}

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            cleaned["eyes"] = Eyes.checked(
                (cleaned["first_x"], cleaned["first_y"]),
                (cleaned["second_x"], cleaned["second_y"]),
                self.photo.width,
                self.photo.height,
            )
        except MarksRefused as refused:
            raise forms.ValidationError(str(refused), code="marks") from None
        return cleaned
