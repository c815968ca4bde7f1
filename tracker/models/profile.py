import zoneinfo
from datetime import date
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from tracker import stats
from tracker.models.choices import MAX_SESSION_MINUTES, Weekday, validate_timezone
from tracker.models.owned import Editable

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class ProfileManager(models.Manager):
    @transaction.atomic
    def create_account(self, username: str, password: str, **settings_values) -> "User":
        """A new person: their account, and their profile with the settings they chose."""
        user = get_user_model().objects.create_user(username, password=password)
        user.profile.change_settings(**settings_values)
        return user


class Profile(Editable):
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
    # Grows with every write that can change what the dashboard shows, in that write's own
    # transaction: the database's triggers add one (migration 0010, tracker.models.versions),
    # so no write path can forget it. Cached parts of pages are keyed by it (tracker.pages).
    data_version = models.PositiveBigIntegerField(default=0, editable=False)

    # Bookkeeping, not the person's values: neither exported nor imported.
    BOOKKEEPING_FIELDS = ("data_version",)

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

    def save(self, *args, **kwargs) -> None:
        # The version is the database's to count: a profile loaded before another request's
        # write would otherwise write an older number back.
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name not in self.BOOKKEEPING_FIELDS
            ]
        super().save(*args, **kwargs)

    def fresh_data_version(self) -> int:
        """The version as the database has it now (after this request's own writes)."""
        self.data_version = (
            Profile.objects.filter(pk=self.pk).values_list("data_version", flat=True).get()
        )
        return self.data_version

    def clean(self) -> None:
        if (
            self.target_stretch is not None
            and self.target_min is not None
            and self.target_stretch < self.target_min
        ):
            raise ValidationError(
                {"target_stretch": "The stretch goal cannot be below the weekly minimum."}
            )

    objects = ProfileManager()

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.timezone)

    def today(self) -> date:
        return stats.local_date(timezone.now(), self.zone)

    def week_start_of(self, day: date) -> date:
        return stats.week_start_of(day, self.week_start)

    def lock(self) -> None:
        """Hold this person's additions until the transaction ends, so that two at once cannot
        both pass a check of what they have (the photo quota, an import into an empty account).

        A row lock on PostgreSQL; SQLite's IMMEDIATE transactions take one writer at a time.
        """
        list(Profile.objects.select_for_update().filter(pk=self.pk).values("pk"))

    def holdings(self) -> dict[str, int]:
        """How many of each kind of thing the person keeps, for the kinds they have any of."""
        from tracker.models import (
            Experiment,
            MassageSession,
            Product,
            ProgressPhoto,
            RestWeek,
            Routine,
            Tool,
        )

        kinds = {
            "sessions": MassageSession,
            "routines": Routine,
            "tools": Tool,
            "products": Product,
            "photos": ProgressPhoto,
            "rest weeks": RestWeek,
            "experiments": Experiment,
        }
        counts = {noun: model.objects.for_user(self.user).count() for noun, model in kinds.items()}
        return {noun: count for noun, count in counts.items() if count}

    @transaction.atomic
    def change_settings(self, **values) -> "Profile":
        """Time zone, first day of the week and targets, as the settings form checked them.

        Rest weeks follow a new first day of the week, or they would stop matching any week;
        reminders keep their local time in a new time zone.
        """
        first_weekday, zone = self.week_start, self.timezone
        self.edit(**values)
        if self.week_start != first_weekday:
            from tracker.models.sessions import RestWeek

            RestWeek.objects.realign(self.user, self.week_start)
        if self.timezone != zone:
            from tracker.models.reminders import ReminderPlan

            ReminderPlan.objects.reschedule_for(self.user)
        return self

    @transaction.atomic
    def erase_data(self) -> None:
        """Everything of the person's but the account: history, gear, photos, settings."""
        from tracker.models import (
            CalendarFeed,
            Experiment,
            HealthCheck,
            MassageSession,
            Product,
            ProgressPhoto,
            PushSubscription,
            ReminderClaim,
            ReminderPlan,
            RestWeek,
            Routine,
            Tool,
        )

        for model in (
            Experiment,
            ProgressPhoto,
            MassageSession,
            Routine,
            Tool,
            Product,
            RestWeek,
            HealthCheck,
            ReminderPlan,
            ReminderClaim,
            PushSubscription,
            CalendarFeed,
        ):
            # Photos one by one through their post_delete receiver: their files go too.
            model.objects.for_user(self.user).delete()
        for field in self._meta.concrete_fields:
            if not field.primary_key and not field.is_relation:
                setattr(self, field.attname, field.get_default())
        self.save()

    @transaction.atomic
    def delete_account(self) -> None:
        """Delete the person with every row of theirs.

        Each photo's files go once the deletion has committed (ProgressPhoto's post_delete
        receiver), so a rolled-back deletion keeps them.
        """
        self.user.delete()


@receiver(post_save, sender=settings.AUTH_USER_MODEL)
def create_profile(sender, instance, created: bool, **kwargs) -> None:
    # Every account has its profile from the start: views never check for a missing one.
    if created:
        Profile.objects.get_or_create(user=instance)
