"""The one place that builds test data: accounts, their objects, and the data a form posts.

Plain functions rather than fixtures so that each test says exactly what it builds. Photos are
stored the way an upload stores them (processed, under random names, with a thumbnail), so that
every page and file URL can serve them.
"""

import io
import json
import zipfile
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth.models import User
from django.utils import timezone
from PIL import Image

from tests import photo_samples as samples
from tests.push_service import BrowserKeys
from tracker.alignment import Eyes
from tracker.images import process_upload
from tracker.models import (
    Area,
    CalendarFeed,
    Experiment,
    HealthCheck,
    HealthCondition,
    MassageSession,
    Product,
    ProgressPhoto,
    PushSubscription,
    ReminderClaim,
    ReminderPlan,
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
# Monday 4 January 2027, 08:00 in Paris (07:00 UTC): a reminder's moment, far from any DST
# change, on the first day of a Monday-first week.
MONDAY_EIGHT_PARIS = datetime(2027, 1, 4, 7, 0, tzinfo=UTC)
EVERY_DAY = list(range(7))


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


def make_passkey(owner, name: str = "Phone") -> Authenticator:
    """A passkey row as allauth lists it (tests.webauthn.add_passkey makes one that signs in)."""
    return Authenticator.objects.create(
        user=owner, type=Authenticator.Type.WEBAUTHN, data={"name": name, "credential": {}}
    )


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


def make_marked_photo(owner, **fields) -> ProgressPhoto:
    """A photo (64 by 48) whose eyes are marked, so that it can be lined up."""
    photo = make_photo(owner, **fields)
    photo.mark_eyes(Eyes.checked((20.0, 24.0), (44.0, 24.0), photo.width, photo.height))
    return photo


def make_reminder_plan(
    owner,
    *,
    days: Iterable[int] = EVERY_DAY,
    at: time = time(8, 0),
    mode: str = ReminderPlan.Mode.ALWAYS,
    by_email: bool = True,
) -> ReminderPlan:
    """A plan as the settings form saves it (its next reminder worked out from now)."""
    return ReminderPlan.objects.save_plan(owner, days=days, at=at, mode=mode, by_email=by_email)


def make_push_subscription(
    owner, endpoint: str | None = None, keys: BrowserKeys | None = None
) -> PushSubscription:
    """A browser that gets notifications, subscribed with this server's key."""
    keys = keys or BrowserKeys()
    return PushSubscription.objects.subscribe(
        owner,
        endpoint=endpoint or f"https://fcm.googleapis.com/fcm/send/{owner.username}",
        p256dh=keys.p256dh,
        auth=keys.auth,
        server_key=settings.VAPID_PUBLIC_KEY,
    )


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
    make_reminder_plan(
        owner, days=[0, 3], at=time(7, 45), mode=ReminderPlan.Mode.WHEN_BEHIND, by_email=True
    )
    CalendarFeed.objects.issue(owner)
    make_push_subscription(owner)
    ReminderClaim.objects.claim([(owner.pk, TUESDAY_MORNING)])
    make_experiment(
        owner,
        change=Experiment.Change.PRODUCT,
        product=jojoba,
        started_on=date(2026, 9, 1),
        weeks=4,
        angle=ProgressPhoto.Angle.FRONT,
        note="Only in the evening",
        ended_on=date(2026, 9, 20),
    )
    make_experiment(
        owner, change=Experiment.Change.TECHNIQUE, technique=Technique.GUA_SHA, routine=None
    )
    # How the person signs in: a verified address (unless they have one) and a passkey.
    if not EmailAddress.objects.filter(user=owner).exists():
        give_verified_email(owner, f"{owner.username}@example.com")
    make_passkey(owner, "Phone")
    marked = make_photo(
        owner, TUESDAY_MORNING, timing=ProgressPhoto.Timing.BEFORE, colour="seagreen"
    )
    marked.mark_eyes(Eyes.checked((20.5, 24.25), (44.0, 23.5), marked.width, marked.height))
    return [
        make_photo(
            owner, TUESDAY_MORNING, ProgressPhoto.Angle.LEFT, note="After, glowing", session=logged
        ),
        marked,
    ]


def make_experiment(owner, started_on: date | None = None, **fields) -> Experiment:
    """An experiment (by default a new product, six weeks from a week ago), as started."""
    fields.setdefault("change", Experiment.Change.PRODUCT)
    if fields["change"] == Experiment.Change.PRODUCT and "product" not in fields:
        fields["product"] = make_product(owner, "Rosehip oil")
    ended_on = fields.pop("ended_on", None)
    started_on = started_on or fields.pop("started_on", None) or date(2026, 11, 11)
    experiment = Experiment(owner=owner, started_on=started_on, ended_on=ended_on, **fields)
    experiment.subject = experiment.describe()
    experiment.save()
    return experiment


def make_export(owner) -> bytes:
    """The owner's data as the ZIP file the export downloads."""
    out = io.BytesIO()
    export_zip(owner, out)
    return out.getvalue()


def archive_with(document: dict | str | bytes | None = None, **members: bytes) -> io.BytesIO:
    """A ZIP file with `document` as data.json and the members (`**{"photos__a.jpg": ...}`)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        if document is not None:
            if isinstance(document, dict):
                document = json.dumps(document)
            archive.writestr("data.json", document)
        for name, data in members.items():
            archive.writestr(name.replace("__", "/"), data)
    out.seek(0)
    return out


def minimal_document(**sections) -> dict:
    """data.json of an export with only these sections."""
    return {"format": "facetrack-export", "version": 1, **sections}


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
    """allauth's sign-up with the time zone the browser proposes; the username left empty."""
    data = {
        "email": "bea@example.com",
        "password1": "a long enough passphrase",
        "password2": "a long enough passphrase",
        "username": "",
        "timezone": "Pacific/Auckland",
    }
    return _posted(data, overrides)


def give_verified_email(user: User, address: str) -> User:
    """An address the person has proved is theirs (allauth's verified, primary EmailAddress)."""
    from allauth.account.models import EmailAddress

    user.email = address
    user.save(update_fields=["email"])
    EmailAddress.objects.update_or_create(
        user=user, email=address, defaults={"verified": True, "primary": True}
    )
    return user
