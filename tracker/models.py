import secrets
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone

from tracker import stats

if TYPE_CHECKING:
    from tracker.images import ProcessedImage

MIN_FULL_SESSION_MINUTES = 5
MAX_SESSION_MINUTES = 180


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
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
    JAWLINE = "jawline", "Jawline"
    CHIN = "chin", "Chin"
    NECK = "neck", "Neck"


class Pressure(models.TextChoices):
    GENTLE = "gentle", "Gentle"
    MEDIUM = "medium", "Medium"
    FIRM = "firm", "Firm"


class Reaction(models.TextChoices):
    NONE = "none", "None"
    REDNESS = "redness", "Redness"
    IRRITATION = "irritation", "Irritation"
    BRUISING = "bruising", "Bruising"
    BREAKOUT = "breakout", "Breakout"


class OwnedQuerySet(models.QuerySet):
    def for_user(self, user) -> "OwnedQuerySet":
        return self.filter(owner=user)


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


class ToolQuerySet(OwnedQuerySet):
    def mark_cleaned(self, day: date) -> int:
        """Record a cleaning on `day`, never moving a later one back."""
        return self.filter(
            models.Q(last_cleaned_on__isnull=True) | models.Q(last_cleaned_on__lt=day)
        ).update(last_cleaned_on=day)


class Tool(models.Model):
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


class Product(models.Model):
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


class Routine(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    name = models.CharField(max_length=80)
    description = models.CharField(max_length=300, blank=True)
    products = models.ManyToManyField(Product, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OwnedQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def total_seconds(self) -> int:
        return sum(step.seconds for step in self.steps.all())

    def minutes(self) -> int:
        """Whole minutes the routine takes, never less than one."""
        return max(1, round(self.total_seconds() / 60))


class RoutineStep(models.Model):
    routine = models.ForeignKey(Routine, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(default=0)
    technique = models.CharField(max_length=20, choices=Technique.choices)
    area = models.CharField(max_length=20, choices=Area.choices)
    tool = models.ForeignKey(Tool, on_delete=models.SET_NULL, null=True, blank=True)
    seconds = models.PositiveSmallIntegerField(
        default=60, validators=[MinValueValidator(5), MaxValueValidator(30 * 60)]
    )
    instruction = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.get_technique_display()}, {self.get_area_display()}"


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


def photo_path(instance: "ProgressPhoto", filename: str) -> str:
    # Random, unguessable names: never the user's name or the uploaded file's name.
    return f"photos/{secrets.token_urlsafe(24)}.jpg"


class PhotoQuerySet(OwnedQuerySet):
    def timeline(self) -> "PhotoQuerySet":
        return self.order_by("taken_at", "pk")

    def first_and_latest(
        self, angle: str | None = None
    ) -> "tuple[ProgressPhoto, ProgressPhoto] | None":
        """The first and latest photo of an angle (by default, of the angle photographed last).

        Only angles with two photos or more count. Two queries, however many photos: plain
        tuples to choose the pair (a model instance per photo cost more than the rest of the
        dashboard), then the two photos themselves.
        """
        photos = self.timeline() if angle is None else self.filter(angle=angle).timeline()
        by_angle: dict[str, list[tuple]] = {}
        for row in photos.values_list("pk", "angle", "taken_at"):
            by_angle.setdefault(row[1], []).append(row)
        comparable = [series for series in by_angle.values() if len(series) > 1]
        if not comparable:
            return None
        series = max(comparable, key=lambda series: (series[-1][2], series[-1][0]))
        first, latest = series[0][0], series[-1][0]
        pair = self.model._default_manager.in_bulk([first, latest])
        return pair[first], pair[latest]


class ProgressPhoto(models.Model):
    class Angle(models.TextChoices):
        FRONT = "front", "Front"
        LEFT = "left", "Left side"
        RIGHT = "right", "Right side"
        JAWLINE = "jawline", "Jawline and neck"
        OTHER = "other", "Other"

    class Timing(models.TextChoices):
        BEFORE = "before", "Before a session"
        AFTER = "after", "Right after a session"
        UNRELATED = "unrelated", "Not near a session"

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    taken_at = models.DateTimeField(default=timezone.now)
    angle = models.CharField(max_length=10, choices=Angle.choices, default=Angle.FRONT)
    timing = models.CharField(max_length=10, choices=Timing.choices, default=Timing.UNRELATED)
    note = models.CharField(max_length=300, blank=True)
    session = models.ForeignKey(
        MassageSession, on_delete=models.SET_NULL, null=True, blank=True, related_name="photos"
    )
    image = models.FileField(upload_to=photo_path, max_length=200)
    thumbnail = models.FileField(upload_to=photo_path, max_length=200)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PhotoQuerySet.as_manager()

    class Meta:
        indexes = [
            # The gallery and comparisons list one user's photos of one angle by date.
            models.Index(fields=["owner", "angle", "taken_at"], name="photo_owner_angle_taken"),
        ]

    def __str__(self) -> str:
        return f"{self.get_angle_display()} photo, {self.taken_at:%Y-%m-%d}"

    @property
    def shows_glow(self) -> bool:
        """Taken right after massage: the extra colour fades within the hour."""
        return self.timing == self.Timing.AFTER

    def attach(self, processed: "ProcessedImage") -> None:
        """Store a processed image and its thumbnail under new random names (not yet saved)."""
        self.image.save("photo.jpg", ContentFile(processed.image), save=False)
        self.thumbnail.save("thumbnail.jpg", ContentFile(processed.thumbnail), save=False)
        self.width, self.height = processed.width, processed.height

    def delete_files(self) -> None:
        for name in {self.image.name, self.thumbnail.name} - {"", None}:
            self.image.storage.delete(name)


@receiver(post_delete, sender=ProgressPhoto)
def delete_photo_files(sender, instance: ProgressPhoto, **kwargs) -> None:
    # Here rather than in a view, so that deleting an account removes its photos' files too;
    # only after the commit, so that a rolled-back delete keeps them.
    transaction.on_commit(instance.delete_files)


@dataclass(frozen=True)
class PhotoComparison:
    """Two photos of one angle, the earlier first, and the practice logged between them."""

    before: ProgressPhoto
    after: ProgressPhoto
    sessions_between: int

    @classmethod
    def of(cls, one: ProgressPhoto, other: ProgressPhoto) -> "PhotoComparison":
        before, after = sorted((one, other), key=lambda photo: (photo.taken_at, photo.pk))
        sessions = MassageSession.objects.filter(
            owner_id=before.owner_id,
            performed_at__gt=before.taken_at,
            performed_at__lte=after.taken_at,
        ).count()
        return cls(before, after, sessions)

    @property
    def days(self) -> int:
        return (self.after.taken_at - self.before.taken_at).days

    @property
    def weeks(self) -> int:
        return self.days // 7

    @property
    def extra_days(self) -> int:
        return self.days % 7

    @property
    def sessions_per_week(self) -> float | None:
        return self.sessions_between / (self.days / 7) if self.days >= 7 else None

    @property
    def pair(self) -> tuple[ProgressPhoto, ProgressPhoto]:
        return self.before, self.after

    @classmethod
    def latest(cls, user) -> "PhotoComparison | None":
        """The first and latest photo of the angle photographed most recently, if any."""
        pair = ProgressPhoto.objects.for_user(user).first_and_latest()
        return cls.of(*pair) if pair else None

    @property
    def glow_differs(self) -> bool:
        """One photo right after a session and the other not: the glow alone would differ."""
        return self.before.shows_glow != self.after.shows_glow
