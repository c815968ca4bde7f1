import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    # The throttle's counters: each test starts with none, whatever cache it runs against.
    cache.clear()


@pytest.fixture
def alice(user) -> User:
    """The usual account, with a verified email address: resets and codes can reach her."""
    EmailAddress.objects.create(user=user, email="alice@example.com", primary=True, verified=True)
    User.objects.filter(pk=user.pk).update(email="alice@example.com")
    user.refresh_from_db()
    return user
