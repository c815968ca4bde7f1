"""Sessions from a Loop Habit Tracker habit's checkmarks CSV."""

import csv
import io
import time
from datetime import date, datetime
from typing import IO

from django.db import transaction
from django.utils import timezone

from tracker import forms
from tracker.models import MAX_SESSION_MINUTES, MassageSession, accepted_days
from tracker.models.dates import FIRST_DAY_IN_WORDS
from tracker.portability.common import (
    LOOP_CHECK_TIME,
    MAX_LOOP_CSV_BYTES,
    MAX_LOOP_ROWS,
    ImportRefused,
    ImportResult,
)
from tracker.portability.records import RecordChecker

# Loop's notes can be long; a session keeps as much of one as its form takes.
NOTES_LENGTH = MassageSession._meta.get_field("notes").max_length

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

    Each becomes a session at noon in the user's zone, as long as their usual minutes, checked
    by the session form's own fields (its notes too); days that already have a session, and
    days outside the accepted range (tracker.models.dates), are left out and counted.
    """
    checks = parse_loop_checkmarks(fileobj.read(MAX_LOOP_CSV_BYTES + 1))
    profile = user.profile
    zone = profile.zone
    with timezone.override(zone):
        days = accepted_days()
        checker = RecordChecker(MassageSession, forms.SessionForm(user=user))
        entries = {
            day: {
                **checker.clean(
                    {
                        "performed_at": datetime.combine(day, LOOP_CHECK_TIME, tzinfo=zone),
                        "minutes": min(profile.target_minutes, MAX_SESSION_MINUTES),
                        "notes": notes[:NOTES_LENGTH],
                    },
                    f"The check of {day}",
                ),
                "local_date": day,
            }
            for day, notes in checks.items()
            if day in days
        }
    result = ImportResult()
    started = time.perf_counter()
    with transaction.atomic():
        # Two imports at once must not both find a day free (PostgreSQL reads on meanwhile).
        profile.lock()
        taken = set(
            MassageSession.objects.for_user(user)
            .filter(local_date__in=entries)
            .values_list("local_date", flat=True)
        )
        sessions = MassageSession.objects.log_many(
            user, [entry for day, entry in entries.items() if day not in taken]
        )
    result.write_seconds = time.perf_counter() - started
    result.sessions = len(sessions)
    result.session_ids = [session.pk for session in sessions]
    result.skipped = len(taken)
    if result.skipped:
        days_word = "day" if result.skipped == 1 else "days"
        result.notes.append(f"Skipped {result.skipped} {days_word} that already had a session.")
    if early := sum(1 for day in checks if day < days.first):
        result.notes.append(f"Left out {early} checks dated before {FIRST_DAY_IN_WORDS}.")
    if future := sum(1 for day in checks if day > days.last):
        result.notes.append(f"Left out {future} checks dated after today.")
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
    rows = read_rows(text)
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


def read_rows(text: str) -> list[list[str]]:
    """The CSV's non-empty rows, whatever its line endings; unreadable CSV is a message."""
    # newline=None reads a file saved with old Mac line endings (CR only) too.
    reader = csv.reader(io.StringIO(text, newline=None))
    rows = []
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                rows.append(row)
            if len(rows) > MAX_LOOP_ROWS:
                break
    except csv.Error as error:
        raise ImportRefused(
            f"Line {reader.line_num}: this is not a CSV file Loop made ({error})."
        ) from None
    return rows
