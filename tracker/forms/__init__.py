"""The forms, one module per area; import them from here. Forms validate; models write."""

from tracker.forms.accounts import AccountDeleteForm, ProfileForm, RestWeekForm, SignupForm
from tracker.forms.common import (
    FUTURE_TOLERANCE,
    DateInput,
    DateTimeLocalInput,
    OwnedChoicesMixin,
    timezone_choices,
)
from tracker.forms.data import ImportArchiveForm, LoopImportForm, refuse_larger_than
from tracker.forms.gear import ProductForm, ToolForm
from tracker.forms.photos import (
    PHOTO_ACCEPT,
    PhotoFilesField,
    PhotoForm,
    PhotoUploadForm,
    SessionChoiceField,
    photo_taken_at,
)
from tracker.forms.routines import RoutineForm, StepForm
from tracker.forms.sessions import SessionForm

__all__ = [
    "FUTURE_TOLERANCE",
    "PHOTO_ACCEPT",
    "AccountDeleteForm",
    "DateInput",
    "DateTimeLocalInput",
    "ImportArchiveForm",
    "LoopImportForm",
    "OwnedChoicesMixin",
    "PhotoFilesField",
    "PhotoForm",
    "PhotoUploadForm",
    "ProductForm",
    "ProfileForm",
    "RestWeekForm",
    "RoutineForm",
    "SessionChoiceField",
    "SessionForm",
    "SignupForm",
    "StepForm",
    "ToolForm",
    "photo_taken_at",
    "refuse_larger_than",
    "timezone_choices",
]
