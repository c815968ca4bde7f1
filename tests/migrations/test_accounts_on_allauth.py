"""The move onto allauth keeps every account, profile and logged-in session as it was."""

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader


def this_migration_and_the_one_before() -> tuple[list, list]:
    """Found by name, so that the test follows the migration when it is renumbered."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    (key,) = [
        key
        for key in loader.disk_migrations
        if key[0] == "tracker" and key[1].endswith("_accounts_on_allauth")
    ]
    (before,) = [dep for dep in loader.disk_migrations[key].dependencies if dep[0] == "tracker"]
    return [before], [key]


BEFORE, AFTER = this_migration_and_the_one_before()


def migrate(targets) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.fixture
def before_allauth(transactional_db):
    migrate(BEFORE)
    yield MigrationExecutor(connection).loader.project_state(BEFORE).apps
    call_command("migrate", verbosity=0)


def test_every_account_profile_and_session_survives_and_only_emails_become_addresses(
    before_allauth,
):
    apps = before_allauth
    User, Profile = apps.get_model("auth", "User"), apps.get_model("tracker", "Profile")
    users = {
        name: User.objects.create(username=name, email=email, password="x")
        for name, email in [
            ("ann", ""),
            ("ben", "Ben@Example.com"),
            ("cat", "ben@example.com"),  # the same address as ben's, in another case
            ("dee", "dee@example.org"),
        ]
    }
    for user in users.values():
        Profile.objects.create(user=user, timezone="Europe/Paris")
    session = SessionStore()
    session[SESSION_KEY] = str(users["ann"].pk)
    session.save()

    migrate(AFTER)

    from allauth.account.models import EmailAddress
    from django.contrib.auth.models import User as CurrentUser

    assert set(CurrentUser.objects.values_list("username", flat=True)) == set(users)
    # Only the columns of that time: later migrations add others to the profile.
    zones = CurrentUser.objects.values_list("profile__timezone", flat=True)
    assert list(zones) == ["Europe/Paris"] * len(users)
    addresses = {a.user.username: a for a in EmailAddress.objects.select_related("user")}
    assert set(addresses) == {"ben", "dee"}
    assert addresses["ben"].email == "ben@example.com"
    assert (addresses["dee"].primary, addresses["dee"].verified) == (True, False)
    assert CurrentUser.objects.get(username="cat").email == "ben@example.com"
    assert SessionStore(session.session_key).get(SESSION_KEY) == str(users["ann"].pk)


def test_the_cache_table_is_made_by_the_migration(before_allauth):
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE facetrack_cache")

    migrate(AFTER)

    assert "facetrack_cache" in connection.introspection.table_names()
