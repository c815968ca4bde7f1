"""The tracker's models, one module per area; import them from here."""

from tracker.models.choices import (
    MAX_SESSION_MINUTES,
    MIN_FULL_SESSION_MINUTES,
    Area,
    Pressure,
    Reaction,
    Technique,
    Weekday,
    validate_timezone,
)
from tracker.models.gear import Product, Tool, ToolQuerySet
from tracker.models.owned import OwnedQuerySet
from tracker.models.photos import PhotoComparison, PhotoQuerySet, ProgressPhoto, photo_path
from tracker.models.profile import Profile
from tracker.models.routines import Routine, RoutineStep
from tracker.models.sessions import MassageSession, RestWeek, SessionQuerySet

__all__ = [
    "MAX_SESSION_MINUTES",
    "MIN_FULL_SESSION_MINUTES",
    "Area",
    "MassageSession",
    "OwnedQuerySet",
    "PhotoComparison",
    "PhotoQuerySet",
    "Pressure",
    "Product",
    "Profile",
    "ProgressPhoto",
    "Reaction",
    "RestWeek",
    "Routine",
    "RoutineStep",
    "SessionQuerySet",
    "Technique",
    "Tool",
    "ToolQuerySet",
    "Weekday",
    "photo_path",
    "validate_timezone",
]
