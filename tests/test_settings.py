import copy

import pytest
from django.conf import settings
from django.db import connections

sqlite_only = pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"), reason="SQLite only"
)


@sqlite_only
def test_a_live_sqlite_connection_uses_wal_immediate_transactions_and_a_busy_timeout(db, tmp_path):
    # The test database lives in memory, where WAL does not apply: open a real file with the
    # very same settings the app uses.
    from django.db.backends.sqlite3.base import DatabaseWrapper

    settings_dict = copy.deepcopy(connections.settings["default"])
    settings_dict["NAME"] = str(tmp_path / "live.sqlite3")
    wrapper = DatabaseWrapper(settings_dict, alias="live-check")
    try:
        with wrapper.cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA busy_timeout")
            assert cursor.fetchone()[0] >= 5000
        assert wrapper.transaction_mode == "IMMEDIATE"
    finally:
        wrapper.close()


def test_production_refuses_the_development_secret_key(monkeypatch):
    import importlib

    import config.settings as module

    monkeypatch.setenv("DJANGO_DEBUG", "0")
    monkeypatch.delenv("DJANGO_SECRET_KEY", raising=False)
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY"):
        importlib.reload(module)
    monkeypatch.setenv("DJANGO_DEBUG", "1")
    importlib.reload(module)


def test_the_pages_cache_is_memory_alone_or_redis_beside_the_shared_cache(monkeypatch):
    import importlib

    import config.settings as module

    try:
        monkeypatch.delenv("REDIS_URL", raising=False)
        importlib.reload(module)
        assert module.CACHES["pages"]["BACKEND"].endswith("LocMemCache")
        assert module.CACHES["default"]["BACKEND"].endswith("DatabaseCache")
        # SQLite's connections are kept, as PostgreSQL's are.
        assert module.DATABASES["default"]["CONN_MAX_AGE"] == 60

        monkeypatch.setenv("REDIS_URL", "redis://localhost:6379/0")
        importlib.reload(module)
        pages, default = module.CACHES["pages"], module.CACHES["default"]
        assert (
            pages["BACKEND"]
            == default["BACKEND"]
            == ("django.core.cache.backends.redis.RedisCache")
        )
        assert pages["KEY_PREFIX"] == "pages" and not default.get("KEY_PREFIX")
    finally:
        monkeypatch.delenv("REDIS_URL", raising=False)
        importlib.reload(module)
