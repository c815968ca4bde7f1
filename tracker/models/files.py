"""Stored files that no row owns yet: noted before they are written, claimed with their rows.

A photo's files are written before its row (decoding must not hold the database's write lock),
so a process killed in between leaves files that nothing refers to. Each file is noted here,
in its own small committed write, before it is stored; the transaction that saves its photo
deletes the note. A note that outlives its transaction by an hour belongs to a process that
died (or gave up): the next upload or import, or `manage.py cleanup_photo_files`, deletes the
file and the note. No separate process is needed, and no file is ever left unaccounted for.
"""

import logging
from collections.abc import Iterable
from datetime import timedelta

from django.core.files.storage import Storage
from django.db import models, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

# No upload or import runs this long (gunicorn stops a request after 30 s by default).
PENDING_FOR_AT_MOST = timedelta(hours=1)


class FilesNoLongerPending(Exception):
    """Files were given up for lost (their process seemed dead) before their rows were saved."""


class PendingFileQuerySet(models.QuerySet):
    def note(self, names: Iterable[str]) -> None:
        """Note files about to be stored. Call it outside any transaction, so that the note
        is committed before the file exists: a crash right after must not lose it."""
        self.bulk_create([self.model(name=name) for name in names], ignore_conflicts=True)

    def claim(self, names: Iterable[str]) -> None:
        """Inside the transaction that saves the rows owning `names`: they are pending no more.

        Raises FilesNoLongerPending if a note was swept meanwhile (its file is gone).
        """
        names = set(names)
        if not names:
            return
        claimed, _ = self.filter(name__in=names).delete()
        if claimed != len(names):
            raise FilesNoLongerPending(f"{len(names) - claimed} of {len(names)} files were swept")

    def forget(self, names: Iterable[str]) -> None:
        """The files were deleted (a refused upload or import): drop their notes."""
        self.filter(name__in=set(names)).delete()

    def sweep(self, storage: Storage, older_than: timedelta = PENDING_FOR_AT_MOST) -> list[str]:
        """Delete the files of notes older than `older_than`, and the notes; return the names.

        A file that a row refers to after all is kept (only its note goes).
        """
        from tracker.models.photos import ProgressPhoto

        stale = list(
            self.filter(stored_at__lt=timezone.now() - older_than).values_list("name", flat=True)
        )
        if not stale:
            return []
        owned = ProgressPhoto.objects.filter(
            models.Q(image__in=stale) | models.Q(thumbnail__in=stale) | models.Q(aligned__in=stale)
        ).values_list("image", "thumbnail", "aligned")
        kept = {name for pair in owned for name in pair}
        swept = [name for name in stale if name not in kept]
        for name in swept:
            try:
                storage.delete(name)
            except OSError:
                # The store is down: the note stays, and the next sweep tries again.
                logger.warning("Could not delete the abandoned file %s", name)
                stale.remove(name)
        with transaction.atomic():
            self.filter(name__in=stale).delete()
        return swept


class PendingFile(models.Model):
    """A stored file not yet owned by a row (see the module's docstring). Not personal data:
    a random name and a time."""

    name = models.CharField(max_length=200, unique=True)
    stored_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = PendingFileQuerySet.as_manager()

    def __str__(self) -> str:
        return f"{self.name}, pending since {self.stored_at:%Y-%m-%d %H:%M}"
