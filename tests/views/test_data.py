import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse

from tests.factories import PASSWORD, make_full_account
from tracker.models import MassageSession, Profile, ProgressPhoto, RoutineStep

URL = "tracker:account-delete"


def rows_of(user_id: int) -> dict[str, int]:
    """Rows that point at the user, in every model of the app that has an owner or a user."""
    found = {}
    for model in apps.get_app_config("tracker").get_models():
        for field in ("owner_id", "user_id"):
            if field in {f.attname for f in model._meta.concrete_fields}:
                found[model.__name__] = model.objects.filter(**{field: user_id}).count()
    found["RoutineStep"] = RoutineStep.objects.filter(routine__owner_id=user_id).count()
    found["MassageSession.tools"] = MassageSession.tools.through.objects.filter(
        massagesession__owner_id=user_id
    ).count()
    return found


def file_names(photos: list[ProgressPhoto]) -> list[str]:
    return [name for photo in photos for name in (photo.image.name, photo.thumbnail.name)]


def test_the_page_asks_for_the_password_and_deletes_nothing(user, user_client):
    make_full_account(user)
    response = user_client.get(reverse(URL))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'type="password"' in page
    assert '<label for="id_password">Your password' in page
    assert sum(rows_of(user.pk).values()) > 0


def test_a_wrong_password_is_a_form_error_and_keeps_everything(user, user_client):
    photos = make_full_account(user)
    before = rows_of(user.pk)

    response = user_client.post(reverse(URL), {"password": "not my password"})

    assert response.status_code == 200
    assert "That is not your password" in response.content.decode()
    assert rows_of(user.pk) == before
    assert all(default_storage.exists(name) for name in file_names(photos))
    assert user_client.get(reverse("tracker:dashboard")).status_code == 200


def test_the_right_password_deletes_every_row_and_file_and_logs_out(
    user, other_user, user_client, client_for, django_capture_on_commit_callbacks
):
    photos, theirs = make_full_account(user), make_full_account(other_user)
    others_before = rows_of(other_user.pk)

    with django_capture_on_commit_callbacks(execute=True):
        response = user_client.post(reverse(URL), {"password": PASSWORD}, follow=True)

    assert response.redirect_chain[0] == (reverse("login"), 302)
    assert "everything in it have been deleted" in response.content.decode()
    assert not User.objects.filter(pk=user.pk).exists()
    assert set(rows_of(user.pk).values()) == {0}
    assert not any(default_storage.exists(name) for name in file_names(photos))
    # Nobody else loses anything.
    assert rows_of(other_user.pk) == others_before
    assert all(default_storage.exists(name) for name in file_names(theirs))
    assert client_for(other_user).get(reverse("tracker:dashboard")).status_code == 200
    # And the browser that did it is logged out.
    assert user_client.get(reverse("tracker:dashboard")).status_code == 302


def test_the_browser_is_asked_to_forget_the_sites_cache_and_storage(user, user_client):
    response = user_client.post(reverse(URL), {"password": PASSWORD})
    assert response["Clear-Site-Data"] == '"cache", "storage"'


def test_photo_files_go_only_once_the_deletion_has_committed(
    user, django_capture_on_commit_callbacks
):
    names = file_names(make_full_account(user))

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
    assert all(default_storage.exists(name) for name in file_names(photos))


def test_deleting_an_account_takes_a_post_from_a_logged_in_user(client, user_client):
    assert client.post(reverse(URL), {"password": PASSWORD}).status_code == 302
    assert user_client.put(reverse(URL)).status_code == 405


def test_guessing_the_password_here_counts_towards_the_log_in_lockout(user, user_client, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        user_client.post(reverse(URL), {"password": "a wrong guess"})
    response = user_client.post(reverse(URL), {"password": PASSWORD})
    assert response.status_code == 429
    assert User.objects.filter(pk=user.pk).exists()
