"""Online backups of a SQLite deployment: the database through SQLite's backup API, and the
uploaded files through the storage API.

A file copy of a live SQLite database in WAL mode can miss committed pages still in the -wal
file, or catch a half-written page; the backup API copies a consistent snapshot while the app
keeps running. PostgreSQL has pg_dump for that, and object stores have their own tools.
"""

import posixpath
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from django.core.files import File
from django.core.files.storage import Storage
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils._os import safe_join

DATABASE_FILE = "db.sqlite3"
MEDIA_DIR = "media"


class BackupError(Exception):
    """Why a backup or a restore cannot go ahead, in words for the operator."""


def require_sqlite(connection: BaseDatabaseWrapper) -> None:
    if connection.vendor != "sqlite":
        raise BackupError(
            f"backup and restore work with SQLite only, and this database is "
            f"{connection.display_name}. Use pg_dump and pg_restore for PostgreSQL, and your "
            "object store's own tools (versioning, replication) for the photos."
        )


def backup_database(connection: BaseDatabaseWrapper, target: Path) -> None:
    """Copy the live database into a new single-file SQLite database at `target`."""
    require_sqlite(connection)
    connection.ensure_connection()
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    copy = sqlite3.connect(partial)
    try:
        # All pages in one step: one read transaction, so one consistent snapshot.
        connection.connection.backup(copy)
        # The copy inherits WAL mode; make it one self-contained file.
        copy.execute("PRAGMA journal_mode=DELETE")
        check_database(copy, partial, of_this_app=False)
    finally:
        copy.close()
    partial.replace(target)


def restore_database(source: Path, connection: BaseDatabaseWrapper) -> None:
    """Replace the live database's content with the backup at `source`, in place."""
    require_sqlite(connection)
    backup = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    try:
        check_database(backup, source)
        connection.ensure_connection()
        # Into the open connection: other connections see the restored data at once, and
        # the database file keeps its name, permissions and WAL mode.
        backup.backup(connection.connection)
    finally:
        backup.close()
    connection.close()


def check_database(database: sqlite3.Connection, path: Path, of_this_app: bool = True) -> None:
    try:
        result = database.execute("PRAGMA quick_check").fetchone()[0]
        migrations = database.execute(
            "SELECT count(*) FROM sqlite_master WHERE name = 'django_migrations'"
        ).fetchone()[0]
    except sqlite3.DatabaseError as error:
        raise BackupError(f"{path} is not a readable SQLite database: {error}") from None
    if result != "ok":
        raise BackupError(f"{path} is damaged: {result}")
    if of_this_app and not migrations:
        raise BackupError(f"{path} is not a database of this app.")


def stored_names(storage: Storage, path: str = "") -> Iterator[str]:
    """Every file name in the storage, walked through its listdir()."""
    try:
        directories, files = storage.listdir(path)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield posixpath.join(path, name) if path else name
    for directory in sorted(directories):
        yield from stored_names(storage, posixpath.join(path, directory) if path else directory)


def backup_media(storage: Storage, target: Path) -> tuple[int, int]:
    """Copy every stored file into the folder `target`; the number of files and of bytes."""
    count = size = 0
    for name in stored_names(storage):
        destination = Path(safe_join(target, name))
        destination.parent.mkdir(parents=True, exist_ok=True)
        with storage.open(name, "rb") as source, destination.open("wb") as copy:
            shutil.copyfileobj(source, copy, 1024 * 1024)
        count += 1
        size += destination.stat().st_size
    return count, size


def backed_up_media(source: Path) -> list[tuple[str, Path]]:
    """(storage name, file) for every file in a backup's media folder."""
    if not source.is_dir():
        return []
    return [
        (path.relative_to(source).as_posix(), path)
        for path in sorted(source.rglob("*"))
        if path.is_file() and not path.is_symlink()
    ]


def restore_media(files: list[tuple[str, Path]], storage: Storage) -> int:
    """Put each file back under its own name, replacing what is stored there now."""
    for name, path in files:
        if storage.exists(name):
            storage.delete(name)
        with path.open("rb") as content:
            saved = storage.save(name, File(content, name=name))
        if saved != name:
            raise BackupError(f"The storage kept {name} as {saved}: the database would miss it.")
    return len(files)
