import io
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

from tests.factories import make_photo, make_session
from tests.sqlite_file import default_database_in_file, sqlite_only
from tracker.models import MassageSession, ProgressPhoto

MONDAY = datetime(2026, 11, 16, 8, 0, tzinfo=UTC)


def session_rows(owner) -> list[tuple]:
    return list(
        MassageSession.objects.for_user(owner)
        .order_by("performed_at")
        .values_list("performed_at", "local_date", "minutes", "notes")
    )


def run(command: str, *args, **options) -> str:
    out = io.StringIO()
    call_command(command, *args, stdout=out, **options)
    return out.getvalue()


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_a_restored_backup_brings_back_every_session_and_photo(make_user, tmp_path):
    backup = tmp_path / "backup"
    with default_database_in_file(tmp_path / "live.sqlite3"):
        user = make_user("alice")
        sessions = [
            make_session(user, MONDAY + timedelta(days=n), minutes=5 + n, notes=f"Day {n}")
            for n in range(5)
        ]
        photo = make_photo(user, session=sessions[0])
        before = session_rows(user)
        photo_bytes = default_storage.open(photo.image.name).read()

        output = run("backup", str(backup))

        # Then disaster: sessions deleted and one added, the photo and its files gone.
        MassageSession.objects.for_user(user).exclude(pk=sessions[0].pk).delete()
        make_session(user, MONDAY + timedelta(days=9), minutes=30)
        ProgressPhoto.objects.all().delete()
        for name in (photo.image.name, photo.thumbnail.name):
            default_storage.delete(name)

        run("restore", str(backup), yes=True)

        assert session_rows(user) == before
        restored = ProgressPhoto.objects.get()
        assert restored.session_id == sessions[0].pk
        assert default_storage.open(restored.image.name).read() == photo_bytes
        assert default_storage.exists(restored.thumbnail.name)
    assert "2 media files" in output


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_the_backup_is_one_consistent_file_even_while_someone_is_writing(make_user, tmp_path):
    with default_database_in_file(tmp_path / "live.sqlite3") as live:
        user = make_user("alice")
        for n in range(3):
            make_session(user, MONDAY + timedelta(days=n))
        # Another process is in the middle of a write: uncommitted, so not in the backup,
        # and it must not make the backup wait or fail.
        writer = sqlite3.connect(live, isolation_level=None)
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("DELETE FROM tracker_massagesession")
        try:
            run("backup", str(tmp_path / "backup"))
        finally:
            writer.execute("ROLLBACK")
            writer.close()

    copy = sqlite3.connect(tmp_path / "backup" / "db.sqlite3")
    try:
        assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("SELECT count(*) FROM tracker_massagesession").fetchone()[0] == 3
    finally:
        copy.close()
    assert not (tmp_path / "backup" / "db.sqlite3-wal").exists()


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_a_restore_keeps_a_copy_of_the_database_it_replaces(make_user, tmp_path):
    with default_database_in_file(tmp_path / "live.sqlite3"):
        run("backup", str(tmp_path / "backup"))
        make_user("alice")
        output = run("restore", str(tmp_path / "backup"), yes=True)
    [safety_copy] = tmp_path.glob("live.sqlite3.before-restore-*")
    assert str(safety_copy) in output
    with sqlite3.connect(safety_copy) as copy:
        assert copy.execute("SELECT username FROM auth_user").fetchall() == [("alice",)]


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_restore_asks_first_and_a_no_changes_nothing(make_user, tmp_path, monkeypatch):
    with default_database_in_file(tmp_path / "live.sqlite3"):
        run("backup", str(tmp_path / "backup"))
        user = make_user("alice")
        make_session(user, MONDAY)
        questions = []
        monkeypatch.setattr("builtins.input", lambda q: questions.append(q) or "no")

        with pytest.raises(CommandError, match="cancelled"):
            run("restore", str(tmp_path / "backup"))

        assert "Type 'yes'" in questions[0]
        assert MassageSession.objects.count() == 1
    assert not list(tmp_path.glob("live.sqlite3.before-restore-*"))


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_a_backup_does_not_overwrite_another_unless_forced(tmp_path):
    with default_database_in_file(tmp_path / "live.sqlite3"):
        run("backup", str(tmp_path / "backup"))
        with pytest.raises(CommandError, match="already holds a backup"):
            run("backup", str(tmp_path / "backup"))
        (tmp_path / "backup" / "media" / "stale.jpg").parent.mkdir(exist_ok=True)
        (tmp_path / "backup" / "media" / "stale.jpg").write_bytes(b"old")
        run("backup", str(tmp_path / "backup"), force=True)
    assert not (tmp_path / "backup" / "media" / "stale.jpg").exists()


@pytest.mark.django_db
def test_restore_refuses_a_folder_that_is_not_a_backup(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")
    with pytest.raises(CommandError, match=r"holds no db\.sqlite3"):
        run("restore", str(tmp_path), yes=True)
    (tmp_path / "db.sqlite3").write_bytes(b"not a database at all" * 100)
    with pytest.raises(CommandError, match="not a readable SQLite database"):
        run("restore", str(tmp_path), yes=True)


@pytest.mark.django_db
@pytest.mark.parametrize("command", ["backup", "restore"])
def test_backup_and_restore_refuse_other_databases_and_point_at_pg_dump(
    command, tmp_path, monkeypatch
):
    monkeypatch.setattr(connection, "vendor", "postgresql")
    options = {"yes": True} if command == "restore" else {}
    with pytest.raises(CommandError, match="pg_dump"):
        run(command, str(tmp_path / "backup"), **options)
    assert not (tmp_path / "backup").exists()
