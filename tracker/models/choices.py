"""Enumerations and limits shared by the models, the forms and the importers."""

import functools
import zoneinfo
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import models

# A phone's clock can run a little ahead of the server's.
FUTURE_TOLERANCE = timedelta(minutes=5)
MIN_FULL_SESSION_MINUTES = 5
MAX_SESSION_MINUTES = 180


@functools.cache
def timezone_names() -> tuple[str, ...]:
    """The time zones a person can choose, in the settings and through an import alike:
    UTC and the zones named after places (not Etc/GMT-14 and the like, nor SystemV/)."""
    zones = sorted(
        name
        for name in zoneinfo.available_timezones()
        if "/" in name and not name.startswith(("Etc/", "SystemV/"))
    )
    return ("UTC", *zones)


def validate_timezone(value: str) -> None:
    if value not in timezone_names():
        raise ValidationError("Choose a time zone from the list, such as Europe/London.")


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


class Technique(models.TextChoices):
    EFFLEURAGE = "effleurage", "Effleurage (light stroking)"
    PETRISSAGE = "petrissage", "Petrissage (kneading)"
    TAPOTEMENT = "tapotement", "Tapotement (tapping)"
    FRICTION = "friction", "Friction"
    LYMPHATIC = "lymphatic", "Lymphatic drainage"
    ACUPRESSURE = "acupressure", "Acupressure"
    GUA_SHA = "gua_sha", "Gua sha scraping"
    ROLLING = "rolling", "Rolling"
    CIRCULAR = "circular", "Circular motions"


class Area(models.TextChoices):
    FOREHEAD = "forehead", "Forehead"
    TEMPLES = "temples", "Temples"
    EYES = "eyes", "Around the eyes"
    CHEEKS = "cheeks", "Cheeks"
    CHEEKBONES = "cheekbones", "Cheekbones"
    MOUTH = "mouth", "Mouth and nasolabial folds"
    JAWLINE = "jawline", "Jawline"
    CHIN = "chin", "Chin"
    NECK = "neck", "Neck"
    COLLARBONE = "collarbone", "Collarbone"


class Pressure(models.TextChoices):
    GENTLE = "gentle", "Gentle"
    MEDIUM = "medium", "Medium"
    FIRM = "firm", "Firm"


class Reaction(models.TextChoices):
    # Nothing tapped yet: not the same as a skin that did not react.
    NOT_RECORDED = "", "Not recorded"
    NONE = "none", "No reaction"
    REDNESS = "redness", "Redness"
    IRRITATION = "irritation", "Irritation"
    BRUISING = "bruising", "Bruising"
    BREAKOUT = "breakout", "Breakout"

    @classmethod
    def actual(cls) -> tuple["Reaction", ...]:
        """The reactions that call for advice."""
        return (cls.REDNESS, cls.IRRITATION, cls.BRUISING, cls.BREAKOUT)


# A breakout may show days after the session that caused it.
REACTION_WINDOW_DAYS = 7
