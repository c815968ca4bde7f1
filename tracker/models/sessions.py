import zoneinfo
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.utils import timezone

from tracker import stats
from tracker.models.choices import (
    MAX_SESSION_MINUTES,
    MIN_FULL_SESSION_MINUTES,
    Area,
    Pressure,
    Reaction,
    Technique,
)
from tracker.models.gear import Product, Tool
from tracker.models.owned import OwnedQuerySet
from tracker.models.routines import Routine


class SessionQuerySet(OwnedQuerySet):
    def in_week(self, start: date) -> "SessionQuerySet":
        return self.filter(local_date__gte=start, local_date__lt=start + timedelta(days=7))

    def newest_first(self) -> "SessionQuerySet":
        return self.order_by("-performed_at", "-id")


class MassageSession(models.Model):
    """One logged massage session (named so it does not clash with Django's sessions)."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    performed_at = models.DateTimeField(default=timezone.now)
    # The calendar day in the owner's zone when it was logged; weeks are counted from it,
    # so a later change of time zone does not move past sessions between weeks.
    local_date = models.DateField(editable=False)
    minutes = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(MAX_SESSION_MINUTES)]
    )
    routine = models.ForeignKey(Routine, on_delete=models.SET_NULL, null=True, blank=True)
    techniques = models.JSONField(default=list, blank=True)
    areas = models.JSONField(default=list, blank=True)
    tools = models.ManyToManyField(Tool, blank=True)
    products = models.ManyToManyField(Product, blank=True)
    pressure = models.CharField(max_length=10, choices=Pressure.choices, default=Pressure.GENTLE)
    cleansed_skin = models.BooleanField(default=False)
    clean_hands_and_tools = models.BooleanField(default=False)
    used_slip = models.BooleanField("used an oil or serum for slip", default=False)
    reaction = models.CharField(
        "skin reaction", max_length=12, choices=Reaction.choices, default=Reaction.NONE
    )
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    notes = models.TextField(blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = SessionQuerySet.as_manager()

    class Meta:
        indexes = [
            # Every dashboard and history query filters by owner and a range of local days.
            models.Index(fields=["owner", "local_date"], name="session_owner_local_date"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minutes__gte=1, minutes__lte=MAX_SESSION_MINUTES),
                name="session_minutes_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.minutes} min on {self.local_date}"

    def save(self, *args, **kwargs) -> None:
        if self.local_date is None:
            self.set_local_date(self.owner.profile.zone)
        super().save(*args, **kwargs)

    @property
    def is_short(self) -> bool:
        return self.minutes < MIN_FULL_SESSION_MINUTES

    def technique_labels(self) -> list[str]:
        return [Technique(t).label for t in self.techniques if t in Technique.values]

    def area_labels(self) -> list[str]:
        return [Area(a).label for a in self.areas if a in Area.values]

    @classmethod
    @transaction.atomic
    def log_routine(cls, routine: Routine, owner, performed_at: datetime) -> "MassageSession":
        """A session done with a routine as saved: length, techniques, areas, tools, products."""
        steps = list(routine.steps.all())
        session = cls(
            owner=owner,
            routine=routine,
            performed_at=performed_at,
            minutes=min(MAX_SESSION_MINUTES, routine.minutes()),
            techniques=list(dict.fromkeys(step.technique for step in steps)),
            areas=list(dict.fromkeys(step.area for step in steps)),
        )
        session.set_local_date(owner.profile.zone)
        session.save()
        # add(), not set(): a new session has no links to compare with, so skip that query.
        session.tools.add(*{step.tool_id for step in steps if step.tool_id})
        session.products.add(*routine.products.all())
        return session

    def set_local_date(self, zone: zoneinfo.ZoneInfo) -> None:
        self.local_date = stats.local_date(self.performed_at, zone)


class RestWeek(models.Model):
    """A week the user paused on purpose: it neither counts nor breaks the streak."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    week_start = models.DateField()
    reason = models.CharField(max_length=200, blank=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["-week_start"]
        constraints = [
            # Marking the same week twice would be meaningless.
            models.UniqueConstraint(fields=["owner", "week_start"], name="rest_week_once"),
        ]

    def __str__(self) -> str:
        return f"Rest week from {self.week_start}"
