from pathlib import Path

from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS, connections
from django.utils import timezone

from tracker import backups


class Command(BaseCommand):
    help = (
        "Put a backup made by `backup` back: SRC/db.sqlite3 into the configured database "
        "(through SQLite's backup API) and SRC/media/ into the storage."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("src", type=Path, help="A folder made by the backup command.")
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)
        parser.add_argument("--yes", action="store_true", help="Do not ask for confirmation.")

    def handle(self, *args, src: Path, database: str, yes: bool, **options) -> None:
        connection = connections[database]
        database_file = src / backups.DATABASE_FILE
        try:
            backups.require_sqlite(connection)
            if not database_file.is_file():
                raise CommandError(f"{src} holds no {backups.DATABASE_FILE}: is it a backup?")
            media = backups.backed_up_media(src / backups.MEDIA_DIR)
            if not yes:
                self.confirm(connection.settings_dict["NAME"], len(media))
            safety_copy = self.keep_current_database(connection)
            # Files first: should that fail, the database still matches what is stored.
            count = backups.restore_media(media, default_storage)
            backups.restore_database(database_file, connection)
        except backups.BackupError as error:
            raise CommandError(str(error)) from None
        if safety_copy:
            self.stdout.write(f"The database as it was before is kept in {safety_copy}.")
        self.stdout.write(
            self.style.SUCCESS(f"Restored the database and {count} media files from {src}.")
        )

    def confirm(self, name: str, count: int) -> None:
        answer = input(
            f"This replaces everything in the database {name} and puts back {count} media "
            "files. Type 'yes' to continue: "
        )
        if answer.strip().lower() != "yes":
            raise CommandError("Restore cancelled: nothing was changed.")

    def keep_current_database(self, connection) -> Path | None:
        if connection.is_in_memory_db():
            return None
        current = Path(connection.settings_dict["NAME"])
        if not current.is_file() or current.stat().st_size == 0:
            return None
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        safety_copy = current.with_name(f"{current.name}.before-restore-{stamp}")
        backups.backup_database(connection, safety_copy)
        return safety_copy
