"""Restore a Facetrack export into an account: every record checked first, then all or nothing."""

import copy
import io
import json
import logging
import uuid
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.dateparse import parse_datetime

from tracker.images import ImageRejected, process_upload
from tracker.models import (
    Area,
    MassageSession,
    PhotoQuotaFull,
    Product,
    ProgressPhoto,
    RestWeek,
    Routine,
    RoutineStep,
    Technique,
    Tool,
)
from tracker.portability.common import (
    DATA_MEMBER,
    FORMAT_NAME,
    FORMAT_VERSION,
    MAX_COMPRESSION_RATIO,
    MAX_JSON_BYTES,
    MAX_MEMBERS,
    MAX_PHOTO_BYTES,
    MAX_RECORDS,
    MAX_UNCOMPRESSED_BYTES,
    PHOTO_MEMBER,
    ImportRefused,
    ImportResult,
    file_fields,
    plain_fields,
)
from tracker.portability.reminders import CheckedReminders, check_reminders, save_reminders

logger = logging.getLogger(__name__)


@dataclass
class _Plan:
    """Every record of an export, checked and built, not yet saved."""

    profile_values: dict[str, Any]
    tools: list[tuple[str, Tool]]
    products: list[tuple[str, Product]]
    routines: list[tuple[str, Routine, list[str], list[tuple[RoutineStep, str | None]]]]
    sessions: list[tuple[str, MassageSession, str | None, list[str], list[str]]]
    rest_weeks: list[RestWeek]
    photos: list[tuple[ProgressPhoto, str | None, str]]
    reminders: CheckedReminders


def import_zip(user, fileobj: IO[bytes]) -> ImportResult:
    """Restore a Facetrack export into an account without sessions: all of it, or nothing.

    Raises ImportRefused, with a message for the user, for anything it will not import.
    """
    _refuse_if_account_has_sessions(user)
    with _open_archive(fileobj) as archive:
        plan = _plan(user, _read_document(archive), archive)
        _refuse_over_photo_quota(user, len(plan.photos))
        stored: list[str] = []
        try:
            # Files first, outside the transaction: decoding photos must not hold the write lock.
            _store_photo_files(archive, plan, stored)
            with transaction.atomic():
                _refuse_if_account_has_sessions(user)
                return _save_plan(user, plan)
        except IntegrityError as error:
            _delete_files(stored)
            logger.warning("Import for user %s refused by the database: %s", user.pk, error)
            raise ImportRefused("The export contradicts itself: nothing was imported.") from None
        except BaseException:
            _delete_files(stored)
            raise


def _refuse_over_photo_quota(user, incoming: int) -> None:
    kept = ProgressPhoto.objects.for_user(user).count()
    if kept + incoming > settings.PHOTO_QUOTA:
        raise ImportRefused(
            f"This export holds {incoming} photos; with the {kept} you have that is more than "
            f"the {settings.PHOTO_QUOTA} an account can keep. Nothing was imported."
        )


def _refuse_if_account_has_sessions(user) -> None:
    if MassageSession.objects.for_user(user).exists():
        raise ImportRefused(
            "This account already has sessions: an export can only be restored into an account "
            "without any. Create a new account for it, or delete these sessions first."
        )


def _open_archive(fileobj: IO[bytes]) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(fileobj)
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as error:
        raise ImportRefused("This is not a ZIP file made by Facetrack's export.") from error
    try:
        _check_members(members)
    except ImportRefused:
        archive.close()
        raise
    return archive


def _check_members(members: list[zipfile.ZipInfo]) -> None:
    """Refuse a bomb from the ZIP's directory alone, before anything is unpacked."""
    names = [m.filename for m in members]
    if len(members) > MAX_MEMBERS:
        raise ImportRefused(f"The ZIP file holds more than {MAX_MEMBERS:,} files.")
    if len(set(names)) != len(names):
        raise ImportRefused("The ZIP file holds two files with the same name.")
    if sum(m.file_size for m in members) > MAX_UNCOMPRESSED_BYTES:
        limit = MAX_UNCOMPRESSED_BYTES // (1024 * 1024)
        raise ImportRefused(f"The ZIP file unpacks to more than {limit:,} MB.")
    for member in members:
        if member.flag_bits & 0x1:
            raise ImportRefused("The ZIP file is encrypted: export again without a password.")
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > 1024 * 1024 and ratio > MAX_COMPRESSION_RATIO:
            raise ImportRefused(
                f"“{member.filename}” is compressed {ratio:,.0f} times: that is not an export."
            )


def _read_member(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise ImportRefused(f"The ZIP file has no “{name}”.") from None
    if info.file_size > limit:
        raise ImportRefused(f"“{name}” is larger than {limit // (1024 * 1024)} MB.")
    try:
        with archive.open(info) as member:
            data = member.read(limit + 1)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError, zlib.error):
        raise ImportRefused(f"“{name}” in the ZIP file is damaged.") from None
    if len(data) > limit:
        raise ImportRefused(f"“{name}” is larger than {limit // (1024 * 1024)} MB.")
    return data


def _read_document(archive: zipfile.ZipFile) -> dict[str, Any]:
    raw = _read_member(archive, DATA_MEMBER, MAX_JSON_BYTES)

    def refuse_constant(name: str):
        raise ValueError(f"{name} is not a number")

    try:
        document = json.loads(raw.decode("utf-8"), parse_constant=refuse_constant)
    except UnicodeDecodeError:
        raise ImportRefused(f"{DATA_MEMBER} is not UTF-8 text.") from None
    except (ValueError, RecursionError) as error:
        raise ImportRefused(f"{DATA_MEMBER} is not valid JSON: {error}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT_NAME:
        raise ImportRefused(f"{DATA_MEMBER} is not a Facetrack export.")
    version = document.get("version")
    if type(version) is not int:
        raise ImportRefused(f"{DATA_MEMBER} has no format version.")
    if version != FORMAT_VERSION:
        newer = " It was made by a newer Facetrack." if version > FORMAT_VERSION else ""
        raise ImportRefused(
            f"This export is in format version {version}; this Facetrack reads version "
            f"{FORMAT_VERSION}.{newer}"
        )
    return document


def _plan(user, document: dict[str, Any], archive: zipfile.ZipFile) -> _Plan:
    profile_record = _section(document, "profile", dict, required=False) or {}
    # A copy: a refused import must not leave the user's cached profile changed.
    profile = copy.copy(user.profile)
    profile_values = {}
    for f in plain_fields(type(profile)):
        if f.name in profile_record:
            profile_values[f.attname] = _json_value(f, profile_record[f.name], "Settings")
            setattr(profile, f.attname, profile_values[f.attname])
    _full_clean(profile, "Settings", exclude=["user"])

    tools = [
        (_key(r, where, "tool"), _build(Tool, r, where, owner=user))
        for where, r in _records(document, "tools", "Tool")
    ]
    products = [
        (_key(r, where, "product"), _build(Product, r, where, owner=user))
        for where, r in _records(document, "products", "Product")
    ]
    tool_keys = _unique_keys(tools, "tool")
    product_keys = _unique_keys(products, "product")

    routines = []
    for where, record in _records(document, "routines", "Routine"):
        routine = _build(Routine, record, where, owner=user)
        steps = []
        for number, step_record in enumerate(_list(record.get("steps", []), f"{where}, steps"), 1):
            step_where = f"{where}, step {number}"
            step_record = _dict(step_record, step_where)
            step = _build(RoutineStep, step_record, step_where, exclude=["routine"])
            steps.append((step, _ref(step_record.get("tool"), tool_keys, step_where, "tool")))
        product_refs = _refs_in(record, "products", product_keys, where)
        routines.append((_key(record, where, "routine"), routine, product_refs, steps))
    routine_keys = _unique_keys(routines, "routine")

    sessions = []
    zone = profile.zone
    for where, record in _records(document, "sessions", "Session"):
        session = _build(MassageSession, record, where, owner=user, zone=zone)
        _check_choices_list(record, "techniques", Technique, where)
        _check_choices_list(record, "areas", Area, where)
        sessions.append(
            (
                _key(record, where, "session"),
                session,
                _ref(record.get("routine"), routine_keys, where, "routine"),
                _refs_in(record, "tools", tool_keys, where),
                _refs_in(record, "products", product_keys, where),
            )
        )
    session_keys = _unique_keys(sessions, "session")

    rest_weeks, seen_weeks = [], set()
    for where, record in _records(document, "rest_weeks", "Rest week"):
        rest = _build(RestWeek, record, where, owner=user)
        if rest.week_start in seen_weeks:
            raise ImportRefused(f"{where}: the week of {rest.week_start} is listed twice.")
        seen_weeks.add(rest.week_start)
        rest_weeks.append(rest)

    photos = []
    members = set(archive.namelist())
    for where, record in _records(document, "photos", "Photo"):
        photo = _build(ProgressPhoto, record, where, owner=user)
        member = record.get("file")
        if member is None:
            raise ImportRefused(f"{where}: the export names no photo file.")
        if not isinstance(member, str) or not PHOTO_MEMBER.fullmatch(member):
            raise ImportRefused(f"{where}: “{member}” is not a photo file name of an export.")
        if member not in members:
            raise ImportRefused(f"{where}: the ZIP file has no “{member}”.")
        session_key = _ref(record.get("session"), session_keys, where, "session")
        photos.append((photo, session_key, member))

    reminders = check_reminders(document)
    return _Plan(profile_values, tools, products, routines, sessions, rest_weeks, photos, reminders)


def _store_photo_files(archive: zipfile.ZipFile, plan: _Plan, stored: list[str]) -> None:
    for number, (photo, _session_key, member) in enumerate(plan.photos, 1):
        data = _read_member(archive, member, MAX_PHOTO_BYTES)
        # An archive is as untrusted as an upload: the same processing, the same guarantees.
        try:
            processed = process_upload(io.BytesIO(data))
        except ImageRejected as rejected:
            raise ImportRefused(f"Photo {number} ({member}): {rejected.message}") from None
        try:
            photo.attach(processed)
        finally:
            stored += [name for name in (photo.image.name, photo.thumbnail.name) if name]


def _save_plan(user, plan: _Plan) -> ImportResult:
    """Write a checked plan through the models' own methods, the ones the app uses."""
    user.profile.change_settings(**plan.profile_values)
    tools = {key: Tool.objects.add_for(user, **_values(tool)) for key, tool in plan.tools}
    products = {
        key: Product.objects.add_for(user, **_values(product)) for key, product in plan.products
    }
    routines = {
        key: Routine.objects.add_for(
            user,
            **_values(routine),
            products=[products[k] for k in product_keys],
            steps=[{**_values(step), "tool": tools.get(tool_key)} for step, tool_key in steps],
        )
        for key, routine, product_keys, steps in plan.routines
    }
    logged = MassageSession.objects.log_many(
        user,
        [
            {
                **_values(session),
                "local_date": session.local_date,
                "routine": routines.get(routine_key),
                "tools": [tools[k] for k in tool_keys],
                "products": [products[k] for k in product_keys],
            }
            for _key, session, routine_key, tool_keys, product_keys in plan.sessions
        ],
    )
    sessions = {entry[0]: session for entry, session in zip(plan.sessions, logged, strict=True)}

    existing_weeks = set(RestWeek.objects.for_user(user).values_list("week_start", flat=True))
    new_weeks = [rest for rest in plan.rest_weeks if rest.week_start not in existing_weeks]
    for rest in new_weeks:
        RestWeek.objects.mark(user, rest.week_start, rest.reason)

    for photo, session_key, _member in plan.photos:
        photo.session = sessions.get(session_key)
    try:
        ProgressPhoto.objects.add_for(user, [photo for photo, _key, _member in plan.photos])
    except PhotoQuotaFull as full:
        raise ImportRefused(f"{full} Nothing was imported.") from None
    save_reminders(user, plan.reminders)

    result = ImportResult(
        tools=len(tools),
        products=len(products),
        routines=len(routines),
        sessions=len(sessions),
        photos=len(plan.photos),
        rest_weeks=len(new_weeks),
    )
    if len(new_weeks) < len(plan.rest_weeks):
        result.notes.append("Rest weeks you had already marked were kept as they were.")
    return result


def _values(obj: models.Model) -> dict[str, Any]:
    """A built (not saved) record's own values, as a model method takes them."""
    return {f.name: getattr(obj, f.attname) for f in plain_fields(type(obj))}


def _section(document: dict, name: str, kind: type, required: bool = True):
    value = document.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, kind):
        expected = "a list" if kind is list else "an object"
        raise ImportRefused(f"“{name}” in {DATA_MEMBER} must be {expected}.")
    return value


def _records(document: dict, name: str, noun: str) -> list[tuple[str, dict]]:
    """A section's records, each with a name for error messages ("Session 3")."""
    items = _section(document, name, list, required=False) or []
    if len(items) > MAX_RECORDS:
        raise ImportRefused(f"“{name}” holds more than {MAX_RECORDS:,} records.")
    return [(f"{noun} {n}", _dict(item, f"{noun} {n}")) for n, item in enumerate(items, 1)]


def _list(value: Any, where: str) -> list:
    if not isinstance(value, list):
        raise ImportRefused(f"{where}: must be a list.")
    return value


def _dict(value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        raise ImportRefused(f"{where}: must be an object with named fields.")
    return value


def _key(record: dict, where: str, noun: str) -> str:
    key = record.get("key")
    if not isinstance(key, str) or not key or len(key) > 100:
        raise ImportRefused(f"{where}: has no “key” to refer to this {noun} by.")
    return key


def _unique_keys(items: list[tuple], noun: str) -> set[str]:
    keys = [item[0] for item in items]
    if len(set(keys)) != len(keys):
        raise ImportRefused(f"Two {noun}s in the export share the same key.")
    return set(keys)


def _ref(value: Any, keys: set[str], where: str, noun: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or value not in keys:
        raise ImportRefused(f"{where}: refers to a {noun} that is not in the export ({value!r}).")
    return value


def _refs_in(record: dict, name: str, keys: set[str], where: str) -> list[str]:
    values = _list(record.get(name, []), f"{where}, {name}")
    return [_ref(value, keys, f"{where}, {name}", name.rstrip("s")) for value in values]


def _check_choices_list(record: dict, name: str, choices, where: str) -> None:
    values = _list(record.get(name, []), f"{where}, {name}")
    unknown = [v for v in values if not isinstance(v, str) or v not in choices.values]
    if unknown:
        raise ImportRefused(f"{where}, {name}: unknown {name} {unknown!r}.")


def _build(model: type[models.Model], record: dict, where: str, *, exclude=(), zone=None, **extra):
    values = {
        f.attname: _json_value(f, record[f.name], where)
        for f in plain_fields(model)
        if f.name in record
    }
    obj = model(**values, **extra)
    if zone is not None and obj.local_date is None:
        obj.set_local_date(zone)
    relations = [f.name for f in model._meta.get_fields() if f.is_relation]
    files = [f.name for f in file_fields(model)]
    _full_clean(obj, where, exclude=[*relations, *files, *exclude])
    return obj


def _full_clean(obj: models.Model, where: str, exclude: list[str]) -> None:
    try:
        # Constraints are checked by the validators and by _plan, without a query per record.
        obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        field_name, messages = next(iter(error.message_dict.items()))
        label = "" if field_name == "__all__" else f", {field_name}"
        raise ImportRefused(f"{where}{label}: {' '.join(messages)}") from None


def _json_value(f: models.Field, value: Any, where: str) -> Any:
    """The value of one field as JSON gave it, refused if it is not of the field's JSON type."""
    place = f"{where}, {f.name}"
    if value is None:
        if f.null:
            return None
        raise ImportRefused(f"{place}: must have a value.")
    if isinstance(f, models.BooleanField):
        expected, ok = "true or false", isinstance(value, bool)
    elif isinstance(f, models.IntegerField):
        expected, ok = "a whole number", type(value) is int
    elif isinstance(f, models.DateTimeField):
        moment = _parse_moment(value)
        if moment is None:
            raise ImportRefused(f"{place}: must be a date and time with its UTC offset.")
        return moment
    elif isinstance(f, models.DateField):
        day = _parse_day(value)
        if day is None:
            raise ImportRefused(f"{place}: must be a date such as 2026-01-31.")
        return day
    elif isinstance(f, models.UUIDField):
        try:
            return uuid.UUID(value)
        except (ValueError, TypeError, AttributeError):
            raise ImportRefused(f"{place}: must be an id such as {uuid.UUID(int=0)}.") from None
    elif isinstance(f, (models.CharField, models.TextField)):
        expected, ok = "text", isinstance(value, str)
    else:
        return value
    if not ok:
        raise ImportRefused(f"{place}: must be {expected}, not {json.dumps(value)[:40]}.")
    return value


def _parse_day(value: Any) -> date | None:
    if not isinstance(value, str) or len(value) != 10:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _parse_moment(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = parse_datetime(value)
    except ValueError:
        return None
    if moment is None or moment.tzinfo is None:
        return None
    return moment


def _delete_files(names: Iterable[str]) -> None:
    storage = ProgressPhoto._meta.get_field("image").storage
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("Could not delete the stored file %s", name)
