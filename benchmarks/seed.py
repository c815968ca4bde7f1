"""A realistic data set, written fast with bulk_create: many light users and one heavy one.

The heavy user has about three years of 2 or 3 sessions a week (with a few rest weeks and
missed weeks), three routines, tools, products and 100 progress photos; the others have a
few weeks or months each, and the light user two photos. Deterministic for a given
`rng_seed` and `now`.
"""

import io
import random
import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from PIL import Image

from tracker import stats
from tracker.models import (
    MassageSession,
    Pressure,
    Product,
    Profile,
    ProgressPhoto,
    Reaction,
    RestWeek,
    Routine,
    RoutineStep,
    Tool,
    photo_path,
)
from tracker.starters import STARTERS, starter_step_values

HEAVY_USERNAME = "heavy"
LIGHT_USERNAME = "light"
PASSWORD = "benchmark-password-not-secret"
PHOTO_SIZE = (900, 1200)
THUMBNAIL_SIZE = (240, 320)


@dataclass(frozen=True)
class Seeded:
    heavy: User
    light: User
    heavy_routine_pk: int
    photo_pks: list[int]
    users: int
    sessions: int
    heavy_sessions: int


def seed(
    users: int = 300,
    heavy_weeks: int = 156,
    photos: int = 100,
    *,
    now: datetime | None = None,
    rng_seed: int = 4,
    password: str = PASSWORD,
) -> Seeded:
    """Write the data set into the default database and storage; return what the benchmark needs."""
    rng = random.Random(rng_seed)
    now = now or timezone.now()
    # One hash for everyone: hashing hundreds of passwords would take minutes.
    password_hash = make_password(password)
    with transaction.atomic():
        accounts = _users(users, password_hash, now)
        routines = {user.pk: _gear_and_routines(user, rng) for user in accounts}
        heavy, light, *others = accounts
        plans = [(heavy, _heavy_days(heavy_weeks, rng, now))]
        plans.append((light, _recent_days(2, now)))
        plans += [(user, _light_days(rng, now)) for user in others]
        sessions = _sessions(plans, routines, rng, now)
        RestWeek.objects.bulk_create(_rest_weeks(heavy, heavy_weeks, now))
        photo_pks = _photos(heavy, photos, now)
        # Two of one angle, so the light user's pages have the same parts as the heavy one's.
        _photos(light, min(photos, 2), now, angle_every=len(ProgressPhoto.Angle))
    return Seeded(
        heavy=heavy,
        light=light,
        heavy_routine_pk=routines[heavy.pk][0][0].pk,
        photo_pks=photo_pks,
        users=len(accounts),
        sessions=sessions,
        heavy_sessions=len(plans[0][1]),
    )


def _users(count: int, password_hash: str, now: datetime) -> list[User]:
    names = [HEAVY_USERNAME, LIGHT_USERNAME] + [f"user{n:04d}" for n in range(max(0, count - 2))]
    users = User.objects.bulk_create(
        User(username=name, password=password_hash, date_joined=now - timedelta(days=3 * 366))
        for name in names
    )
    zones = ["Europe/London", "Europe/Berlin", "America/New_York", "Asia/Tokyo", "UTC"]
    # bulk_create sends no post_save, so the profiles the signal would make are made here.
    Profile.objects.bulk_create(
        Profile(user=user, timezone=zones[index % len(zones)], week_start=index % 2)
        for index, user in enumerate(users)
    )
    return list(User.objects.filter(pk__in=[u.pk for u in users]).select_related("profile"))


type RoutinePlan = tuple[Routine, list[RoutineStep], list[Product]]


def _gear_and_routines(user: User, rng: random.Random) -> list[RoutinePlan]:
    """Tools by kind, two products, and one routine per starter (the heavy user uses all three)."""
    kinds = sorted({step.tool_kind for starter in STARTERS for step in starter.steps} - {""})
    tools = {
        kind: tool
        for kind, tool in zip(
            kinds,
            Tool.objects.bulk_create(
                Tool(owner=user, kind=kind, name=Tool.Kind(kind).label, material="")
                for kind in kinds
            ),
            strict=True,
        )
    }
    products = Product.objects.bulk_create(
        [
            Product(owner=user, name="Cold-pressed jojoba oil", patch_test="passed"),
            Product(owner=user, name="Rosehip serum", kind="serum", patch_test="not_done"),
        ]
    )
    starters = STARTERS if user.username == HEAVY_USERNAME else [rng.choice(STARTERS)]
    routines = Routine.objects.bulk_create(
        Routine(owner=user, name=starter.name, description=starter.description.text)
        for starter in starters
    )
    plans = []
    for routine, starter in zip(routines, starters, strict=True):
        steps = RoutineStep.objects.bulk_create(
            RoutineStep(routine=routine, order=order, **values)
            for order, values in enumerate(starter_step_values(starter, tools))
        )
        routine.products.set(products[:1])
        plans.append((routine, steps, products[:1]))
    return plans


def _heavy_days(weeks: int, rng: random.Random, now: datetime) -> list[date]:
    """2 or 3 sessions in most weeks, one in a few, none in rest weeks; never in the future."""
    today = now.date()
    rest = _rest_week_offsets(weeks)
    days: list[date] = []
    for offset in range(weeks, -1, -1):
        if offset in rest:
            continue
        start = today - timedelta(days=7 * offset + today.weekday())
        count = rng.choices([1, 2, 3], weights=[1, 5, 4])[0]
        for weekday in sorted(rng.sample(range(7), count)):
            day = start + timedelta(days=weekday)
            if day <= today:
                days.append(day)
    return days


def _light_days(rng: random.Random, now: datetime) -> list[date]:
    today = now.date()
    weeks = rng.randint(1, 26)
    return sorted(
        today - timedelta(days=7 * week + day)
        for week in range(weeks)
        for day in rng.sample(range(1, 7), rng.randint(1, 3))
    )


def _recent_days(weeks: int, now: datetime) -> list[date]:
    today = now.date()
    return [today - timedelta(days=7 * week + day) for week in range(weeks) for day in (1, 4)]


def _sessions(
    plans: list[tuple[User, list[date]]],
    routines: dict[int, list[RoutinePlan]],
    rng: random.Random,
    now: datetime,
) -> int:
    sessions: list[MassageSession] = []
    links: list[tuple[int, list[int], list[int]]] = []
    for user, days in plans:
        zone = zoneinfo.ZoneInfo(user.profile.timezone)
        for day in days:
            routine, steps, products = rng.choice(routines[user.pk])
            performed_at = datetime.combine(day, time(rng.randint(6, 22), rng.randrange(60)), zone)
            performed_at = min(performed_at, now - timedelta(minutes=rng.randint(5, 300)))
            sessions.append(
                MassageSession(
                    owner=user,
                    performed_at=performed_at,
                    # bulk_create skips save(): the local date is set here as save() would.
                    local_date=stats.local_date(performed_at, zone),
                    minutes=max(1, sum(s.seconds for s in steps) // 60 + rng.randint(-2, 3)),
                    routine=routine,
                    techniques=list(dict.fromkeys(s.technique for s in steps)),
                    areas=list(dict.fromkeys(s.area for s in steps)),
                    pressure=rng.choice([Pressure.GENTLE, Pressure.GENTLE, Pressure.MEDIUM]),
                    cleansed_skin=True,
                    clean_hands_and_tools=rng.random() < 0.9,
                    used_slip=rng.random() < 0.8,
                    reaction=Reaction.REDNESS if rng.random() < 0.03 else Reaction.NONE,
                    rating=rng.randint(3, 5),
                    notes="Felt tight along the jaw." if rng.random() < 0.1 else "",
                )
            )
            links.append(
                (
                    len(sessions) - 1,
                    sorted({s.tool_id for s in steps if s.tool_id}),
                    [p.pk for p in products],
                )
            )
    MassageSession.objects.bulk_create(sessions, batch_size=2000)
    tool_links = MassageSession.tools.through
    product_links = MassageSession.products.through
    tool_links.objects.bulk_create(
        (
            tool_links(massagesession_id=sessions[i].pk, tool_id=tool_id)
            for i, tools, _ in links
            for tool_id in tools
        ),
        batch_size=5000,
    )
    product_links.objects.bulk_create(
        (
            product_links(massagesession_id=sessions[i].pk, product_id=product_id)
            for i, _, products in links
            for product_id in products
        ),
        batch_size=5000,
    )
    return len(sessions)


def _rest_week_offsets(weeks: int) -> set[int]:
    # A handful of pauses spread over the years (irritation, travel, a procedure).
    return {offset for offset in (9, 40, 41, 77, 120, 121, 150) if offset < weeks}


def _rest_weeks(user: User, weeks: int, now: datetime) -> list[RestWeek]:
    today = now.date()
    return [
        RestWeek(
            owner=user,
            week_start=user.profile.week_start_of(today - timedelta(days=7 * offset)),
            reason="Travel",
        )
        for offset in sorted(_rest_week_offsets(weeks))
    ]


def _photos(user: User, count: int, now: datetime, angle_every: int = 1) -> list[int]:
    """Real JPEGs through the default storage (full size and thumbnail), rows in one insert."""
    angles = list(ProgressPhoto.Angle)
    images, thumbnails, thumbnail_sizes = zip(
        *(_photo_files(shade) for shade in range(len(angles))), strict=True
    )
    photos = []
    for index in range(count):
        shade = index * angle_every % len(angles)
        photo = ProgressPhoto(
            owner=user,
            taken_at=now - timedelta(days=index * 11),
            angle=angles[shade],
            timing=ProgressPhoto.Timing.BEFORE,
            width=PHOTO_SIZE[0],
            height=PHOTO_SIZE[1],
            thumbnail_width=thumbnail_sizes[shade][0],
            thumbnail_height=thumbnail_sizes[shade][1],
        )
        photo.image.name = default_storage.save(
            photo_path(photo, "photo.jpg"), ContentFile(images[shade])
        )
        photo.thumbnail.name = default_storage.save(
            photo_path(photo, "thumb.jpg"), ContentFile(thumbnails[shade])
        )
        photos.append(photo)
    return [photo.pk for photo in ProgressPhoto.objects.bulk_create(photos)]


def _photo_files(shade: int) -> tuple[bytes, bytes, tuple[int, int]]:
    """A photo, its thumbnail and the thumbnail's size as the upload pipeline makes them (or
    Pillow, before it)."""
    source = _jpeg(PHOTO_SIZE, shade)
    try:
        from tracker.images import process_upload
    except ImportError:
        return source, _jpeg(THUMBNAIL_SIZE, shade), THUMBNAIL_SIZE
    processed = process_upload(io.BytesIO(source))
    size = (processed.thumbnail_width, processed.thumbnail_height)
    return processed.image, processed.thumbnail, size


def _jpeg(size: tuple[int, int], shade: int) -> bytes:
    """A smooth face-sized gradient: compresses like a photo of skin, not like noise."""
    gradient = Image.linear_gradient("L").resize(size)
    image = Image.merge("RGB", (gradient, gradient.rotate(90 * shade).resize(size), gradient))
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=82)
    return buffer.getvalue()
