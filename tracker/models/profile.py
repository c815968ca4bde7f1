import zoneinfo
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from tracker import stats
from tracker.models.choices import MAX_SESSION_MINUTES, Weekday, validate_timezone


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    week_start = models.PositiveSmallIntegerField(
        "first day of the week", choices=Weekday.choices, default=Weekday.MONDAY
    )
    target_min = models.PositiveSmallIntegerField(
        "weekly minimum",
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(7)],
        help_text="Sessions a week that keep your streak going.",
    )
    target_stretch = models.PositiveSmallIntegerField(
        "weekly stretch goal",
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(21)],
        help_text="A week with this many sessions is a stretch week.",
    )
    target_minutes = models.PositiveSmallIntegerField(
        "minutes per session",
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_SESSION_MINUTES)],
    )

    class Meta:
        constraints = [
            # The stretch goal is a range's upper end: it can never sit below the minimum.
            models.CheckConstraint(
                condition=models.Q(target_stretch__gte=models.F("target_min")),
                name="profile_stretch_at_least_minimum",
            ),
        ]

    def __str__(self) -> str:
        return f"Profile of {self.user}"

    def clean(self) -> None:
        if (
            self.target_stretch is not None
            and self.target_min is not None
            and self.target_stretch < self.target_min
        ):
            raise ValidationError(
                {"target_stretch": "The stretch goal cannot be below the weekly minimum."}
            )

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def today(self) -> date:
        return stats.local_date(timezone.now(), self.zone)

    def week_start_of(self, day: date) -> date:
        return stats.week_start_of(day, self.week_start)
