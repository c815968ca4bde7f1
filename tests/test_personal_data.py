"""A person's data is theirs, all of it: every model of every installed app that holds rows
reachable from an account (a chain of foreign keys or one-to-one links to the user) is in the
export, comes back from the import, and is gone with the account.

The models are found by walking every installed app's models (Django's, the libraries', ours,
the automatic many-to-many tables too), so a model added later is checked from its first
commit. What must not travel is listed below, each with its reason.
"""

import io
import json
import uuid
import zipfile
from collections import Counter
from datetime import date, datetime

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models

from tests.factories import make_export, make_full_account
from tracker.portability import import_zip

# Models that hold a person's rows but must not travel in an export. Each is still deleted
# with the account (checked below).
NOT_EXPORTED = {
    # Permissions and groups are the site's access control, given by an administrator.
    "auth.User_groups": "site access control",
    "auth.User_user_permissions": "site access control",
    # What staff did in the admin, kept as the site's own record.
    "admin.LogEntry": "the admin's log of staff actions",
    # A one-time key mailed to confirm an address: spent or expired, never handed on.
    "account.EmailConfirmation": "a one-time confirmation key",
    # Not found by the walk, for they hold no foreign key to the account, and listed so that
    # nobody adds one without deciding: Django's sessions (log-in cookies), django-axes'
    # attempts (throttle counters, by user name), password hashes (a field of auth.User,
    # never exported), one-time codes and task results.
}

# Models whose rows are exported but not imported into the account that imports them.
NOT_IMPORTED = {
    # The importing account is the person's own: its user name, password and address stay.
    # The export still carries the name, address and the day the account was made.
    "auth.User": "the importing account keeps its own name, password and address",
    # The export says which address and whether it was verified; the importing account's
    # own address (verified by its own email) stays.
    "account.EmailAddress": "the importing account keeps its own, verified address",
    # Passkeys are bound to this site and this account; the export lists their names and
    # dates only. A new account registers its own.
    "mfa.Authenticator": "sign-in credentials are never copied into another account",
}

# Fields of a model that travels that must not be in the export themselves.
NOT_EXPORTED_FIELDS = {
    "auth.User": {
        "password": "a password hash is a secret of this site's, never handed out",
        "last_login": "the site's record of log-ins, not something the person made",
    },
    # The kind of key, and (not text, so not checked here) the credential itself: the export
    # names each passkey and dates it, nothing that could sign in.
    "mfa.Authenticator": {"type": "which kind of credential, implied by the passkeys list"},
}

# Fields made again rather than copied: neither in the export nor the same after an import.
REMADE = {
    # Derived from the photo and its eye marks on first view, in the new account too.
    "tracker.ProgressPhoto": {"aligned"},
    # When the next reminder is due: worked out again from the plan, in the new account's zone.
    "tracker.ReminderPlan": {"next_due_at"},
    # The calendar feed's secret address: a restore makes a new one (an old link stays dead).
    "tracker.CalendarFeed": {"token"},
    # The scheduler's id for the run that claimed a reminder: a run of this server's.
    "tracker.ReminderClaim": {"batch"},
    # How many writes the dashboard has seen (the cache's key): the new account's own count.
    "tracker.Profile": {"data_version"},
}


def chain_to_user(model: type[models.Model]) -> str | None:
    """The lookup from `model` to the user's id ("owner_id", "routine__owner_id"), if any:
    the shortest chain of foreign keys and one-to-one links."""
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    if model is user_model:
        return "pk"
    queue, seen = [(model, [])], {model}
    while queue:
        current, path = queue.pop(0)
        for field in current._meta.concrete_fields:
            if not (field.many_to_one or field.one_to_one) or not field.remote_field:
                continue
            target = field.related_model
            if target is user_model:
                return "__".join([*path, field.name]) + "_id" if path else field.attname
            if target not in seen:
                seen.add(target)
                queue.append((target, [*path, field.name]))
    return None


def personal_models() -> dict[str, tuple[type[models.Model], str]]:
    found = {}
    for model in apps.get_models(include_auto_created=True):
        lookup = chain_to_user(model)
        if lookup:
            found[model._meta.label] = (model, lookup)
    return found


def rows_of(model: type[models.Model], lookup: str, user_id: int) -> list[dict]:
    """The model's rows of the user, as comparable values (no ids, links or stamps)."""
    kept = [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key
        and not f.is_relation
        and not getattr(f, "auto_now", False)
        and not getattr(f, "auto_now_add", False)
        and f.name not in REMADE.get(model._meta.label, ())
        and not (isinstance(f, models.FileField))
    ]
    return [
        {f.name: getattr(obj, f.attname) for f in kept}
        for obj in model.objects.filter(**{lookup: user_id})
    ]


def as_key(row: dict) -> str:
    return json.dumps(row, sort_keys=True, default=str)


def exported_scalars(document) -> set[str]:
    found = set()

    def walk(value):
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif value is not None:
            found.add(str(value))

    walk(document)
    return found


def telling(value) -> str | None:
    """A value an export would spell out as it is, and that says something: text, a date,
    a time, an id, a number with a fraction (not flags or small whole numbers)."""
    if isinstance(value, str) and value.strip():
        return value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, uuid.UUID | float):
        return str(value)
    return None


@pytest.fixture
def full_account(user, vapid):
    # With Web Push set up: a browser subscribed with this server's key travels.
    make_full_account(user)
    return user


def test_the_walk_finds_the_models_that_hold_a_persons_rows():
    # Guards the walk itself: it must reach models through a chain, and the automatic tables.
    found = personal_models()

    assert found["tracker.MassageSession"][1] == "owner_id"
    assert found["tracker.RoutineStep"][1] == "routine__owner_id"
    assert found["tracker.Profile"][1] == "user_id"
    assert "tracker.MassageSession_tools" in found
    assert "tracker.Experiment" in found
    assert "tracker.PendingFile" not in found


def test_every_model_that_travels_has_rows_in_the_full_account(full_account):
    # The checks below follow what tests.factories.make_full_account makes: a new kind of
    # data must be there too, or nothing here would notice it missing.
    empty = [
        label
        for label, (model, lookup) in personal_models().items()
        if label not in NOT_EXPORTED and not model.objects.filter(**{lookup: full_account.pk})
    ]

    assert not empty, f"make_full_account makes no rows of {empty}: add some"


def test_every_model_that_travels_is_in_the_export(full_account):
    with zipfile.ZipFile(io.BytesIO(make_export(full_account))) as archive:
        scalars = exported_scalars(json.loads(archive.read("data.json")))
    missing = {}
    for label, (model, lookup) in personal_models().items():
        if label in NOT_EXPORTED:
            continue
        for row in rows_of(model, lookup, full_account.pk):
            secret = {**NOT_EXPORTED_FIELDS.get(label, {}), **dict.fromkeys(REMADE.get(label, ()))}
            absent = {
                name: value
                for name, value in row.items()
                if (text := telling(value)) is not None
                and text not in scalars
                and name not in secret
            }
            if absent:
                missing[label] = absent

    assert not missing, f"Not in the export (add them to tracker/portability): {missing}"


def test_every_model_that_travels_comes_back_from_the_import(
    full_account, make_user, django_capture_on_commit_callbacks
):
    found = personal_models()
    before = {
        label: Counter(map(as_key, rows_of(model, lookup, full_account.pk)))
        for label, (model, lookup) in found.items()
    }
    archive = make_export(full_account)
    # The person left and came back: nothing of the old account (a browser subscribed to
    # it, say) stands in the new one's way.
    with django_capture_on_commit_callbacks(execute=True):
        full_account.profile.delete_account()
    newcomer = make_user("alice-again")

    import_zip(newcomer, io.BytesIO(archive))

    lost = []
    for label, (model, lookup) in found.items():
        if label in NOT_EXPORTED or label in NOT_IMPORTED:
            continue
        after = Counter(map(as_key, rows_of(model, lookup, newcomer.pk)))
        if before[label] != after:
            gone, new = sorted(before[label] - after)[:2], sorted(after - before[label])[:2]
            lost.append(f"{label}: {gone} became {new}")

    assert not lost, "Not restored by tracker/portability/restore.py:\n" + "\n".join(lost)


def test_every_model_that_holds_a_persons_rows_goes_with_the_account(
    full_account, other_user, django_capture_on_commit_callbacks
):
    make_full_account(other_user)
    models_found = personal_models()
    theirs = {
        label: len(rows_of(model, lookup, other_user.pk))
        for label, (model, lookup) in models_found.items()
    }

    with django_capture_on_commit_callbacks(execute=True):
        full_account.profile.delete_account()

    left = {
        label: count
        for label, (model, lookup) in models_found.items()
        if (count := model.objects.filter(**{lookup: full_account.pk}).count())
    }
    assert not left, f"Left behind after the account was deleted: {left}"
    assert {
        label: len(rows_of(model, lookup, other_user.pk))
        for label, (model, lookup) in models_found.items()
    } == theirs


def test_a_model_the_full_account_cannot_fill_still_goes_with_the_account():
    # The deletion test above only sees rows the full account has; the models it cannot
    # fill (not exported, so not made there) must cascade from the account all the way.
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    for label, (model, lookup) in personal_models().items():
        if label not in NOT_EXPORTED:
            continue
        current = model
        for name in lookup.removesuffix("_id").split("__"):
            field = current._meta.get_field(name)
            assert field.remote_field.on_delete is models.CASCADE, (label, name)
            current = field.related_model
        assert current is user_model, label


def test_the_allow_lists_name_only_models_that_exist():
    found = personal_models()

    assert set(NOT_EXPORTED) <= set(found)
    assert set(NOT_IMPORTED) <= set(found)
    assert set(NOT_EXPORTED_FIELDS) | set(REMADE) <= set(found)


def test_a_password_hash_never_travels(full_account):
    with zipfile.ZipFile(io.BytesIO(make_export(full_account))) as archive:
        text = archive.read("data.json").decode()

    assert full_account.password not in text
    assert "md5$" not in text
