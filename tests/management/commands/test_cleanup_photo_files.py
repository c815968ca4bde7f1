"""cleanup_photo_files: files in storage that no photo refers to, once they are old enough."""

import io
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.utils import timezone

from tests.factories import make_photo
from tests.readers import stored_files

pytestmark = pytest.mark.django_db


def test_the_cleanup_command_removes_only_old_files_no_photo_refers_to(user, time_machine):
    photo = make_photo(user)
    orphan = default_storage.save("photos/orphan.jpg", io.BytesIO(b"left over"))
    fresh_moment = timezone.now() + timedelta(hours=2)
    output = io.StringIO()

    # Files written in the last hour may belong to an upload still saving its row.
    call_command("cleanup_photo_files", stdout=output)
    assert orphan in stored_files()
    assert "0 orphaned photo files deleted." in output.getvalue()

    time_machine.move_to(fresh_moment, tick=False)
    call_command("cleanup_photo_files", "--dry-run", stdout=output)
    assert orphan in stored_files()
    assert f"Would delete {orphan}" in output.getvalue()

    call_command("cleanup_photo_files", stdout=output)
    assert stored_files() == sorted([photo.image.name, photo.thumbnail.name])
    assert f"Deleted {orphan}" in output.getvalue()


def test_the_cleanup_command_copes_with_no_photos_at_all(db):
    output = io.StringIO()

    call_command("cleanup_photo_files", stdout=output)

    assert "0 orphaned photo files deleted." in output.getvalue()
