import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.push_service import push_service, vapid  # noqa: F401  (fixtures for every module)

PASSWORD = "correct horse battery staple"


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
def make_user(db):
    def make(username: str = "alice", timezone: str = "UTC", **profile) -> User:
        user = User.objects.create_user(username, password=PASSWORD)
        user.profile.timezone = timezone
        for name, value in profile.items():
            setattr(user.profile, name, value)
        user.profile.save()
        return user

    return make


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
