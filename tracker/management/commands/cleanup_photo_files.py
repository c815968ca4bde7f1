from datetime import timedelta

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.utils import timezone

from tracker.models import PendingFile, ProgressPhoto

PHOTOS_DIR = "photos"


class Command(BaseCommand):
    help = (
        "Delete the files of uploads and imports that died before saving their photos (noted "
        "as pending for over an hour), then any other file under photos/ no photo refers to."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List the orphaned files, delete nothing."
        )
        parser.add_argument(
            "--min-age-minutes",
            type=int,
            default=60,
            help="Leave younger files alone: an upload stores its files just before its row.",
        )

    def handle(self, *args, dry_run: bool, min_age_minutes: int, **options) -> None:
        if not dry_run:
            abandoned = PendingFile.objects.sweep(
                default_storage, older_than=timedelta(minutes=min_age_minutes)
            )
            for path in abandoned:
                self.stdout.write(f"Deleted {path} (its upload or import never finished)")
        try:
            _, names = default_storage.listdir(PHOTOS_DIR)
        except FileNotFoundError:
            names = []
        referenced = set()
        # Every file a photo refers to: its image, thumbnail and aligned copy.
        files = ProgressPhoto.objects.values_list("image", "thumbnail", "aligned")
        for stored in files.iterator():
            referenced.update(stored)
        cutoff = timezone.now() - timedelta(minutes=min_age_minutes)
        orphans = [
            path
            for path in sorted(f"{PHOTOS_DIR}/{name}" for name in names)
            if path not in referenced and default_storage.get_modified_time(path) < cutoff
        ]
        for path in orphans:
            if not dry_run:
                default_storage.delete(path)
            self.stdout.write(f"{'Would delete' if dry_run else 'Deleted'} {path}")
        verb = "would be deleted" if dry_run else "deleted"
        self.stdout.write(f"{len(orphans)} orphaned photo file{'s' * (len(orphans) != 1)} {verb}.")
