"""Progress photos: how they read, and their files, which go only with a committed delete."""

import io
from datetime import UTC, datetime

import pytest
from django.core.files.storage import default_storage
from django.db import transaction

from tests.factories import make_full_account, make_photo, make_session
from tests.photo_samples import jpeg
from tests.readers import photo_file_names, stored_files
from tests.sqlite_file import database_shared_by_threads, run_together
from tracker.images import process_upload
from tracker.models import MassageSession, PhotoQuotaFull, Profile, ProgressPhoto

pytestmark = pytest.mark.django_db


def test_a_photo_reads_as_its_angle_and_day(user):
    photo = ProgressPhoto(
        owner=user,
        taken_at=datetime(2026, 11, 18, 8, 0, tzinfo=UTC),
        angle=ProgressPhoto.Angle.LEFT,
    )

    assert str(photo) == "Left side photo, 2026-11-18"


def test_a_photo_and_its_session_stay_apart_when_the_session_is_deleted(user):
    session = make_session(user)
    photo = make_photo(user)
    photo.session = session
    photo.save()

    MassageSession.objects.filter(pk=session.pk).delete()

    photo.refresh_from_db()
    assert photo.session is None


def test_deleting_an_account_deletes_its_photo_files(
    user, other_user, django_capture_on_commit_callbacks
):
    make_photo(user)
    theirs = make_photo(other_user)

    with django_capture_on_commit_callbacks(execute=True):
        user.delete()

    assert stored_files() == sorted([theirs.image.name, theirs.thumbnail.name])


def test_photo_files_go_only_once_the_deletion_has_committed(
    user, django_capture_on_commit_callbacks
):
    names = photo_file_names(make_full_account(user))

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        user.profile.delete_account()
    assert all(default_storage.exists(name) for name in names)

    for callback in callbacks:
        callback()
    assert not any(default_storage.exists(name) for name in names)


def test_a_rolled_back_deletion_keeps_the_rows_and_their_files(user):
    photos, user_id = make_full_account(user), user.pk

    with pytest.raises(RuntimeError), transaction.atomic():
        user.profile.delete_account()
        raise RuntimeError("something failed later in the same transaction")

    assert Profile.objects.filter(user_id=user_id).exists()
    assert ProgressPhoto.objects.filter(owner_id=user_id).count() == 2
    assert all(default_storage.exists(name) for name in photo_file_names(photos))


# One quota, under one lock, for uploads and imports


def processed_photo():
    return process_upload(io.BytesIO(jpeg()))


def test_photos_over_the_quota_are_refused_and_leave_no_files(user, settings):
    settings.PHOTO_QUOTA = 1
    ProgressPhoto.objects.add_uploads(user, [processed_photo()], taken_at=None)
    files_before = sorted(default_storage.listdir("photos")[1])

    with pytest.raises(PhotoQuotaFull, match="You can keep up to 1 photos and you have 1"):
        ProgressPhoto.objects.add_uploads(user, [processed_photo()], taken_at=None)

    assert ProgressPhoto.objects.for_user(user).count() == 1
    assert sorted(default_storage.listdir("photos")[1]) == files_before


@pytest.mark.django_db(transaction=True)
def test_two_additions_at_once_cannot_both_pass_the_quota(make_user, tmp_path, settings):
    settings.PHOTO_QUOTA = 3
    with database_shared_by_threads(tmp_path):
        user = make_user("alice")
        images = [processed_photo() for _ in range(2)]

        def add():
            owner = user.__class__.objects.get(pk=user.pk)
            return ProgressPhoto.objects.add_uploads(owner, images, taken_at=None)

        outcomes = run_together(add, add)
        refused = [o for o in outcomes if isinstance(o, PhotoQuotaFull)]

        assert len(refused) == 1, outcomes
        assert ProgressPhoto.objects.filter(owner=user).count() == 2
