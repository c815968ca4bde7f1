"""The tracker's models, one module per area; import them from here."""

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
    validate_timezone,
)
from tracker.models.gear import Product, ProductQuerySet, Tool, ToolQuerySet
from tracker.models.health import HealthCheck, HealthCheckQuerySet, HealthCondition
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
from tracker.models.routines import Routine, RoutineQuerySet, RoutineStep, RoutineStepQuerySet
from tracker.models.sessions import MassageSession, RestWeek, RestWeekQuerySet, SessionQuerySet

__all__ = [
    "FUTURE_TOLERANCE",
    "MAX_SESSION_MINUTES",
    "MIN_FULL_SESSION_MINUTES",
    "REACTION_WINDOW_DAYS",
    "Area",
    "HealthCheck",
    "HealthCheckQuerySet",
    "HealthCondition",
    "MassageSession",
    "OwnedQuerySet",
    "PhotoComparison",
    "PhotoQuerySet",
    "PhotoQuotaFull",
    "Pressure",
    "Product",
    "ProductQuerySet",
    "Profile",
    "ProgressPhoto",
    "Reaction",
    "RestWeek",
    "RestWeekQuerySet",
    "Routine",
    "RoutineQuerySet",
    "RoutineStep",
    "RoutineStepQuerySet",
    "SessionQuerySet",
    "Technique",
    "Tool",
    "ToolQuerySet",
    "Weekday",
    "photo_path",
    "photo_taken_at",
    "validate_timezone",
]
