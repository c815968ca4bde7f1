"""Everything of one account as a ZIP: data.json, sessions.csv and the photos."""

import csv
import io
import json
import logging
import shutil
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import IO, Any

from django.db import models
from django.utils import timezone

from tracker.models import (
    Area,
    Experiment,
    HealthCheck,
    MassageSession,
    Pressure,
    Product,
    ProgressPhoto,
    Reaction,
    RestWeek,
    Routine,
    Technique,
    Tool,
)
from tracker.portability.common import (
    DATA_MEMBER,
    FORMAT_NAME,
    FORMAT_VERSION,
    plain_values,
    zone_or_utc,
)
from tracker.portability.reminders import export_reminders

logger = logging.getLogger(__name__)


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
            {**plain_values(photo), "session": session_keys.get(photo.session_id), "file": member}
        )

    document = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "account": {
            "username": user.get_username(),
            "email": user.email,
            "date_joined": user.date_joined.isoformat(),
            **_sign_in_methods(user),
        },
        "profile": plain_values(user.profile),
        "tools": [{"key": tool_keys[t.pk], **plain_values(t)} for t in tools],
        "products": [{"key": product_keys[p.pk], **plain_values(p)} for p in products],
        "routines": [
            {
                "key": routine_keys[r.pk],
                **plain_values(r),
                "products": _refs(product_keys, routine_products[r.pk]),
                "steps": [
                    {**plain_values(step), "tool": tool_keys.get(step.tool_id)}
                    for step in r.steps.all()
                ],
            }
            for r in routines
        ],
        "sessions": [
            {
                "key": session_keys[s.pk],
                **plain_values(s),
                "routine": routine_keys.get(s.routine_id),
                "tools": _refs(tool_keys, session_tools[s.pk]),
                "products": _refs(product_keys, session_products[s.pk]),
            }
            for s in sessions
        ],
        "rest_weeks": [plain_values(rest) for rest in RestWeek.objects.for_user(user)],
        "photos": photo_records,
        "health_check": _health_check(user),
        "experiments": [
            {
                **plain_values(e),
                "product": product_keys.get(e.product_id),
                "routine": routine_keys.get(e.routine_id),
            }
            for e in Experiment.objects.for_user(user).order_by("started_on", "pk")
        ],
        "reminders": export_reminders(user),
    }
    return document, photo_files


def _health_check(user) -> dict[str, Any] | None:
    """The "before you start" answers, if the person agreed to keep them."""
    check = HealthCheck.objects.for_user(user).first()
    if check is None:
        return None
    return {"conditions": check.conditions, "agreed_at": check.agreed_at.isoformat()}


def sessions_csv(document: dict[str, Any]) -> str:
    """The sessions of an export document as a spreadsheet-friendly CSV, one row a session."""
    names = {
        item["key"]: item["name"]
        for section in ("tools", "products", "routines")
        for item in document[section]
    }
    zone = zone_or_utc(document["profile"].get("timezone", "UTC"))
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
                _cell("; ".join(_label(Technique, t) for t in s["techniques"])),
                _cell("; ".join(_label(Area, a) for a in s["areas"])),
                "; ".join(_cell(names[k]) for k in s["tools"]),
                "; ".join(_cell(names[k]) for k in s["products"]),
                _cell(_label(Pressure, s["pressure"])),
                _yes_no(s["cleansed_skin"]),
                _yes_no(s["clean_hands_and_tools"]),
                _yes_no(s["used_slip"]),
                _cell(_label(Reaction, s["reaction"])),
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


def _sign_in_methods(user) -> dict[str, Any]:
    """Whether the address is verified, and the passkeys by name (never their keys)."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    passkeys = Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.WEBAUTHN)
    return {
        "email_verified": EmailAddress.objects.filter(
            user_id=user.pk, email__iexact=user.email, verified=True
        ).exists(),
        "passkeys": [
            {
                "name": passkey.wrap().name,
                "added_at": passkey.created_at.isoformat(),
                "last_used_at": passkey.last_used_at and passkey.last_used_at.isoformat(),
            }
            for passkey in passkeys.order_by("created_at")
        ],
    }


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


def _label(choices: type[models.TextChoices], value: str) -> str:
    return choices(value).label if value in choices.values else value


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


FORMULA_STARTS = ("=", "+", "-", "@")


def _cell(text: str) -> str:
    """Text a spreadsheet shows as text: one that starts like a formula, even after spaces or
    a line break (which spreadsheets skip), gets a leading apostrophe."""
    if text[:1] in ("\t", "\r", "\n") or text.lstrip().startswith(FORMULA_STARTS):
        return f"'{text}"
    return text
