"""The one place that builds test data: accounts, their objects, and the data a form posts.

Plain functions rather than fixtures so that each test says exactly what it builds. Photos are
stored the way an upload stores them (processed, under random names, with a thumbnail), so that
every page and file URL can serve them.
"""

import io
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from django.contrib.auth.models import User
from django.utils import timezone
from PIL import Image

from tests import photo_samples as samples
from tracker.images import process_upload
from tracker.models import (
    Area,
    HealthCheck,
    HealthCondition,
    MassageSession,
    Product,
    ProgressPhoto,
    RestWeek,
    Routine,
    RoutineStep,
    Technique,
    Tool,
)
from tracker.portability import export_zip

PASSWORD = "correct horse battery staple"

# A Wednesday at noon UTC: far from midnight and from either end of a Monday-start week.
WEDNESDAY_NOON = datetime(2026, 11, 18, 12, 0, tzinfo=UTC)
TUESDAY_MORNING = datetime(2026, 11, 17, 7, 30, tzinfo=UTC)


# People and their things


def make_user(username: str = "alice", timezone: str = "UTC", **profile) -> User:
    """An account with PASSWORD, its profile set to the given zone and fields."""
    user = User.objects.create_user(username, password=PASSWORD)
    user.profile.timezone = timezone
    for name, value in profile.items():
        setattr(user.profile, name, value)
    user.profile.save()
    return user


def make_session(
    owner,
    performed_at: datetime | None = None,
    *,
    minutes: int = 10,
    products: Iterable[Product] = (),
    tools: Iterable[Tool] = (),
    **fields,
) -> MassageSession:
    session = MassageSession.objects.create(
        owner=owner,
        performed_at=performed_at or timezone.now(),
        minutes=minutes,
        **fields,
    )
    session.products.set(products)
    session.tools.set(tools)
    return session


def make_tool(owner, name: str = "Rose quartz roller", **fields) -> Tool:
    fields.setdefault("kind", Tool.Kind.JADE_ROLLER)
    return Tool.objects.create(owner=owner, name=name, **fields)


def make_product(owner, name: str = "Jojoba oil", **fields) -> Product:
    fields.setdefault("patch_test", Product.PatchTest.PASSED)
    return Product.objects.create(owner=owner, name=name, **fields)


def make_routine(
    owner,
    name: str = "Evening lift",
    steps: Iterable[tuple[str, str, int]] = (
        (Technique.EFFLEURAGE, Area.NECK, 60),
        (Technique.GUA_SHA, Area.JAWLINE, 120),
        (Technique.EFFLEURAGE, Area.CHEEKS, 90),
    ),
    *,
    tool: Tool | None = None,
    products: Iterable[Product] = (),
) -> Routine:
    routine = Routine.objects.create(owner=owner, name=name)
    RoutineStep.objects.bulk_create(
        RoutineStep(
            routine=routine, order=order, technique=technique, area=area, seconds=seconds, tool=tool
        )
        for order, (technique, area, seconds) in enumerate(steps)
    )
    routine.products.set(products)
    return routine


def make_step(owner) -> RoutineStep:
    """The second step of a new routine: it can move up or down, and be removed."""
    return make_routine(owner).steps.order_by("order")[1]


def make_rest_week(owner, week_start: date | None = None, reason: str = "Travelling") -> RestWeek:
    week_start = week_start or owner.profile.week_start_of(owner.profile.today())
    return RestWeek.objects.create(owner=owner, week_start=week_start, reason=reason)


def make_photo(
    owner,
    taken_at: datetime | None = None,
    angle: str = ProgressPhoto.Angle.FRONT,
    timing: str = ProgressPhoto.Timing.UNRELATED,
    note: str = "",
    *,
    session: MassageSession | None = None,
    size: tuple[int, int] = (64, 48),
    colour: str = "peachpuff",
) -> ProgressPhoto:
    photo = ProgressPhoto(
        owner=owner,
        taken_at=taken_at or timezone.now(),
        angle=angle,
        timing=timing,
        note=note,
        session=session,
    )
    upload = samples.encode(Image.new("RGB", size, colour), "JPEG")
    photo.attach(process_upload(io.BytesIO(upload)))
    photo.save()
    return photo


def make_full_account(owner) -> list[ProgressPhoto]:
    """Something of every kind, related the way a real user's data is; returns the photos."""
    profile = owner.profile
    profile.timezone, profile.week_start = "Europe/Paris", 6
    profile.target_min, profile.target_stretch, profile.target_minutes = 3, 4, 12
    profile.save()
    roller = make_tool(owner, "Jade roller", material="jade", last_cleaned_on=date(2026, 11, 1))
    fingers = make_tool(owner, "Fingers", kind=Tool.Kind.FINGERS)
    make_tool(owner, "Microcurrent wand", kind=Tool.Kind.MICROCURRENT)
    jojoba = make_product(owner, "Jojoba oil", opened_on=date(2026, 10, 2))
    serum = make_product(
        owner, "=Rosehip serum", kind=Product.Kind.SERUM, patch_test=Product.PatchTest.PENDING
    )
    serum.pause(date(2026, 11, 20))
    HealthCheck.objects.record(owner, [HealthCondition.BRUISES_EASILY], agreed_at=TUESDAY_MORNING)
    routine = make_routine(owner, "Evening lift", tool=roller, products=[jojoba])
    make_routine(owner, "Quick neck", steps=[(Technique.LYMPHATIC, Area.NECK, 45)])
    logged = MassageSession.log_routine(routine, owner, performed_at=TUESDAY_MORNING)
    make_session(
        owner,
        TUESDAY_MORNING + timedelta(days=1, hours=14),
        minutes=4,
        tools=[fingers, roller],
        products=[serum],
        techniques=[Technique.TAPOTEMENT],
        areas=[Area.FOREHEAD, Area.CHEEKS, Area.MOUTH, Area.COLLARBONE],
        pressure="firm",
        cleansed_skin=True,
        used_slip=True,
        reaction="redness",
        rating=4,
        notes="Slight redness — gone in 20 min.\nNew line, «quotes», 顔.",
    )
    make_rest_week(owner, date(2026, 11, 22), "Peel at the clinic")
    return [
        make_photo(
            owner, TUESDAY_MORNING, ProgressPhoto.Angle.LEFT, note="After, glowing", session=logged
        ),
        make_photo(owner, TUESDAY_MORNING, timing=ProgressPhoto.Timing.BEFORE, colour="seagreen"),
    ]


def make_export(owner) -> bytes:
    """The owner's data as the ZIP file the export downloads."""
    out = io.BytesIO()
    export_zip(owner, out)
    return out.getvalue()


# What the forms post: valid unless overridden, and an override of None leaves the field out


def _posted(data: dict, overrides: dict) -> dict:
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def session_data(**overrides) -> dict:
    """The full session form: ten gentle minutes on the morning of WEDNESDAY_NOON."""
    data = {
        "performed_at": "2026-11-18T08:00",
        "minutes": "10",
        "pressure": "gentle",
        "reaction": "none",
    }
    return _posted(data, overrides)


def step_data(**overrides) -> dict:
    data = {"technique": "rolling", "area": "cheeks", "seconds": "45", "instruction": "Roll out."}
    return _posted(data, overrides)


def tool_data(**overrides) -> dict:
    return _posted({"name": "Gua sha stone", "kind": "gua_sha", "material": "Jade"}, overrides)


def product_data(**overrides) -> dict:
    return _posted({"name": "Rosehip oil", "kind": "oil", "patch_test": "pending"}, overrides)


def profile_data(**overrides) -> dict:
    data = {
        "timezone": "Europe/London",
        "week_start": "6",
        "target_min": "2",
        "target_stretch": "4",
        "target_minutes": "12",
    }
    return _posted(data, overrides)


def signup_data(**overrides) -> dict:
    data = {
        "username": "newcomer",
        "password1": "a long enough passphrase",
        "password2": "a long enough passphrase",
        "timezone": "Pacific/Auckland",
    }
    return _posted(data, overrides)
