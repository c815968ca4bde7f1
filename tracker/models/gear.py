from datetime import date, datetime

from django.conf import settings
from django.db import models
from django.db.models import Min

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
        FACIAL_CUP = "facial_cup", "Facial cup"
        VIBRATION = "vibration", "Vibration device"
        MICROCURRENT = "microcurrent", "Microcurrent device"
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

    @property
    def is_own_hands(self) -> bool:
        """Fingers and knuckles: washed with the hands, never cleaned as a tool is."""
        return self.kind in (Tool.Kind.FINGERS, Tool.Kind.KNUCKLES)

    @property
    def kind_beside_name(self) -> str:
        """The kind, to show after the name, unless the name says it already: "Fingers", or
        "Rose quartz gua sha" for a gua sha stone."""
        label = self.get_kind_display()
        words = label.split()
        core = " ".join(words[:-1]) if len(words) > 1 else label
        return "" if core.casefold() in self.name.casefold() else label

    @property
    def material_beside_name(self) -> str:
        """The material, unless the name says it already ("Rose quartz roller")."""
        return "" if self.material.casefold() in self.name.casefold() else self.material

    def mark_cleaned(self, day: date) -> None:
        """Record a cleaning on `day` (a later one already recorded stays)."""
        Tool.objects.filter(pk=self.pk).mark_cleaned(day)
        if self.last_cleaned_on is None or self.last_cleaned_on < day:
            self.last_cleaned_on = day


class ProductQuerySet(OwnedQuerySet):
    def with_first_use(self) -> "ProductQuerySet":
        """Each product with `first_used`: when the earliest session that used it was done."""
        return self.annotate(first_used=Min("massagesession__performed_at"))

    def first_used_after(self, moment: datetime) -> "ProductQuerySet":
        return self.with_first_use().filter(first_used__gte=moment).order_by("-first_used", "pk")


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
    # Paused after a reaction, to see whether the skin settles without it.
    paused_on = models.DateField(null=True, blank=True, editable=False)

    objects = ProductQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def needs_patch_test(self) -> bool:
        return self.patch_test != self.PatchTest.PASSED

    @property
    def reacted(self) -> bool:
        """It reacted on this person's skin: everywhere it appears, it says "Stop using it"."""
        return self.patch_test == self.PatchTest.REACTED

    @property
    def caution(self) -> str:
        """What to know before using it, in two or three words (empty when nothing)."""
        if self.reacted:
            return "Stop using it"
        if self.paused_on:
            return "Paused"
        if self.needs_patch_test:
            return "Not patch-tested"
        return ""

    @property
    def caution_level(self) -> str:
        return "alert" if self.reacted else "muted" if self.paused_on else "warn"

    @property
    def can_start_patch_test(self) -> bool:
        return self.patch_test == self.PatchTest.NOT_DONE or (
            self.patch_test == self.PatchTest.PENDING and not self.patch_test_started_on
        )

    def start_patch_test(self, today: date) -> None:
        """Start the 7 to 10 days on the arm today; a test already running keeps its start."""
        if not self.can_start_patch_test:
            return
        self.patch_test, self.patch_test_started_on = self.PatchTest.PENDING, today
        self.save(update_fields=["patch_test", "patch_test_started_on"])

    def pause(self, today: date) -> None:
        """Stop using it for now. Pausing twice (two taps, two tabs) keeps the first pause."""
        Product.objects.filter(pk=self.pk, paused_on__isnull=True).update(paused_on=today)
        self.refresh_from_db(fields=["paused_on"])

    def resume(self) -> None:
        Product.objects.filter(pk=self.pk).update(paused_on=None)
        self.paused_on = None

    def patch_test_progress(self, today: date) -> str:
        """Where the patch test stands, in words (twice a day for 7 to 10 days, then 48 hours)."""
        if self.patch_test == self.PatchTest.PASSED:
            return "Passed"
        if self.patch_test == self.PatchTest.REACTED:
            return "Reacted: stop using it"
        if self.patch_test == self.PatchTest.PENDING and self.patch_test_started_on:
            day = (today - self.patch_test_started_on).days + 1
            if day <= 10:
                return f"Day {day} of 7 to 10 on your inner arm"
            return "Done? Watch 48 hours, then mark it passed or reacted"
        return "Not done yet"
