import logging
import secrets
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone

from tracker.alignment import Eyes
from tracker.intervals import days_between
from tracker.models.bulk import Batch
from tracker.models.dates import MomentField, is_accepted_moment
from tracker.models.files import PendingFile
from tracker.models.owned import Editable, OwnedQuerySet
from tracker.models.sessions import MassageSession

if TYPE_CHECKING:
    from tracker.images import ProcessedImage


logger = logging.getLogger(__name__)


def photo_path(instance: "ProgressPhoto", filename: str) -> str:
    # Random, unguessable names: never the user's name or the uploaded file's name.
    return f"photos/{secrets.token_urlsafe(24)}.jpg"


class PhotoQuotaFull(Exception):
    """Adding these photos would pass the number one person can keep."""

    def __init__(self, kept: int, adding: int) -> None:
        self.kept, self.adding = kept, adding
        room = max(0, settings.PHOTO_QUOTA - kept)
        super().__init__(
            f"You can keep up to {settings.PHOTO_QUOTA} photos and you have {kept}: "
            + (f"add at most {room} more." if room else "delete some to add new ones.")
        )


def photo_taken_at(from_exif: datetime | None, zone: zoneinfo.ZoneInfo) -> datetime:
    """The moment the picture says it was taken (its clock read in the owner's zone), or now
    if it says nothing, or a date the app does not accept (a camera's clock never set)."""
    if from_exif is None:
        return timezone.now()
    if timezone.is_naive(from_exif):
        from_exif = timezone.make_aware(from_exif, zone)
    with timezone.override(zone):
        return from_exif if is_accepted_moment(from_exif) else timezone.now()


class PhotoQuerySet(OwnedQuerySet):
    def check_quota(self, owner, adding: int) -> None:
        """Raise PhotoQuotaFull if `owner` has no room for `adding` more photos."""
        kept = self.for_user(owner).count()
        if kept + adding > settings.PHOTO_QUOTA:
            raise PhotoQuotaFull(kept, adding)

    def add_for(self, owner, photos: list["ProgressPhoto"]) -> list["ProgressPhoto"]:
        """Save new photos of `owner`'s, their files stored already: all within the quota, or none.

        Uploads and imports both come through here (an import through prepare_add). On failure
        the photos' files are deleted: they must not outlive rows that were never written.
        """
        try:
            batch = Batch()
            self.prepare_add(owner, photos, batch)
            with transaction.atomic():
                batch.write()
        except BaseException:
            ProgressPhoto.discard_files(photos)
            raise
        return photos

    def prepare_add(self, owner, photos: list["ProgressPhoto"], batch: Batch) -> None:
        """add_for's rows, made ready in `batch`, with its checks: the caller deletes the
        files if the batch is not written."""

        def within_quota() -> None:
            # One person's additions one at a time (SQLite's IMMEDIATE transactions already
            # do this), so that two at once cannot both pass the quota.
            owner.profile.lock()
            self.check_quota(owner, len(photos))

        for photo in photos:
            photo.owner = owner
        batch.check_first(within_quota)
        batch.add(photos)
        names = [name for photo in photos for name in photo.file_names]
        batch.afterwards(lambda: PendingFile.objects.claim(names))

    def add_uploads(
        self, owner, images: "list[ProcessedImage]", *, taken_at: datetime | None, **details: Any
    ) -> list["ProgressPhoto"]:
        """Photos from processed uploads, dated by `taken_at`, or else each by its own EXIF."""
        # Files a killed upload or import left behind go now: no other process is needed.
        PendingFile.objects.sweep(self.model._meta.get_field("image").storage)
        zone = owner.profile.zone
        photos: list[ProgressPhoto] = []
        try:
            for image in images:
                when = taken_at or photo_taken_at(image.taken_at, zone)
                photo = self.model(owner=owner, taken_at=when, **details)
                photos.append(photo)
                photo.attach(image)
        except BaseException:
            ProgressPhoto.discard_files(photos)
            raise
        return self.add_for(owner, photos)

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


class ProgressPhoto(Editable):
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
    taken_at = MomentField(default=timezone.now)
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
    # The centre of each eye as the person marked it, in pixels of the stored image, "left"
    # and "right" as seen in the photo: both eyes or neither (see tracker.alignment).
    eye_left_x = models.FloatField(null=True, blank=True)
    eye_left_y = models.FloatField(null=True, blank=True)
    eye_right_x = models.FloatField(null=True, blank=True)
    eye_right_y = models.FloatField(null=True, blank=True)
    # The photo turned, scaled and cropped by its eyes: derived on first view, deleted when
    # the marks change or the photo goes; served like the photo (owner only, no-store).
    aligned = models.FileField(upload_to=photo_path, max_length=200, blank=True)
    # Pages give every thumbnail its size, so that nothing moves as they load.
    thumbnail_width = models.PositiveIntegerField(default=0)
    thumbnail_height = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PhotoQuerySet.as_manager()

    class Meta:
        indexes = [
            # The gallery and comparisons list one user's photos of one angle by date.
            models.Index(fields=["owner", "angle", "taken_at"], name="photo_owner_angle_taken"),
        ]
        constraints = [
            # Alignment needs both eyes: half a pair of marks is no mark at all.
            models.CheckConstraint(
                condition=models.Q(
                    eye_left_x__isnull=True,
                    eye_left_y__isnull=True,
                    eye_right_x__isnull=True,
                    eye_right_y__isnull=True,
                )
                | models.Q(
                    eye_left_x__isnull=False,
                    eye_left_y__isnull=False,
                    eye_right_x__isnull=False,
                    eye_right_y__isnull=False,
                ),
                name="photo_both_eyes_or_none",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_angle_display()} photo, {self.taken_at:%Y-%m-%d}"

    @property
    def shows_glow(self) -> bool:
        """Taken right after massage: the extra colour fades within the hour."""
        return self.timing == self.Timing.AFTER

    @property
    def file_names(self) -> list[str]:
        names = (self.image.name, self.thumbnail.name, self.aligned.name)
        return [name for name in names if name]

    @property
    def eyes(self) -> "Eyes | None":
        if self.eye_left_x is None or self.eye_right_x is None:
            return None
        return Eyes((self.eye_left_x, self.eye_left_y), (self.eye_right_x, self.eye_right_y))

    def mark_eyes(self, eyes: "Eyes | None") -> None:
        """Remember where the eyes are (None forgets them). The aligned image made from the
        old marks goes, once this commits; the next view derives a new one."""
        old = self.aligned.name
        (self.eye_left_x, self.eye_left_y), (self.eye_right_x, self.eye_right_y) = (
            (eyes.left, eyes.right) if eyes else ((None, None), (None, None))
        )
        self.aligned = ""
        with transaction.atomic():
            self.save(update_fields=[*EYE_FIELDS, "aligned"])
            if old:
                transaction.on_commit(lambda: _delete_file(self.image.storage, old))

    def aligned_file(self) -> "FieldFile | None":
        """The aligned image (None without eyes), derived and stored on first use.

        Two requests at once may both derive it: the row keeps one, the other's file goes.
        """
        eyes = self.eyes
        if eyes is None:
            return None
        if self.aligned:
            return self.aligned
        from tracker.alignment import aligned_jpeg

        storage = self._meta.get_field("aligned").storage
        try:
            with self.image.open("rb") as source:
                data = aligned_jpeg(source.read(), eyes)
        except (OSError, ValueError, SyntaxError):
            # The stored photo is missing or unreadable: the pair is shown as taken.
            logger.warning("Could not align photo %s", self.pk)
            return None
        name = photo_path(self, "aligned.jpg")
        PendingFile.objects.note([name])
        name = storage.save(name, ContentFile(data))
        PendingFile.objects.note([name])
        with transaction.atomic():
            # Only if the marks are still those it was made from, and no other request won.
            kept = ProgressPhoto.objects.filter(
                pk=self.pk,
                aligned="",
                **dict(zip(EYE_FIELDS, [*eyes.left, *eyes.right], strict=True)),
            ).update(aligned=name)
            if kept:
                PendingFile.objects.claim([name])
        if not kept:
            _delete_file(storage, name)
            PendingFile.objects.forget([name])
            self.refresh_from_db(fields=[*EYE_FIELDS, "aligned"])
            return self.aligned or None
        self.aligned = name
        return self.aligned

    def attach(self, processed: "ProcessedImage") -> None:
        """Store a processed image and its thumbnail under new random names (not yet saved).

        Each is noted as pending before it is stored (tracker.models.files): until the row is
        saved, a crash leaves nothing that the next upload or import cannot find and delete.
        """
        storage = self._meta.get_field("image").storage
        for field, data in (("image", processed.image), ("thumbnail", processed.thumbnail)):
            name = photo_path(self, f"{field}.jpg")
            PendingFile.objects.note([name])
            stored = storage.save(name, ContentFile(data))
            if stored != name:  # the storage chose another name: note that one too
                PendingFile.objects.note([stored])
            setattr(self, field, stored)
        self.width, self.height = processed.width, processed.height
        self.thumbnail_width = processed.thumbnail_width
        self.thumbnail_height = processed.thumbnail_height

    def delete_files(self) -> list[str]:
        """Delete the stored image and thumbnail; return the names of those deleted."""
        deleted = []
        for name in self.file_names:
            try:
                self.image.storage.delete(name)
            except OSError:
                # The store is down: cleanup_photo_files (or the pending files' sweep) retries.
                logger.warning("Could not delete the stored file %s", name)
            else:
                deleted.append(name)
        return deleted

    @staticmethod
    def discard_files(photos: Iterable["ProgressPhoto"]) -> None:
        """Delete the files of photos that will not be saved, and their pending notes."""
        PendingFile.objects.forget(name for photo in photos for name in photo.delete_files())


EYE_FIELDS = ("eye_left_x", "eye_left_y", "eye_right_x", "eye_right_y")


def _delete_file(storage, name: str) -> None:
    try:
        storage.delete(name)
    except OSError:
        # The store is down: cleanup_photo_files removes what no photo refers to.
        logger.warning("Could not delete the stored file %s", name)


@receiver(post_delete, sender=ProgressPhoto)
def delete_photo_files(sender, instance: ProgressPhoto, **kwargs) -> None:
    # Here rather than in a view, so that deleting an account removes its photos' files too;
    # only after the commit, so that a rolled-back delete keeps them.
    transaction.on_commit(instance.delete_files)


@dataclass(frozen=True)
class PhotoComparison:
    """Two photos of one angle, the earlier first, the calendar days between them in the
    owner's zone, and the practice logged between them."""

    before: ProgressPhoto
    after: ProgressPhoto
    sessions_between: int
    days: int

    @classmethod
    def of(
        cls, one: ProgressPhoto, other: ProgressPhoto, zone: zoneinfo.ZoneInfo
    ) -> "PhotoComparison":
        before, after = sorted((one, other), key=lambda photo: (photo.taken_at, photo.pk))
        sessions = MassageSession.objects.filter(
            owner_id=before.owner_id,
            performed_at__gt=before.taken_at,
            performed_at__lte=after.taken_at,
        ).count()
        return cls(before, after, sessions, days_between(before.taken_at, after.taken_at, zone))

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
        return cls.of(*pair, zone=user.profile.zone) if pair else None

    @property
    def glow_differs(self) -> bool:
        """One photo right after a session and the other not: the glow alone would differ."""
        return self.before.shows_glow != self.after.shows_glow
