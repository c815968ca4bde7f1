"""What the export, the restore and the Loop import share: limits, results, refusals."""

import re
import uuid
import zoneinfo
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

from django.db import models

FORMAT_NAME = "facetrack-export"
# Version 2 added what came after version 1 (eye marks on photos, experiments) and made
# required reading of what version 1 exports had gained as optional sections (the health
# check, reactions noted later, paused products). Both versions import.
FORMAT_VERSION = 2
READABLE_VERSIONS = (1, 2)

# Limits for an uploaded export's ZIP file. Photos are stored uncompressed inside it, so the
# archive's size is close to the sum of its members; anything far beyond is a bomb. The limits
# on its content (data.json's size, sessions, routines, ...) are settings: IMPORT_MAX_*.
MAX_ARCHIVE_BYTES = 500 * 1024 * 1024
MAX_MEMBERS = 10_000
MAX_UNCOMPRESSED_BYTES = 1024 * 1024 * 1024
MAX_PHOTO_BYTES = 30 * 1024 * 1024
MAX_COMPRESSION_RATIO = 100
# A single Loop habit over a lifetime is a few hundred kilobytes.
MAX_LOOP_CSV_BYTES = 5 * 1024 * 1024
MAX_LOOP_ROWS = 50_000
# The check before you start asks six questions; a newer app may ask a few more.
MAX_HEALTH_ANSWERS = 100

DATA_MEMBER = "data.json"
PHOTO_MEMBER = re.compile(r"photos/[A-Za-z0-9][A-Za-z0-9_-]{0,99}\.jpg")
LOOP_CHECK_TIME = time(12, 0)


class ImportRefused(Exception):
    """A file that will not be imported; the message says why, in words for the user."""

    # A message quotes what it refuses: never a whole field of a hostile file.
    MAX_LENGTH = 400

    def __init__(self, message: str) -> None:
        if len(message) > self.MAX_LENGTH:
            message = message[: self.MAX_LENGTH - 1] + "…"
        super().__init__(message)


@dataclass
class ImportResult:
    sessions: int = 0
    tools: int = 0
    products: int = 0
    routines: int = 0
    rest_weeks: int = 0
    photos: int = 0
    experiments: int = 0
    skipped: int = 0
    notes: list[str] = field(default_factory=list)
    # How long the import held the database for writing (SQLite: everyone's writes wait).
    write_seconds: float = 0.0
    # The sessions a Loop import made, so that it can be undone.
    session_ids: list[int] = field(default_factory=list)

    def summary(self) -> str:
        counts = [
            (self.sessions, "session", "sessions"),
            (self.routines, "routine", "routines"),
            (self.tools, "tool", "tools"),
            (self.products, "product", "products"),
            (self.rest_weeks, "rest week", "rest weeks"),
            (self.photos, "photo", "photos"),
            (self.experiments, "experiment", "experiments"),
        ]
        parts = [f"{n} {one if n == 1 else many}" for n, one, many in counts if n]
        text = f"Imported {', '.join(parts)}." if parts else "Nothing new to import."
        return " ".join([text, *self.notes])


def plain_fields(model: type[models.Model]) -> list[models.Field]:
    """The fields that hold the user's own values: not ids, owners, relations, files or stamps."""
    return [
        f
        for f in model._meta.concrete_fields
        if not f.primary_key
        and not f.is_relation
        and not isinstance(f, models.FileField)
        and not getattr(f, "auto_now", False)
        and not getattr(f, "auto_now_add", False)
        and f.name not in getattr(model, "BOOKKEEPING_FIELDS", ())
    ]


def file_fields(model: type[models.Model]) -> list[models.FileField]:
    return [f for f in model._meta.concrete_fields if isinstance(f, models.FileField)]


def plain_values(obj: models.Model) -> dict[str, Any]:
    values = {}
    for f in plain_fields(type(obj)):
        value = f.value_from_object(obj)
        if isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, uuid.UUID):
            value = str(value)
        values[f.name] = value
    return values


def quoted(value: Any, length: int = 40) -> str:
    """A value from a file, as a message quotes it: short, and on one line."""
    text = repr(value)
    return text if len(text) <= length else f"{text[: length - 1]}…"


def zone_or_utc(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")
