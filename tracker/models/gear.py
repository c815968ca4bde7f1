from datetime import date

from django.conf import settings
from django.db import models

from tracker.models.owned import Editable, OwnedQuerySet


class ToolQuerySet(OwnedQuerySet):
    def mark_cleaned(self, day: date) -> int:
        """Record a cleaning on `day`, never moving a later one back."""
        return self.filter(
            models.Q(last_cleaned_on__isnull=True) | models.Q(last_cleaned_on__lt=day)
        ).update(last_cleaned_on=day)

    def mark_cleaned_on(self, days: dict[int, date]) -> int:
        """Record each tool's cleaning on its own day (tool id: day), never moving a later one
        back: an update per hundred tools (each row tries every case of its update)."""
        updated, pairs = 0, list(days.items())
        for start in range(0, len(pairs), 100):
            chunk = dict(pairs[start : start + 100])
            by_pk = models.Case(
                *(models.When(pk=pk, then=models.Value(day)) for pk, day in chunk.items()),
                output_field=models.DateField(),
            )
            later = models.Q(last_cleaned_on__isnull=True) | models.Q(last_cleaned_on__lt=by_pk)
            updated += self.filter(later, pk__in=chunk).update(last_cleaned_on=by_pk)
        return updated

    def of_kind_for(self, owner, kind: str) -> "Tool":
        """The owner's first tool of a kind, added (named after the kind) if they have none."""
        tool = self.for_user(owner).filter(kind=kind).first()
        return tool or self.add_for(owner, kind=kind, name=Tool.Kind(kind).label)


class Tool(Editable):
    class Kind(models.TextChoices):
        FINGERS = "fingers", "Fingers"
        KNUCKLES = "knuckles", "Knuckles"
        JADE_ROLLER = "jade_roller", "Jade roller"
        GUA_SHA = "gua_sha", "Gua sha stone"
        ROUND_TIPPED = "round_tipped", "Round-tipped instrument"
        OTHER = "other", "Other"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    name = models.CharField(max_length=80)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.FINGERS)
    material = models.CharField(
        max_length=60, blank=True, help_text="Jade, rose quartz, stainless steel…"
    )
    last_cleaned_on = models.DateField(null=True, blank=True)

    objects = ToolQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def mark_cleaned(self, day: date) -> None:
        """Record a cleaning on `day` (a later one already recorded stays)."""
        Tool.objects.filter(pk=self.pk).mark_cleaned(day)
        if self.last_cleaned_on is None or self.last_cleaned_on < day:
            self.last_cleaned_on = day


class Product(Editable):
    class Kind(models.TextChoices):
        OIL = "oil", "Oil"
        SERUM = "serum", "Serum"
        CREAM = "cream", "Cream"
        BALM = "balm", "Balm"

    class PatchTest(models.TextChoices):
        NOT_DONE = "not_done", "Not done"
        PENDING = "pending", "In progress"
        PASSED = "passed", "Passed"
        REACTED = "reacted", "Reacted"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    name = models.CharField(max_length=80, help_text="For example: cold-pressed jojoba oil.")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.OIL)
    key_ingredients = models.CharField(max_length=200, blank=True)
    opened_on = models.DateField(null=True, blank=True)
    patch_test_started_on = models.DateField(null=True, blank=True)
    patch_test = models.CharField(
        "patch test", max_length=10, choices=PatchTest.choices, default=PatchTest.NOT_DONE
    )

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def needs_patch_test(self) -> bool:
        return self.patch_test != self.PatchTest.PASSED

    def patch_test_progress(self, today: date) -> str:
        """Where the patch test stands, in words (twice a day for 7 to 10 days, then 48 hours)."""
        if self.patch_test == self.PatchTest.PASSED:
            return "Passed"
        if self.patch_test == self.PatchTest.REACTED:
            return "Reacted: keep it off your face"
        if self.patch_test == self.PatchTest.PENDING and self.patch_test_started_on:
            day = (today - self.patch_test_started_on).days + 1
            if day <= 10:
                return f"Day {day} of 7 to 10 on your inner arm"
            return "Done? Watch 48 hours, then mark it passed or reacted"
        return "Not done yet"
