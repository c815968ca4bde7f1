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


def test_photos_in_a_bucket_get_urls_signed_with_version_4_that_expire(monkeypatch):
    """`make check-scale` fetches such URLs from an S3 stand-in; this pins the settings."""
    import importlib

    import config.settings as module

    monkeypatch.setenv("DJANGO_PHOTOS_S3_BUCKET", "photos")
    monkeypatch.setenv("DJANGO_PHOTOS_SIGNED_URL_SECONDS", "45")
    try:
        options = importlib.reload(module).STORAGES["default"]["OPTIONS"]
    finally:
        monkeypatch.undo()
        importlib.reload(module)

    assert options["signature_version"] == "s3v4"
    assert (options["querystring_auth"], options["querystring_expire"]) == (True, 45)
    assert options["default_acl"] == "private"


def allowed_hosts(**env: str) -> list[str]:
    """ALLOWED_HOSTS as a fresh process reads it from `env` (settings are read once, at import)."""
    import json
    import os
    import subprocess
    import sys

    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json, django.conf as c; print(json.dumps(c.settings.ALLOWED_HOSTS))",
        ],
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)


def test_make_run_on_the_network_adds_the_lan_address_to_the_allowed_hosts_in_development():
    hosts = allowed_hosts(DJANGO_DEV_LAN_ADDRESS="192.168.1.23")

    assert hosts == ["localhost", "127.0.0.1", "[::1]", "192.168.1.23"]
    assert allowed_hosts() == ["localhost", "127.0.0.1", "[::1]"]


def test_production_ignores_the_development_lan_address():
    from tests.test_security import production_env

    env = {k: v for k, v in production_env().items() if k.startswith("DJANGO_")}
    hosts = allowed_hosts(**env, DJANGO_DEV_LAN_ADDRESS="192.168.1.23")

    assert hosts == ["example.com"]
