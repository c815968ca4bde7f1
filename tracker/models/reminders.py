"""A person's reminder plan, the claim that sends each occurrence once, and the calendar feed."""

import secrets
import uuid
from collections.abc import Iterable
from datetime import datetime, time, tzinfo
from typing import Any, Self

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from tracker.models.bulk import Batch
from tracker.models.choices import Weekday
from tracker.models.owned import OwnedQuerySet
from tracker.reminders import due


def verified_email(user) -> str | None:
    """The address a person has proved is theirs, or None: the only address reminders use."""
    from tracker.auth.addresses import verified_address

    return verified_address(user)


class ReminderPlanQuerySet(OwnedQuerySet):
    def due(self, now: datetime) -> Self:
        """Plans whose next reminder has come, soonest first."""
        return self.filter(next_due_at__lte=now).order_by("next_due_at", "pk")

    @transaction.atomic
    def save_plan(
        self, owner, *, days: Iterable[int], at: time, mode: str, by_email: bool
    ) -> "ReminderPlan":
        """Turn reminders on with these days, time and mode (what the settings form checked)."""
        plan, _ = self.get_or_create(owner=owner, defaults={"at": at})
        plan.days = sorted(set(days))
        plan.at = at
        plan.mode = mode
        plan.by_email = by_email
        plan.enabled = True
        plan.reschedule(timezone.now(), save=False)
        plan.save()
        return plan

    def advance(self, plans: Iterable["ReminderPlan"], now: datetime) -> None:
        """Move each plan on to its first reminder after `now` (the scheduler holds them)."""
        plans = list(plans)
        for plan in plans:
            plan.reschedule(now, save=False)
        self.bulk_update(plans, ["next_due_at"], batch_size=500)

    def prepare_restore(
        self, owner, values: dict[str, Any], batch: Batch, *, zone: tzinfo
    ) -> "ReminderPlan":
        """An export's plan (checked by the importer), made ready in `batch`, its next reminder
        worked out in `zone` (the one the import is about to set).

        A setting, as the time zone is: it takes the place of the owner's plan, if any.
        """
        plan = ReminderPlan(owner=owner, **values)
        plan.next_due_at = plan.occurrence_after(timezone.now(), zone) if plan.enabled else None
        existing = self.filter(owner=owner).values_list("pk", flat=True).first()
        if existing is None:
            batch.add([plan])
        else:
            changes = {**values, "next_due_at": plan.next_due_at, "updated_at": timezone.now()}
            batch.afterwards(lambda: self.filter(pk=existing).update(**changes))
        return plan

    def reschedule_for(self, owner) -> None:
        """After a change of time zone: the same local time, in the new zone."""
        for plan in self.for_user(owner):
            plan.reschedule(timezone.now())


class ReminderPlan(models.Model):
    """When to remind a person, and how: one plan a person."""

    class Mode(models.TextChoices):
        ALWAYS = due.Mode.ALWAYS.value, "Always"
        WHEN_BEHIND = due.Mode.WHEN_BEHIND.value, "Only when I am behind this week"

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_plan"
    )
    # Weekdays, 0 = Monday ... 6 = Sunday.
    days = models.JSONField(default=list)
    at = models.TimeField("time")
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.ALWAYS)
    by_email = models.BooleanField("by email", default=False)
    enabled = models.BooleanField(default=True)
    # The next reminder, worked out in the owner's zone whenever the plan or the zone changes
    # and after each reminder: the scheduler's whole search is one range on this column.
    next_due_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ReminderPlanQuerySet.as_manager()

    class Meta:
        indexes = [
            # The scheduler's query every minute: due plans, among all of them.
            models.Index(
                fields=["next_due_at"],
                name="reminder_plan_next_due",
                condition=models.Q(next_due_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Reminders of {self.owner} at {self.at:%H:%M}"

    @property
    def weekdays(self) -> frozenset[int]:
        return frozenset(day for day in self.days if isinstance(day, int) and 0 <= day <= 6)

    def day_names(self) -> str:
        """The planned days in words: "Monday, Wednesday and Friday"."""
        names = [Weekday(day).label for day in sorted(self.weekdays)]
        if len(names) < 2:
            return "".join(names)
        return f"{', '.join(names[:-1])} and {names[-1]}"

    def occurrence_after(self, moment: datetime, zone: tzinfo | None = None) -> datetime | None:
        """The first reminder after `moment`, in `zone` (by default the owner's)."""
        return due.next_occurrence(
            moment, days=self.weekdays, at=self.at, zone=zone or self.owner.profile.zone
        )

    def reschedule(self, now: datetime, *, save: bool = True) -> None:
        """Work out the next reminder after `now` (none while reminders are off)."""
        self.next_due_at = self.occurrence_after(now) if self.enabled else None
        if save:
            self.save(update_fields=["next_due_at", "updated_at"])

    def turn_off(self) -> None:
        """No more reminders by push or email; the days and time stay for the calendar."""
        self.enabled = False
        self.reschedule(timezone.now(), save=False)
        self.save(update_fields=["enabled", "next_due_at", "updated_at"])

    def stop_email(self) -> None:
        """The one-click unsubscribe: reminders by email stop, everything else stays."""
        self.by_email = False
        self.save(update_fields=["by_email", "updated_at"])


class ReminderClaimQuerySet(OwnedQuerySet):
    @transaction.atomic(savepoint=False)
    def claim(self, occurrences: Iterable[tuple[int, datetime]]) -> list["ReminderClaim"]:
        """Claim (owner id, occurrence) pairs; return the claims made here, not those taken.

        One insert for the batch: a pair claimed already, by this scheduler earlier or by
        another one at the same moment, is left to its claim by the unique constraint.
        """
        batch = uuid.uuid4()
        pairs = list(occurrences)
        self.bulk_create(
            [ReminderClaim(owner_id=owner, occurrence=at, batch=batch) for owner, at in pairs],
            ignore_conflicts=True,
            batch_size=500,
        )
        return list(self.filter(batch=batch).order_by("pk")) if pairs else []

    def prune(self, before: datetime) -> int:
        """Forget claims of reminders older than `before`; their occurrences are long gone."""
        return self.filter(occurrence__lt=before).delete()[0]

    def prepare_restore(
        self, owner, records: Iterable[dict[str, Any]], batch: Batch
    ) -> list["ReminderClaim"]:
        """Reminders sent, from an export (checked by the importer), made ready in `batch`; an
        occurrence the owner has a claim of already keeps that claim."""
        taken = set(self.for_user(owner).values_list("occurrence", flat=True))
        return batch.add(
            ReminderClaim(owner=owner, **record)
            for record in records
            if record["occurrence"] not in taken
        )


class ReminderClaim(models.Model):
    """One occurrence of a person's reminder, claimed before anything is sent.

    The row is unique per person and occurrence: two schedulers (or two app servers) that
    find the same reminder due cannot both claim it, so it is sent at most once. Retries
    after a transient failure keep the same claim and skip what already went out.
    """

    class Status(models.TextChoices):
        CLAIMED = "claimed", "Claimed"
        RETRYING = "retrying", "Waiting to retry"
        SENT = "sent", "Sent"
        SKIPPED = "skipped", "Not sent"
        FAILED = "failed", "Failed"

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_claims"
    )
    occurrence = models.DateTimeField()
    # The scheduler batch that claimed it: how that batch tells its own claims from others'.
    batch = models.UUIDField(default=uuid.uuid4, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CLAIMED)
    attempts = models.PositiveSmallIntegerField(default=0)
    # Where it went already ("email", "push:<id>"): a retry never sends there twice.
    delivered = models.JSONField(default=list)
    note = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = ReminderClaimQuerySet.as_manager()

    class Meta:
        constraints = [
            # The heart of "never twice": one claim per person and occurrence.
            models.UniqueConstraint(fields=["owner", "occurrence"], name="reminder_claim_once"),
        ]
        indexes = [
            # Pruning claims older than a month.
            models.Index(fields=["occurrence"], name="reminder_claim_occurrence"),
        ]

    def __str__(self) -> str:
        return f"Reminder for {self.owner} at {self.occurrence:%Y-%m-%d %H:%M} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in {self.Status.SENT, self.Status.SKIPPED, self.Status.FAILED}

    def mark_delivered(self, target: str) -> None:
        self.delivered = [*self.delivered, target]
        self.save(update_fields=["delivered"])

    def retry_later(self, note: str) -> None:
        self.attempts += 1
        self.status = self.Status.RETRYING
        self.note = note[:200]
        self.save(update_fields=["attempts", "status", "note"])

    def finish(self, status: str, note: str = "") -> None:
        self.attempts += 1
        self.status = status
        self.note = note[:200]
        self.finished_at = timezone.now()
        self.save(update_fields=["attempts", "status", "note", "finished_at"])


def new_feed_token() -> str:
    # 256 bits: the address is the only thing that guards the feed.
    return secrets.token_urlsafe(32)


class CalendarFeedQuerySet(OwnedQuerySet):
    def issue(self, owner) -> "CalendarFeed":
        """A new secret address for the owner's feed; the old one stops working at once."""
        feed, created = self.get_or_create(owner=owner, defaults={"token": new_feed_token()})
        if not created:
            feed.token = new_feed_token()
            feed.save(update_fields=["token"])
        return feed

    def prepare_issue(self, owner, batch: Batch) -> None:
        """An export's calendar feed, made ready in `batch` with an address of its own; an
        owner who has a feed already keeps its address."""
        if not self.for_user(owner).exists():
            batch.add([CalendarFeed(owner=owner)])

    def by_token(self, token: str) -> "CalendarFeed | None":
        if not isinstance(token, str) or len(token) != 43:
            return None
        return self.select_related("owner__profile").filter(token=token).first()


class CalendarFeed(models.Model):
    """A private iCalendar address with the reminder plan's days, for calendar apps."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CalendarFeedQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Calendar feed of {self.owner}"

    def turn_off(self) -> None:
        self.delete()
