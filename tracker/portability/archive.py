"""An uploaded export's ZIP file, opened and read under limits, before anything is parsed.

Everything here looks at sizes and counts the ZIP's directory and the raw bytes give away, so
that a bomb (a 49 MB data.json of empty objects took a worker to 1.3 GB) is refused before it
costs more than reading it.
"""

import json
import zipfile
import zlib
from datetime import timedelta
from typing import IO, Any

from django.conf import settings

from tracker.models import FIRST_DAY, accepted_days
from tracker.portability import reminders
from tracker.portability.common import (
    DATA_MEMBER,
    FORMAT_NAME,
    FORMAT_VERSION,
    MAX_COMPRESSION_RATIO,
    MAX_MEMBERS,
    MAX_UNCOMPRESSED_BYTES,
    READABLE_VERSIONS,
    ImportRefused,
)


def open_archive(fileobj: IO[bytes]) -> zipfile.ZipFile:
    try:
        archive = zipfile.ZipFile(fileobj)
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as error:
        raise ImportRefused("This is not a ZIP file made by Facetrack's export.") from error
    try:
        check_members(members)
    except ImportRefused:
        archive.close()
        raise
    return archive


def check_members(members: list[zipfile.ZipInfo]) -> None:
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


def read_member(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """A member's bytes, refused from its stated size before reading, and again while read."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise ImportRefused(f"The ZIP file has no “{name}”.") from None
    if info.file_size > limit:
        raise ImportRefused(f"“{name}” is larger than {megabytes(limit)}.")
    try:
        with archive.open(info) as member:
            data = member.read(limit + 1)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError, zlib.error):
        raise ImportRefused(f"“{name}” in the ZIP file is damaged.") from None
    if len(data) > limit:
        raise ImportRefused(f"“{name}” is larger than {megabytes(limit)}.")
    return data


def read_document(archive: zipfile.ZipFile) -> dict[str, Any]:
    """data.json, within IMPORT_MAX_DATA_BYTES and a count of objects and lists an export of
    the largest allowed size holds, both checked before json.loads builds anything."""
    raw = read_member(archive, DATA_MEMBER, settings.IMPORT_MAX_DATA_BYTES)
    # Each { or [ becomes an object or a list (about 60 bytes each, from one byte of file);
    # those inside text count too, so the bound leaves them room.
    containers = raw.count(b"{") + raw.count(b"[")
    if containers > max_containers():
        raise ImportRefused(
            f"{DATA_MEMBER} holds {containers:,} objects and lists: more than an export of the "
            "largest size an import takes. Nothing was imported."
        )

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
    if version not in READABLE_VERSIONS:
        newer = " It was made by a newer Facetrack." if version > FORMAT_VERSION else ""
        raise ImportRefused(
            f"This export is in format version {version}; this Facetrack reads version "
            f"{FORMAT_VERSION}.{newer}"
        )
    return document


def weeks_in_range() -> int:
    """Weeks from 2000-01-01 to today: more rest weeks than this cannot all be different."""
    return (accepted_days().last - FIRST_DAY) // timedelta(weeks=1) + 2


def max_containers() -> int:
    # A session is an object with four lists; a routine an object with two lists and its steps.
    largest_export = (
        5 * settings.IMPORT_MAX_SESSIONS
        + (2 + settings.ROUTINE_MAX_STEPS) * settings.IMPORT_MAX_ROUTINES
        + settings.IMPORT_MAX_TOOLS
        + settings.IMPORT_MAX_PRODUCTS
        + settings.PHOTO_QUOTA
        + 2 * weeks_in_range()  # rest weeks, and experiments of a week at least
        + reminders.max_containers()
        + 16
    )
    return 2 * largest_export + 100_000


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"
