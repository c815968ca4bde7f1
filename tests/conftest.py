import os
from datetime import datetime

import pytest
from django.contrib.auth.models import User
from django.test import Client
from hypothesis import settings as hypothesis_settings
from time_machine import TimeMachineFixture

from tests import factories
from tests.factories import WEDNESDAY_NOON
from tests.push_service import push_service, vapid  # noqa: F401  (fixtures for every module)
from tests.servers import redis_server, smtp_server  # noqa: F401 (fixtures for every module)

# Property-based tests: the same examples on every run and machine unless asked otherwise, so
# that a failure in CI is a failure on a laptop too (print_blob gives the example to replay).
# HYPOTHESIS_PROFILE=dev explores more, with new examples each run.
hypothesis_settings.register_profile(
    "ci", derandomize=True, deadline=None, max_examples=50, print_blob=True
)
hypothesis_settings.register_profile("dev", deadline=None, max_examples=500, print_blob=True)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True)
def _fast_and_isolated(settings, tmp_path):
    # MD5 only in tests: the real hasher costs ~0.6 s per login on these machines.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


@pytest.fixture
def now(time_machine: TimeMachineFixture) -> datetime:
    """Every clock stopped at WEDNESDAY_NOON: Django's, Python's, and the models' defaults."""
    time_machine.move_to(WEDNESDAY_NOON, tick=False)
    return WEDNESDAY_NOON


@pytest.fixture
def make_user(db):
    return factories.make_user


@pytest.fixture
def user(make_user) -> User:
    return make_user("alice")


@pytest.fixture
def other_user(make_user) -> User:
    return make_user("mallory")


@pytest.fixture
def client_for():
    def make(user: User) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def user_client(user, client_for) -> Client:
    return client_for(user)


@pytest.fixture
def htmx_headers() -> dict[str, str]:
    return {"HX-Request": "true"}


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Browser tests last: their live server thread shares the in-memory test database's
    # connection and stays up for the rest of the run, which the SQLite file tests (backup,
    # concurrency) must not race with.
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(autouse=True)
def _empty_pages_cache():
    # Ids and frozen clocks repeat from test to test: a part kept by one must not reach another.
    from django.core.cache import caches

    caches["pages"].clear()
    yield
    caches["pages"].clear()
