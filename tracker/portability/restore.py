"""Restore a Facetrack export into an empty account: everything checked first, then all of it
or nothing, in one short transaction."""

import copy
import io
import logging
import time
import zipfile
import zoneinfo
from dataclasses import dataclass
from datetime import datetime
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from tracker import forms
from tracker.alignment import Eyes, MarksRefused
from tracker.images import MAX_SIDE, ImageRejected, process_upload
from tracker.models import (
    Experiment,
    FilesNoLongerPending,
    HealthCheck,
    HealthCheckGiven,
    MassageSession,
    PendingFile,
    PhotoQuotaFull,
    Product,
    Profile,
    ProgressPhoto,
    RestWeek,
    Routine,
    RoutineFull,
    RoutineStep,
    Tool,
    accepted_days,
    validate_day,
    validate_moment,
)
from tracker.models.bulk import Batch
from tracker.models.photos import EYE_FIELDS
from tracker.portability.archive import open_archive, read_document, read_member, weeks_in_range
from tracker.portability.common import (
    MAX_HEALTH_ANSWERS,
    MAX_PHOTO_BYTES,
    PHOTO_MEMBER,
    ImportRefused,
    ImportResult,
    plain_fields,
    quoted,
)
from tracker.portability.records import (
    RecordChecker,
    as_dict,
    as_list,
    full_clean,
    key_of,
    records,
    ref,
    refs_in,
    section,
    unique_keys,
)
from tracker.portability.reminders import (
    CheckedReminders,
    check_reminder_limits,
    check_reminders,
    prepare_reminders,
)

logger = logging.getLogger(__name__)


@dataclass
class _Plan:
    """Every record of an export, checked and built, not yet saved."""

    profile_values: dict[str, Any]
    first_weekday: int
    zone: zoneinfo.ZoneInfo
    tools: list[tuple[str, Tool]]
    products: list[tuple[str, Product]]
    routines: list[tuple[str, Routine, list[str], list[tuple[RoutineStep, str | None]]]]
    sessions: list[tuple[str, MassageSession, str | None, list[str], list[str]]]
    rest_weeks: list[RestWeek]
    photos: list[tuple[ProgressPhoto, str | None, str]]
    reminders: CheckedReminders
    # The "before you start" answers (known keys only), if the export holds them.
    health_check: HealthCheck | None = None
    # Experiments with the keys of their product and routine (version 2 on).
    experiments: list[tuple[Experiment, str | None, str | None]] | None = None


def import_zip(user, fileobj: IO[bytes]) -> ImportResult:
    """Restore an export into an account that holds nothing yet: all of it, or nothing.

    In this order: the ZIP's directory, data.json's size and shape (before it is parsed), the
    number of records against IMPORT_MAX_* (before one is built), every record through its
    form's rules, every photo decoded and stored (each file noted as pending, see
    tracker.models.files), and only then one short transaction that writes everything in bulk.
    Raises ImportRefused, with a message for the person, at any step.
    """
    # What a killed import or upload left behind goes first: no other process is needed.
    PendingFile.objects.sweep(ProgressPhoto._meta.get_field("image").storage)
    refuse_unless_empty(user)
    with open_archive(fileobj) as archive:
        document = read_document(archive)
        check_limits(document, set(archive.namelist()))
        plan = _plan(user, document)
        photos = [photo for photo, _key, _member in plan.photos]
        try:
            # Decoding, and every row made ready for the database, outside the transaction:
            # on SQLite it holds every other person's writes, so it only sends the rows.
            _store_photo_files(archive, plan)
            batch, result = _prepare(user, plan)
            started = time.perf_counter()
            with transaction.atomic():
                user.profile.lock()
                refuse_unless_empty(user)
                user.profile.change_settings(**plan.profile_values)
                batch.write()
            result.write_seconds = time.perf_counter() - started
        except IntegrityError as error:
            ProgressPhoto.discard_files(photos)
            logger.warning("Import for user %s refused by the database: %s", user.pk, error)
            raise ImportRefused("The export contradicts itself: nothing was imported.") from None
        except PhotoQuotaFull as full:
            ProgressPhoto.discard_files(photos)
            raise ImportRefused(f"{full} Nothing was imported.") from None
        except RoutineFull as full:
            ProgressPhoto.discard_files(photos)
            raise ImportRefused(f"{full} Nothing was imported.") from None
        except FilesNoLongerPending:
            ProgressPhoto.discard_files(photos)
            raise ImportRefused("The import took too long: nothing was imported.") from None
        except HealthCheckGiven:
            ProgressPhoto.discard_files(photos)
            raise ImportRefused(
                "You answered the check before you start while this import ran: nothing was "
                "imported. Import again: your new answers will stay."
            ) from None
        except BaseException:
            ProgressPhoto.discard_files(photos)
            raise
    logger.info("Import for user %s wrote for %.3f s", user.pk, result.write_seconds)
    return result


def refuse_unless_empty(user) -> None:
    """An export restores into a new account only: merged into another, it would duplicate
    the tools, routines and photos both hold."""
    if holdings := user.profile.holdings():
        held = ", ".join(
            f"{count:,} {noun if count != 1 else noun.removesuffix('s')}"
            for noun, count in holdings.items()
        )
        raise ImportRefused(
            f"This account already holds {held}: an export restores into a new, empty account "
            "only, so that nothing is duplicated. Create a new account for it, or delete "
            "these first. Nothing was imported."
        )


def check_limits(document: dict[str, Any], members: set[str]) -> None:
    """Refuse an export larger than the settings allow, from its counts alone, before any
    record is built or photo decoded; and any photo record without a file of its own."""
    limits = {
        "sessions": settings.IMPORT_MAX_SESSIONS,
        "routines": settings.IMPORT_MAX_ROUTINES,
        "tools": settings.IMPORT_MAX_TOOLS,
        "products": settings.IMPORT_MAX_PRODUCTS,
        "photos": settings.PHOTO_QUOTA,
        "rest_weeks": weeks_in_range(),
        # One at a time, a week at least each.
        "experiments": weeks_in_range(),
    }
    for name, limit in limits.items():
        count = len(section(document, name, list, required=False) or [])
        if count > limit:
            noun = name.replace("_", " ")
            raise ImportRefused(
                f"This export holds {count:,} {noun}; an import takes at most {limit:,}. "
                "Nothing was imported."
            )
    for where, record in records(document, "routines", "Routine"):
        steps = as_list(record.get("steps", []), f"{where}, steps")
        if len(steps) > settings.ROUTINE_MAX_STEPS:
            raise ImportRefused(
                f"{where} has {len(steps):,} steps; a routine holds at most "
                f"{settings.ROUTINE_MAX_STEPS}. Nothing was imported."
            )
    check_reminder_limits(document)
    conditions = (section(document, "health_check", dict, required=False) or {}).get("conditions")
    if isinstance(conditions, list) and len(conditions) > MAX_HEALTH_ANSWERS:
        raise ImportRefused(
            f"The health check holds {len(conditions):,} answers; an import takes at most "
            f"{MAX_HEALTH_ANSWERS}. Nothing was imported."
        )
    seen: set[str] = set()
    for where, record in records(document, "photos", "Photo"):
        member = record.get("file")
        if member is None:
            raise ImportRefused(f"{where}: the export names no photo file.")
        if not isinstance(member, str) or not PHOTO_MEMBER.fullmatch(member):
            raise ImportRefused(f"{where}: {quoted(member)} is not a photo file name of an export.")
        if member not in members:
            raise ImportRefused(f"{where}: the ZIP file has no “{member}”.")
        if member in seen:
            raise ImportRefused(f"{where}: “{member}” is another photo's file already.")
        seen.add(member)


def _plan(user, document: dict[str, Any]) -> _Plan:
    """Every record built and checked by its form's rules, in the zone the import sets."""
    # A copy: a refused import must not leave the user's cached profile changed.
    profile = copy.copy(user.profile)
    profile_record = section(document, "profile", dict, required=False) or {}
    profile_values = RecordChecker(Profile, forms.ProfileForm()).values(profile_record, "Settings")
    for name, value in profile_values.items():
        setattr(profile, name, value)
    full_clean(profile, "Settings", exclude=["user"])
    # Dates are checked against today in the zone the account will have.
    with timezone.override(profile.zone):
        return _plan_records(user, profile, profile_values, document)


def _plan_records(user, profile: Profile, profile_values: dict, document: dict) -> _Plan:
    tool_checker = RecordChecker(Tool, forms.ToolForm())
    tools = [
        (key_of(r, where, "tool"), tool_checker.build(r, where, owner=user))
        for where, r in records(document, "tools", "Tool")
    ]
    # A product's pause is set by a tap, not a form: its day is checked as a form's would be.
    product_checker = RecordChecker(Product, forms.ProductForm(), also=["paused_on"])
    products = [
        (key_of(r, where, "product"), in_range(product_checker.build(r, where, owner=user), where))
        for where, r in records(document, "products", "Product")
    ]
    tool_keys = unique_keys(tools, "tool")
    product_keys = unique_keys(products, "product")

    routine_checker = RecordChecker(Routine, forms.RoutineForm(user=user))
    step_checker = RecordChecker(RoutineStep, forms.StepForm(user=user))
    routines = []
    for where, record in records(document, "routines", "Routine"):
        routine = routine_checker.build(record, where, owner=user)
        steps = []
        for number, step_record in enumerate(as_list(record.get("steps", []), where), 1):
            step_where = f"{where}, step {number}"
            step_record = as_dict(step_record, step_where)
            step = step_checker.build(step_record, step_where)
            steps.append((step, ref(step_record.get("tool"), tool_keys, step_where, "tool")))
        product_refs = refs_in(record, "products", product_keys, where)
        routines.append((key_of(record, where, "routine"), routine, product_refs, steps))
    routine_keys = unique_keys(routines, "routine")

    session_checker = RecordChecker(
        MassageSession, forms.SessionForm(user=user), also=["local_date", "reaction_noted_at"]
    )
    sessions = []
    days = accepted_days()
    for where, record in records(document, "sessions", "Session"):
        session = in_range(session_checker.build(record, where, owner=user), where)
        if session.local_date is None:
            session.set_local_date(profile.zone)
        elif session.local_date not in days:
            raise ImportRefused(
                f"{where}, local_date: {session.local_date} is not {days.in_words}."
            )
        sessions.append(
            (
                key_of(record, where, "session"),
                session,
                ref(record.get("routine"), routine_keys, where, "routine"),
                refs_in(record, "tools", tool_keys, where),
                refs_in(record, "products", product_keys, where),
            )
        )
    session_keys = unique_keys(sessions, "session")

    rest_checker = RecordChecker(RestWeek, forms.RestWeekForm(user=user))
    rest_weeks, seen_weeks = [], set()
    for where, record in records(document, "rest_weeks", "Rest week"):
        rest = rest_checker.build(record, where, owner=user)
        if rest.week_start in seen_weeks:
            raise ImportRefused(f"{where}: the week of {rest.week_start} is listed twice.")
        seen_weeks.add(rest.week_start)
        rest_weeks.append(rest)

    # Eye marks are set by taps on the photo's page: checked against the photo once decoded.
    photo_checker = RecordChecker(ProgressPhoto, forms.PhotoForm(user=user), also=EYE_FIELDS)
    photos = []
    for where, record in records(document, "photos", "Photo"):
        photo = photo_checker.build(record, where, owner=user)
        session_key = ref(record.get("session"), session_keys, where, "session")
        photos.append((photo, session_key, record["file"]))

    return _Plan(
        profile_values,
        profile.week_start,
        profile.zone,
        tools,
        products,
        routines,
        sessions,
        rest_weeks,
        photos,
        check_reminders(user, document),
        _health_check(user, document),
        _experiments(user, document, product_keys, routine_keys),
    )


def _experiments(user, document, product_keys: set[str], routine_keys: set[str]) -> list:
    """The experiments, checked by the form that starts one (its ranges and choices); when
    one ended is a day in range, not before it started."""
    form = forms.ExperimentForm(user=user, today=accepted_days().last)
    checker = RecordChecker(Experiment, form, also=["subject", "ended_on"])
    planned = []
    for where, record in records(document, "experiments", "Experiment"):
        experiment = in_range(checker.build(record, where, owner=user), where)
        if experiment.ended_on and experiment.ended_on < experiment.started_on:
            raise ImportRefused(f"{where}: it ends before it starts.")
        planned.append(
            (
                experiment,
                ref(record.get("product"), product_keys, where, "product"),
                ref(record.get("routine"), routine_keys, where, "routine"),
            )
        )
    return planned


def _health_check(user, document: dict[str, Any]) -> HealthCheck | None:
    """The stored answers, if any (older exports have none), checked by the check's own form:
    unknown keys are ignored, as the page ignores them."""
    record = section(document, "health_check", dict, required=False)
    if record is None:
        return None
    checker = RecordChecker(HealthCheck, forms.HealthCheckForm(), also=["agreed_at"])
    return in_range(checker.build(record, "Health check", owner=user), "Health check")


def in_range(obj: models.Model, where: str) -> models.Model:
    """`obj`, once the dates the app sets itself (no form asks for them: when a product was
    paused, a reaction noted, answers agreed to) are found in the accepted range as well."""
    for name in ("paused_on", "reaction_noted_at", "agreed_at", "ended_on"):
        value = getattr(obj, name, None)
        if value is None:
            continue
        try:
            (validate_moment if isinstance(value, datetime) else validate_day)(value)
        except ValidationError as error:
            raise ImportRefused(f"{where}, {name}: {' '.join(error.messages)}") from None
    return obj


def _store_photo_files(archive: zipfile.ZipFile, plan: _Plan) -> None:
    for number, (photo, _session_key, member) in enumerate(plan.photos, 1):
        data = read_member(archive, member, MAX_PHOTO_BYTES)
        # An archive is as untrusted as an upload: the same processing, the same guarantees,
        # for what an export holds only (JPEGs this app made, no larger than MAX_SIDE).
        try:
            processed = process_upload(
                io.BytesIO(data), formats=("JPEG",), max_pixels=MAX_SIDE * MAX_SIDE
            )
        except ImageRejected as rejected:
            raise ImportRefused(f"Photo {number} ({member}): {rejected.message}") from None
        photo.attach(processed)
        _check_eyes(photo, f"Photo {number}")


def _check_eyes(photo: ProgressPhoto, where: str) -> None:
    """Eye marks as the photo's page takes them: both or neither, on the photo, apart."""
    values = [getattr(photo, name) for name in EYE_FIELDS]
    if all(value is None for value in values):
        return
    if any(value is None for value in values):
        raise ImportRefused(f"{where}: its eye marks need both eyes.")
    try:
        eyes = Eyes.checked(tuple(values[:2]), tuple(values[2:]), photo.width, photo.height)
    except MarksRefused as refused:
        raise ImportRefused(f"{where}, eye marks: {refused}") from None
    (photo.eye_left_x, photo.eye_left_y), (photo.eye_right_x, photo.eye_right_y) = (
        eyes.left,
        eyes.right,
    )


def _prepare(user, plan: _Plan) -> tuple[Batch, ImportResult]:
    """Every row of a checked plan made ready by the models' own bulk methods, to be written
    in one go (see tracker.models.bulk); and what it will have imported."""
    batch = Batch()
    tools = dict(
        zip(
            [key for key, _tool in plan.tools],
            Tool.objects.prepare_many(user, [_values(t) for _key, t in plan.tools], batch),
            strict=True,
        )
    )
    products = dict(
        zip(
            [key for key, _product in plan.products],
            Product.objects.prepare_many(user, [_values(p) for _key, p in plan.products], batch),
            strict=True,
        )
    )
    routines = Routine.objects.prepare_many(
        user,
        [
            {
                **_values(routine),
                "products": [products[k] for k in product_keys],
                "steps": [
                    {**_values(step), "tool": tools.get(tool_key)} for step, tool_key in steps
                ],
            }
            for _key, routine, product_keys, steps in plan.routines
        ],
        batch,
    )
    routine_by_key = dict(zip([entry[0] for entry in plan.routines], routines, strict=True))
    sessions = MassageSession.objects.prepare_log(
        user,
        [
            {
                **_values(session),
                "local_date": session.local_date,
                "routine": routine_by_key.get(routine_key),
                "tools": [tools[k] for k in tool_keys],
                "products": [products[k] for k in product_keys],
            }
            for _key, session, routine_key, tool_keys, product_keys in plan.sessions
        ],
        batch,
    )
    session_by_key = dict(zip([entry[0] for entry in plan.sessions], sessions, strict=True))
    rest_weeks = RestWeek.objects.prepare_marks(
        user,
        [(rest.week_start, rest.reason) for rest in plan.rest_weeks],
        batch,
        first_weekday=plan.first_weekday,
    )
    for photo, session_key, _member in plan.photos:
        photo.session = session_by_key.get(session_key)
    ProgressPhoto.objects.prepare_add(user, [photo for photo, _key, _member in plan.photos], batch)
    experiments = Experiment.objects.prepare_many(
        user,
        [
            {
                **_values(experiment),
                "product": products.get(product_key),
                "routine": routine_by_key.get(routine_key),
            }
            for experiment, product_key, routine_key in plan.experiments or []
        ],
        batch,
    )
    prepare_reminders(user, plan.reminders, batch, zone=plan.zone)
    notes = []
    if plan.health_check is not None:
        check = plan.health_check
        if not HealthCheck.objects.prepare_restore(user, check.conditions, check.agreed_at, batch):
            notes.append(
                "Your answers to the check before you start were kept; the export's were left out."
            )

    return batch, ImportResult(
        tools=len(tools),
        products=len(products),
        routines=len(routines),
        sessions=len(sessions),
        photos=len(plan.photos),
        rest_weeks=len(rest_weeks),
        experiments=len(experiments),
        notes=notes,
    )


def _values(obj: models.Model) -> dict[str, Any]:
    """A built (not saved) record's own values, as a model method takes them."""
    return {f.name: getattr(obj, f.attname) for f in plain_fields(type(obj))}
