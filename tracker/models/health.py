from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.db import models, transaction

from tracker.guidance import HEALTH
from tracker.models.bulk import Batch
from tracker.models.owned import OwnedQuerySet


class HealthCondition(models.TextChoices):
    """The "before you start" questions: each one that applies changes the advice shown."""

    ACTIVE_SKIN = "active_skin", "Active acne, rosacea or eczema"
    BROKEN_SKIN = "broken_skin", "Broken or sunburnt skin"
    RECENT_PROCEDURE = (
        "recent_procedure",
        "A peel, laser or microdermabrasion in the last two weeks",
    )
    INJECTABLES = "injectables", "Fillers or botulinum toxin in the last two weeks"
    PREGNANCY = "pregnancy", "Pregnancy"
    BRUISES_EASILY = "bruises_easily", "Blood thinners, or you bruise easily"

    @classmethod
    def known(cls, values: Iterable[object]) -> list[str]:
        """The known answers among `values`, once each, in the order of the questions.

        Anything else (a key from a newer version, a typo in an archive) is ignored.
        """
        given = {value for value in values if isinstance(value, str)}
        return [value for value in cls.values if value in given]


class HealthCheckGiven(Exception):
    """The person answered the check while an import of other answers was on its way."""


class HealthCheckQuerySet(OwnedQuerySet):
    def record(self, owner, conditions: Iterable[object], agreed_at: datetime) -> "HealthCheck":
        """Keep the person's answers, which they agreed to store at `agreed_at`."""
        with transaction.atomic():
            # One at a time with an import of the person's answers (see prepare_restore).
            owner.profile.lock()
            check, _ = self.update_or_create(
                owner=owner,
                defaults={
                    "conditions": HealthCondition.known(conditions),
                    "agreed_at": agreed_at,
                },
            )
        return check

    def prepare_restore(
        self, owner, conditions: Iterable[object], agreed_at: datetime, batch: Batch
    ) -> "HealthCheck | None":
        """An export's answers made ready in `batch`, unless the owner has answers of their own
        (given since they signed up): those are newer, and stay. None then.

        Should the owner answer while the batch waits, its write raises HealthCheckGiven.
        """
        if self.filter(owner=owner).exists():
            return None

        def still_unanswered() -> None:
            if self.filter(owner=owner).exists():
                raise HealthCheckGiven

        check = self.model(
            owner=owner, conditions=HealthCondition.known(conditions), agreed_at=agreed_at
        )
        batch.check_first(still_unanswered)
        batch.add([check])
        return check

    def forget(self, owner) -> None:
        """Delete the person's answers; the advice goes back to the general kind."""
        self.filter(owner=owner).delete()


class HealthCheck(models.Model):
    """Answers to the "before you start" check, stored only once the person agreed to it.

    Health data: never in a reminder, email or notification.
    """

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="health_check"
    )
    # The HealthCondition values that apply; the ones left out do not.
    conditions = models.JSONField(default=list, blank=True)
    agreed_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    objects = HealthCheckQuerySet.as_manager()

    def __str__(self) -> str:
        return f"Health check of {self.owner}"

    @property
    def advice(self) -> list:
        """The advice each answer calls for (skip these areas, gentle pressure, ask first)."""
        return [HEALTH[value] for value in HealthCondition.known(self.conditions)]

    def condition_labels(self) -> list[str]:
        return [HealthCondition(value).label for value in HealthCondition.known(self.conditions)]
