"""The tracker's models, one module per area; import them from here."""

from tracker.models.background import BackgroundRun, prune_task_results
from tracker.models.choices import (
    FUTURE_TOLERANCE,
    MAX_SESSION_MINUTES,
    MIN_FULL_SESSION_MINUTES,
    REACTION_WINDOW_DAYS,
    Area,
    Pressure,
    Reaction,
    Technique,
    Weekday,
    timezone_names,
    validate_timezone,
)
from tracker.models.dates import (
    FIRST_DAY,
    AcceptedDays,
    MomentField,
    accepted_days,
    validate_day,
    validate_moment,
    validate_planned_day,
)
from tracker.models.experiments import Experiment, ExperimentResult, ExperimentRunning
from tracker.models.files import FilesNoLongerPending, PendingFile
from tracker.models.gear import Product, ProductQuerySet, Tool, ToolQuerySet
from tracker.models.health import (
    HealthCheck,
    HealthCheckGiven,
    HealthCheckQuerySet,
    HealthCondition,
)
from tracker.models.owned import OwnedQuerySet
from tracker.models.photos import (
    PhotoComparison,
    PhotoQuerySet,
    PhotoQuotaFull,
    ProgressPhoto,
    photo_path,
    photo_taken_at,
)
from tracker.models.profile import Profile
from tracker.models.push import PushSubscription
from tracker.models.reminders import (
    CalendarFeed,
    ReminderClaim,
    ReminderPlan,
    verified_email,
)
from tracker.models.routines import (
    Routine,
    RoutineFull,
    RoutineQuerySet,
    RoutineStep,
    RoutineStepQuerySet,
)
from tracker.models.sessions import MassageSession, RestWeek, RestWeekQuerySet, SessionQuerySet

__all__ = [
    "FIRST_DAY",
    "FUTURE_TOLERANCE",
    "MAX_SESSION_MINUTES",
    "MIN_FULL_SESSION_MINUTES",
    "REACTION_WINDOW_DAYS",
    "AcceptedDays",
    "Area",
    "BackgroundRun",
    "CalendarFeed",
    "Experiment",
    "ExperimentResult",
    "ExperimentRunning",
    "FilesNoLongerPending",
    "HealthCheck",
    "HealthCheckGiven",
    "HealthCheckQuerySet",
    "HealthCondition",
    "MassageSession",
    "MomentField",
    "OwnedQuerySet",
    "PendingFile",
    "PhotoComparison",
    "PhotoQuerySet",
    "PhotoQuotaFull",
    "Pressure",
    "Product",
    "ProductQuerySet",
    "Profile",
    "ProgressPhoto",
    "PushSubscription",
    "Reaction",
    "ReminderClaim",
    "ReminderPlan",
    "RestWeek",
    "RestWeekQuerySet",
    "Routine",
    "RoutineFull",
    "RoutineQuerySet",
    "RoutineStep",
    "RoutineStepQuerySet",
    "SessionQuerySet",
    "Technique",
    "Tool",
    "ToolQuerySet",
    "Weekday",
    "accepted_days",
    "photo_path",
    "photo_taken_at",
    "prune_task_results",
    "timezone_names",
    "validate_day",
    "validate_moment",
    "validate_planned_day",
    "validate_timezone",
    "verified_email",
]
