"""Your data, portable: export it all as a ZIP, bring an export back, import a Loop history,
or delete the account with everything in it.

Plain functions over the models and the storage API: the views only move files through HTTP.
The export's `data.json` carries a format version; an import checks every record before it
writes anything, and writes all of it or nothing.
"""

import copy
import csv
import io
import json
import logging
import re
import shutil
import zipfile
import zlib
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from tracker.images import ImageRejected, process_upload
from tracker.models import (
    MAX_SESSION_MINUTES,
    Area,
    MassageSession,
    Pressure,
    Product,
    ProgressPhoto,
    Reaction,
    RestWeek,
    Routine,
    RoutineStep,
    Technique,
    Tool,
)

logger = logging.getLogger(__name__)

FORMAT_NAME = "facetrack-export"
FORMAT_VERSION = 1

# Limits for an uploaded export. Photos are stored uncompressed inside the ZIP, so the
# archive's size is close to the sum of its members; anything far beyond is a bomb.
MAX_ARCHIVE_BYTES = 500 * 1024 * 1024
MAX_MEMBERS = 10_000
MAX_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024
MAX_JSON_BYTES = 50 * 1024 * 1024
MAX_PHOTO_BYTES = 30 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
MAX_RECORDS = 100_000
# A single Loop habit over a lifetime is a few hundred kilobytes.
MAX_LOOP_CSV_BYTES = 5 * 1024 * 1024
MAX_LOOP_ROWS = 50_000

DATA_MEMBER = "data.json"
PHOTO_MEMBER = re.compile(r"photos/[A-Za-z0-9][A-Za-z0-9_-]{0,99}\.jpg")
LOOP_CHECK_TIME = time(12, 0)


class ImportRefused(Exception):
    """A file that will not be imported; the message says why, in words for the user."""


@dataclass
class ImportResult:
    sessions: int = 0
    tools: int = 0
    products: int = 0
    routines: int = 0
    rest_weeks: int = 0
    photos: int = 0
    skipped: int = 0
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        counts = [
            (self.sessions, "session", "sessions"),
            (self.routines, "routine", "routines"),
            (self.tools, "tool", "tools"),
            (self.products, "product", "products"),
            (self.rest_weeks, "rest week", "rest weeks"),
            (self.photos, "photo", "photos"),
        ]
        parts = [f"{n} {one if n == 1 else many}" for n, one, many in counts if n]
        text = f"Imported {', '.join(parts)}." if parts else "Nothing new to import."
        return " ".join([text, *self.notes])


# Export ------------------------------------------------------------------------------------


def export_zip(user, out: IO[bytes]) -> None:
    """Write all of the user's data to `out` as a ZIP: data.json, sessions.csv and photos/.

    Photos are copied from storage into the archive in chunks, never held whole in memory.
    """
    document, photo_files = export_document(user)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        written = _write_photo_files(archive, photo_files)
        missing = [p for p in document["photos"] if p["file"] not in written]
        for photo in missing:
            document["photos"].remove(photo)
        if missing:
            logger.warning("Export for user %s: %d photo files missing", user.pk, len(missing))
        archive.writestr(DATA_MEMBER, json.dumps(document, indent=1, ensure_ascii=False))
        archive.writestr("sessions.csv", sessions_csv(document))


def export_document(user) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The user's data as one JSON-ready dict, and (name in the ZIP, storage name) per file."""
    tools = list(Tool.objects.for_user(user).order_by("pk"))
    products = list(Product.objects.for_user(user).order_by("pk"))
    routines = list(Routine.objects.for_user(user).order_by("pk").prefetch_related("steps"))
    sessions = list(MassageSession.objects.for_user(user).order_by("performed_at", "pk"))
    photos = list(ProgressPhoto.objects.for_user(user).order_by("taken_at", "pk"))
    tool_keys = _keys("tool", tools)
    product_keys = _keys("product", products)
    routine_keys = _keys("routine", routines)
    session_keys = _keys("session", sessions)
    routine_products = _m2m(Routine, "products", user)
    session_tools = _m2m(MassageSession, "tools", user)
    session_products = _m2m(MassageSession, "products", user)

    # The photos themselves; thumbnails are made again from them on import.
    photo_records, photo_files = [], []
    for number, photo in enumerate(photos, 1):
        member = f"photos/photo-{number}.jpg"
        photo_files.append((member, photo.image.name))
        photo_records.append(
            {**_plain_values(photo), "session": session_keys.get(photo.session_id), "file": member}
        )

    document = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "account": {
            "username": user.get_username(),
            "email": user.email,
            "date_joined": user.date_joined.isoformat(),
        },
        "profile": _plain_values(user.profile),
        "tools": [{"key": tool_keys[t.pk], **_plain_values(t)} for t in tools],
        "products": [{"key": product_keys[p.pk], **_plain_values(p)} for p in products],
        "routines": [
            {
                "key": routine_keys[r.pk],
                **_plain_values(r),
                "products": _refs(product_keys, routine_products[r.pk]),
                "steps": [
                    {**_plain_values(step), "tool": tool_keys.get(step.tool_id)}
                    for step in r.steps.all()
                ],
            }
            for r in routines
        ],
        "sessions": [
            {
                "key": session_keys[s.pk],
                **_plain_values(s),
                "routine": routine_keys.get(s.routine_id),
                "tools": _refs(tool_keys, session_tools[s.pk]),
                "products": _refs(product_keys, session_products[s.pk]),
            }
            for s in sessions
        ],
        "rest_weeks": [_plain_values(rest) for rest in RestWeek.objects.for_user(user)],
        "photos": photo_records,
    }
    return document, photo_files


def sessions_csv(document: dict[str, Any]) -> str:
    """The sessions of an export document as a spreadsheet-friendly CSV, one row a session."""
    names = {
        item["key"]: item["name"]
        for section in ("tools", "products", "routines")
        for item in document[section]
    }
    zone = _zone_or_utc(document["profile"].get("timezone", "UTC"))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "date",
            "time",
            "minutes",
            "routine",
            "techniques",
            "areas",
            "tools",
            "products",
            "pressure",
            "cleansed skin",
            "clean hands and tools",
            "used an oil or serum",
            "skin reaction",
            "rating",
            "notes",
        ]
    )
    for s in document["sessions"]:
        performed_at = datetime.fromisoformat(s["performed_at"]).astimezone(zone)
        writer.writerow(
            [
                s["local_date"],
                f"{performed_at:%H:%M}",
                s["minutes"],
                _cell(names.get(s["routine"], "")),
                "; ".join(_label(Technique, t) for t in s["techniques"]),
                "; ".join(_label(Area, a) for a in s["areas"]),
                "; ".join(_cell(names[k]) for k in s["tools"]),
                "; ".join(_cell(names[k]) for k in s["products"]),
                _label(Pressure, s["pressure"]),
                _yes_no(s["cleansed_skin"]),
                _yes_no(s["clean_hands_and_tools"]),
                _yes_no(s["used_slip"]),
                _label(Reaction, s["reaction"]),
                s["rating"] or "",
                _cell(s["notes"]),
            ]
        )
    return out.getvalue()


def _write_photo_files(archive: zipfile.ZipFile, photo_files: list[tuple[str, str]]) -> set[str]:
    storage = ProgressPhoto._meta.get_field("image").storage
    written = set()
    stamp = timezone.now().timetuple()[:6]
    for member, stored_name in photo_files:
        info = zipfile.ZipInfo(member, date_time=stamp)
        # JPEGs do not shrink: storing them saves the CPU and keeps the ratio check honest.
        info.compress_type = zipfile.ZIP_STORED
        try:
            with storage.open(stored_name, "rb") as source, archive.open(info, "w") as target:
                shutil.copyfileobj(source, target, 1024 * 1024)
        except OSError:
            continue
        written.add(member)
    return written


def _keys(prefix: str, objects: list[models.Model]) -> dict[int, str]:
    # Numbered within the file: stable for the import, and they reveal nothing about row ids.
    return {obj.pk: f"{prefix}-{number}" for number, obj in enumerate(objects, 1)}


def _refs(keys: dict[int, str], pks: Iterable[int]) -> list[str]:
    return [keys[pk] for pk in pks if pk in keys]


def _m2m(model: type[models.Model], name: str, owner) -> dict[int, list[int]]:
    """Related ids per object of one many-to-many field, for all of the owner's objects at once."""
    m2m = model._meta.get_field(name)
    source, target = m2m.m2m_field_name(), m2m.m2m_reverse_field_name()
    rows = (
        m2m.remote_field.through.objects.filter(**{f"{source}__owner": owner})
        .order_by("pk")
        .values_list(f"{source}_id", f"{target}_id")
    )
    related = defaultdict(list)
    for source_id, target_id in rows:
        related[source_id].append(target_id)
    return related


def _plain_fields(model: type[models.Model]) -> list[models.Field]:
    """The fields that hold the user's own values: not ids, owners, relations, files or stamps."""
    return [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key
        and not f.is_relation
        and not isinstance(f, models.FileField)
        and not getattr(f, "auto_now", False)
        and not getattr(f, "auto_now_add", False)
    ]


def _file_fields(model: type[models.Model]) -> list[models.FileField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def _plain_values(obj: models.Model) -> dict[str, Any]:
    values = {}
    for f in _plain_fields(type(obj)):
        value = f.value_from_object(obj)
        values[f.name] = value.isoformat() if isinstance(value, date) else value
    return values


def _label(choices: type[models.TextChoices], value: str) -> str:
    return choices(value).label if value in choices.values else value


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _cell(text: str) -> str:
    # A spreadsheet runs a cell that starts like a formula: keep notes and names as text.
    return f"'{text}" if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text


def _zone_or_utc(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


# Import of an export ---------------------------------------------------------------------


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
    for f in _plain_fields(type(profile)):
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

    return _Plan(profile_values, tools, products, routines, sessions, rest_weeks, photos)


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
    result = ImportResult()
    profile = user.profile
    for attname, value in plan.profile_values.items():
        setattr(profile, attname, value)
    profile.save()

    tools = {key: tool for key, tool in plan.tools}
    for tool in tools.values():
        tool.save()
    products = {key: product for key, product in plan.products}
    for product in products.values():
        product.save()
    routines = {}
    for key, routine, product_keys, steps in plan.routines:
        routine.save()
        routine.products.set([products[k] for k in product_keys])
        for step, tool_key in steps:
            step.routine = routine
            step.tool = tools.get(tool_key)
        RoutineStep.objects.bulk_create(step for step, _tool_key in steps)
        routines[key] = routine

    sessions = {}
    for key, session, routine_key, _tools, _products in plan.sessions:
        session.routine = routines.get(routine_key)
        sessions[key] = session
    MassageSession.objects.bulk_create(sessions.values())
    _bulk_link(
        MassageSession,
        "tools",
        [(s, [tools[k] for k in keys]) for _, s, _, keys, _ in plan.sessions],
    )
    _bulk_link(
        MassageSession,
        "products",
        [(s, [products[k] for k in keys]) for _, s, _, _, keys in plan.sessions],
    )

    existing_weeks = set(RestWeek.objects.for_user(user).values_list("week_start", flat=True))
    new_weeks = [rest for rest in plan.rest_weeks if rest.week_start not in existing_weeks]
    RestWeek.objects.bulk_create(new_weeks)

    for photo, session_key, _member in plan.photos:
        photo.session = sessions.get(session_key)
        photo.save()

    result.tools, result.products, result.routines = len(tools), len(products), len(routines)
    result.sessions, result.photos = len(sessions), len(plan.photos)
    result.rest_weeks = len(new_weeks)
    if len(new_weeks) < len(plan.rest_weeks):
        result.notes.append("Rest weeks you had already marked were kept as they were.")
    return result


def _bulk_link(
    model: type[models.Model], name: str, links: list[tuple[models.Model, list[models.Model]]]
) -> None:
    m2m = model._meta.get_field(name)
    through = m2m.remote_field.through
    source, target = m2m.m2m_field_name(), m2m.m2m_reverse_field_name()
    through.objects.bulk_create(
        through(**{f"{source}_id": obj.pk, f"{target}_id": related.pk})
        for obj, related_objects in links
        for related in dict.fromkeys(related_objects)
    )


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
        for f in _plain_fields(model)
        if f.name in record
    }
    obj = model(**values, **extra)
    if zone is not None and obj.local_date is None:
        obj.set_local_date(zone)
    relations = [f.name for f in model._meta.get_fields() if f.is_relation]
    file_fields = [f.name for f in _file_fields(model)]
    _full_clean(obj, where, exclude=[*relations, *file_fields, *exclude])
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


# Import of a Loop Habit Tracker habit ------------------------------------------------------

# Loop's Entry values: numbers in older exports, names since notes arrived (Loop 2.1).
LOOP_YES_MANUAL = "YES_MANUAL"
LOOP_VALUES = {
    "2": LOOP_YES_MANUAL,
    "YES_MANUAL": LOOP_YES_MANUAL,
    # Implied by the habit's frequency: a day Loop filled in, not a day the user did it.
    "1": "YES_AUTO",
    "YES_AUTO": "YES_AUTO",
    "0": "NO",
    "NO": "NO",
    "-1": "UNKNOWN",
    "UNKNOWN": "UNKNOWN",
    "": "UNKNOWN",
    "3": "SKIP",
    "-3": "SKIP",
    "SKIP": "SKIP",
}


def import_loop_csv(user, fileobj: IO[bytes]) -> ImportResult:
    """Sessions from one Loop habit's checkmarks: one per day the user checked it themselves.

    Each becomes a session at noon in the user's zone, as long as their usual minutes; days
    that already have a session are skipped.
    """
    checks = parse_loop_checkmarks(fileobj.read(MAX_LOOP_CSV_BYTES + 1))
    profile = user.profile
    zone, today = profile.zone, profile.today()
    result = ImportResult()
    with transaction.atomic():
        taken = set(MassageSession.objects.for_user(user).values_list("local_date", flat=True))
        sessions = []
        future = [day for day in checks if day > today]
        for day, notes in checks.items():
            if day in taken:
                result.skipped += 1
                continue
            if day > today:
                continue
            sessions.append(
                MassageSession(
                    owner=user,
                    performed_at=datetime.combine(day, LOOP_CHECK_TIME, tzinfo=zone),
                    local_date=day,
                    minutes=min(profile.target_minutes, MAX_SESSION_MINUTES),
                    notes=notes[:2000],
                )
            )
        MassageSession.objects.bulk_create(sessions)
    result.sessions = len(sessions)
    if result.skipped:
        days = "day" if result.skipped == 1 else "days"
        result.notes.append(f"Skipped {result.skipped} {days} that already had a session.")
    if future:
        result.notes.append(f"Left out {len(future)} checks dated after today.")
    return result


def parse_loop_checkmarks(raw: bytes) -> dict[date, str]:
    """The days checked by hand (YES_MANUAL) in a Loop checkmarks CSV, with their notes.

    Reads a habit's own Checkmarks.csv (with or without the "Date,Value,Notes" header) and
    the export's top-level Checkmarks.csv when it holds a single habit.
    """
    if len(raw) > MAX_LOOP_CSV_BYTES:
        raise ImportRefused("The file is larger than 5 MB: that is not one habit's checkmarks.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused("The file is not UTF-8 text: is it Loop's Checkmarks.csv?") from None
    rows = [row for row in csv.reader(io.StringIO(text)) if any(cell.strip() for cell in row)]
    if not rows:
        raise ImportRefused("The file is empty.")
    if len(rows) > MAX_LOOP_ROWS:
        raise ImportRefused(f"The file has more than {MAX_LOOP_ROWS:,} rows.")
    value_column, notes_column = 1, None
    first_line = 1
    header = [cell.strip() for cell in rows[0]]
    if header[0].lower() == "date":
        first_line, rows = 2, rows[1:]
        if [h.lower() for h in header[1:3]] == ["value", "notes"]:
            notes_column = 2
        else:
            habits = [h for h in header[1:] if h]
            if len(habits) != 1:
                raise ImportRefused(
                    f"The file holds {len(habits)} habits; import one habit's own "
                    "Checkmarks.csv (in its numbered folder of Loop's export)."
                )
    checks: dict[date, str] = {}
    for line, row in enumerate(rows, first_line):
        cells = [cell.strip() for cell in row]
        try:
            day = date.fromisoformat(cells[0]) if len(cells[0]) == 10 else None
        except ValueError:
            day = None
        if day is None:
            raise ImportRefused(f"Line {line}: “{cells[0][:20]}” is not a date like 2024-01-31.")
        raw_value = cells[value_column] if len(cells) > value_column else ""
        value = LOOP_VALUES.get(raw_value.upper())
        if value is None:
            raise ImportRefused(
                f"Line {line}: “{raw_value[:20]}” is not a yes/no check; "
                "Loop's measurable (numeric) habits cannot be imported."
            )
        if value == LOOP_YES_MANUAL:
            notes = cells[notes_column] if notes_column and len(cells) > notes_column else ""
            checks[day] = notes
    return checks


# Deleting an account -----------------------------------------------------------------------


def delete_account(user) -> None:
    """Delete the user with every row of theirs.

    Each photo's files go once the deletion has committed (ProgressPhoto's post_delete
    receiver), so a rolled-back deletion keeps them.
    """
    with transaction.atomic():
        user.delete()
