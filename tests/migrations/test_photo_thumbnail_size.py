"""The migration that gives existing photos their thumbnail's size, run on rows made with the
schema before it."""

import importlib
import pkgutil

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

import tracker.migrations
from tracker.images import THUMBNAIL_SIDE, fit_within

# Found by its name, whatever number it is given when branches meet.
NAME = next(
    module.name
    for module in pkgutil.iter_modules(tracker.migrations.__path__)
    if module.name.endswith("_photo_thumbnail_size")
)
thumbnail_sizes = importlib.import_module(f"tracker.migrations.{NAME}")
BEFORE = [key for key in thumbnail_sizes.Migration.dependencies if key[0] == "tracker"]


def migrate(target: list[tuple[str, str]]):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


@pytest.mark.django_db(transaction=True)
def test_existing_photos_get_the_size_of_the_thumbnail_made_for_them(django_user_model):
    before = migrate(BEFORE)
    try:
        user = before.get_model("auth", "User").objects.create(username="alice")
        Photo = before.get_model("tracker", "ProgressPhoto")
        portrait = Photo.objects.create(owner_id=user.pk, width=1536, height=2048)
        small = Photo.objects.create(owner_id=user.pk, width=300, height=200)
        unknown = Photo.objects.create(owner_id=user.pk)

        after = migrate([("tracker", NAME)])

        Photo = after.get_model("tracker", "ProgressPhoto")
        sizes = dict(Photo.objects.values_list("pk", "thumbnail_width"))
        heights = dict(Photo.objects.values_list("pk", "thumbnail_height"))
        assert (sizes[portrait.pk], heights[portrait.pk]) == (360, 480)
        assert (sizes[small.pk], heights[small.pk]) == (300, 200)
        assert (sizes[unknown.pk], heights[unknown.pk]) == (0, 0)
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.mark.parametrize("size", [(1536, 2048), (2048, 1365), (481, 1), (4, 3), (2048, 2048)])
def test_the_migrations_copy_of_the_thumbnail_size_matches_the_image_code(size):
    assert thumbnail_sizes.THUMBNAIL_SIDE == THUMBNAIL_SIDE
    assert thumbnail_sizes.thumbnail_size(*size) == fit_within(size, THUMBNAIL_SIDE)
