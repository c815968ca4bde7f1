"""The forms, one module per area; import them from here. Forms validate; models write."""

from tracker.forms.accounts import AccountDeleteForm, ProfileForm, RestWeekForm
from tracker.forms.common import (
    DateInput,
    DatesInRangeMixin,
    DateTimeLocalInput,
    OwnedChoicesMixin,
    timezone_choices,
)
from tracker.forms.data import ImportArchiveForm, LoopImportForm, refuse_larger_than
from tracker.forms.experiments import ExperimentEndForm, ExperimentForm
from tracker.forms.gear import ProductForm, ToolForm
from tracker.forms.photos import (
    PHOTO_ACCEPT,
    EyeMarksForm,
    PhotoFilesField,
    PhotoForm,
    PhotoUploadForm,
    SessionChoiceField,
)
from tracker.forms.reminders import ReminderPlanForm
from tracker.forms.routines import RoutineForm, StepForm
from tracker.forms.safety import HealthCheckForm, ReactedProductsMixin, ReactionForm
from tracker.forms.sessions import OneTapLogForm, RoutineLogForm, SessionForm, WeekFilterForm

__all__ = [
    "PHOTO_ACCEPT",
    "AccountDeleteForm",
    "DateInput",
    "DateTimeLocalInput",
    "DatesInRangeMixin",
    "ExperimentEndForm",
    "ExperimentForm",
    "EyeMarksForm",
    "HealthCheckForm",
    "ImportArchiveForm",
    "LoopImportForm",
    "OneTapLogForm",
    "OwnedChoicesMixin",
    "PhotoFilesField",
    "PhotoForm",
    "PhotoUploadForm",
    "ProductForm",
    "ProfileForm",
    "ReactedProductsMixin",
    "ReactionForm",
    "ReminderPlanForm",
    "RestWeekForm",
    "RoutineForm",
    "RoutineLogForm",
    "SessionChoiceField",
    "SessionForm",
    "StepForm",
    "ToolForm",
    "WeekFilterForm",
    "refuse_larger_than",
    "timezone_choices",
]
