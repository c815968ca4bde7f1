import shutil
from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections

from tracker import backups


class Command(BaseCommand):
    help = (
        "Copy the live SQLite database (through SQLite's backup API, safe while the app runs) "
        "to DEST/db.sqlite3 and every uploaded file to DEST/media/."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("dest", type=Path, help="A folder for this backup.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)
        parser.add_argument(
            "--force", action="store_true", help="Replace a backup already in DEST."
        )

    def handle(self, *args, dest: Path, database: str, force: bool, **options) -> None:
        connection = connections[database]
        database_file, media_dir = dest / backups.DATABASE_FILE, dest / backups.MEDIA_DIR
        try:
            backups.require_sqlite(connection)
            if database_file.exists() and not force:
                raise CommandError(
                    f"{dest} already holds a backup: choose a new folder, or add --force."
                )
            dest.mkdir(parents=True, exist_ok=True)
            # The database first: every photo it names exists by the time media is copied.
            backups.backup_database(connection, database_file)
            if media_dir.exists():
                shutil.rmtree(media_dir)
            count, size = backups.backup_media(default_storage, media_dir)
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up the database to {database_file} and {count} media files "
                f"({size / 1024 / 1024:.1f} MB) to {media_dir}."
            )
        )
