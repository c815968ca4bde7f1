"""Hypothesis strategies for what a person can send, valid and hostile, and the harness that
posts it: no answer may be a 500, and a refused input leaves the database and the media
folder exactly as they were.

Each example runs in its own transaction (hypothesis.extra.django.TestCase), so it builds its
own little world: a person with something of every kind, and another person whose ids it
tries to use.
"""

import io
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from allauth.account.models import EmailAddress
from django.apps import apps
from django.contrib import messages
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import event
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase
from PIL import Image

from tests.factories import (
    PASSWORD,
    make_product,
    make_rest_week,
    make_routine,
    make_session,
    make_tool,
)
from tracker.backups import stored_names
from tracker.models import ProgressPhoto

# Text -----------------------------------------------------------------------------------------

CONTROL = st.characters(min_codepoint=0, max_codepoint=0x1F) | st.sampled_from(
    ["\x7f", "\x85", "\u2028", "\u202e", "\ufeff", "\ufffd"]
)
SPECIAL_TEXT = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "=1+1",
    " =1+1",
    "\n@SUM(A1)",
    "<script>alert(1)</script>",
    "'; DROP TABLE tracker_tool; --",
    "😀" * 20,
    "e\u0301" * 50,
]
texts = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=CONTROL, min_size=1, max_size=5),
    st.sampled_from(SPECIAL_TEXT),
    st.integers(min_value=0, max_value=5).map(lambda n: "x" * 10**n),
)

# Numbers, dates, ids --------------------------------------------------------------------------

numbers = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["0", "-1", "1.5", "1e3", "NaN", "inf", "\uff19", "0x10", " 7 ", "07"]),
    texts,
)
EDGE_DAYS = ["0001-01-01", "9999-12-31", "1999-12-31", "2000-01-01", "2026-02-30", "2026-13-01"]
days = st.one_of(st.dates().map(date.isoformat), st.sampled_from(EDGE_DAYS), texts)
EDGE_MOMENTS = [
    "0001-01-01T00:00",
    "9999-12-31T23:59",
    "1999-12-31T23:59",
    "2000-01-01T00:00",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:00-12:00",
    "2026-03-29T02:30",  # a time that does not exist in Europe/Berlin
]
ZONES = st.sampled_from(
    [UTC, timezone(timedelta(hours=14)), timezone(timedelta(hours=-12)), timezone.min]
)
moments = st.one_of(
    st.datetimes().map(lambda moment: moment.strftime("%Y-%m-%dT%H:%M")),
    st.datetimes(timezones=ZONES).map(datetime.isoformat),
    st.sampled_from(EDGE_MOMENTS),
    texts,
)
# "own" and "other" become ids of the person's own object and of someone else's.
ids = st.one_of(st.sampled_from(["own", "other"]), numbers)
flags = st.sampled_from(["on", "", "true", "false", "0", "1", "\x00"])


def choices(values: list[str]) -> st.SearchStrategy:
    return st.one_of(st.sampled_from(values), texts)


def sent(strategy: st.SearchStrategy) -> st.SearchStrategy:
    """A field's value as a form posts it: usually one, sometimes several (a wrong type)."""
    return st.one_of(strategy, strategy, st.lists(strategy, max_size=3))


def form_data(valid: dict[str, st.SearchStrategy], hostile: dict[str, st.SearchStrategy]):
    """A valid form, then some of its fields replaced by hostile values or left out."""
    return st.tuples(
        st.fixed_dictionaries(valid),
        st.fixed_dictionaries({}, optional={name: sent(s) for name, s in hostile.items()}),
        st.sets(st.sampled_from(sorted(valid))) if valid else st.just(set()),
    ).map(lambda parts: {k: v for k, v in {**parts[0], **parts[1]}.items() if k not in parts[2]})


def valid_moments() -> st.SearchStrategy:
    return st.datetimes(min_value=datetime(2000, 1, 2), max_value=datetime(2025, 12, 31)).map(
        lambda moment: moment.strftime("%Y-%m-%dT%H:%M")
    )


def valid_days() -> st.SearchStrategy:
    return st.dates(min_value=date(2000, 1, 2), max_value=date(2025, 12, 31)).map(date.isoformat)


# Passkey answers: what allauth's script posts, as anyone could forge it ---------------------

FALSY = st.sampled_from([0, False, [], {}, "", None])
JSON_VALUES = FALSY | st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=50),
    # Empty lists and dicts come from FALSY; here they hold something, drawn from below.
    lambda children: (
        st.lists(children, min_size=1, max_size=4)
        | st.dictionaries(st.text(max_size=20), children, min_size=1, max_size=4)
    ),
    max_leaves=20,
)


def shaped_like_a_passkey(user_handle: str) -> st.SearchStrategy:
    """Answers with the right keys and wrong values: they get deepest into the parsing."""
    field = st.one_of(st.text(max_size=80), JSON_VALUES)
    return st.fixed_dictionaries(
        {
            "id": field,
            "rawId": field,
            "type": st.sampled_from(["public-key", "other"]),
            "response": st.fixed_dictionaries(
                {
                    "clientDataJSON": field,
                    "attestationObject": field,
                    "authenticatorData": field,
                    "signature": field,
                    "userHandle": st.one_of(st.just(user_handle), field),
                }
            ),
            "clientExtensionResults": JSON_VALUES,
        }
    )


# Accounts -----------------------------------------------------------------------------------

OWN_EMAIL, OTHER_EMAIL = "fuzzed@example.com", "someone@example.com"
emails = st.one_of(
    st.from_regex(r"[a-z]{1,10}@example\.(com|org)", fullmatch=True),
    st.emails(),
    st.sampled_from(
        [OWN_EMAIL, OTHER_EMAIL, OTHER_EMAIL.upper(), "x" * 300 + "@example.com", "a@b", "@x.org"]
    ),
    texts,
)
# Long enough, and nothing Django's validators refuse (common, numeric, like the username).
valid_passwords = st.from_regex(r"[a-z]{5,9}( [a-z]{5,9}){2}", fullmatch=True)
passwords = st.one_of(valid_passwords, st.just(PASSWORD), texts)


def new_password(key: str = "new password") -> st.SearchStrategy:
    """One valid new password per example, the same wherever it is drawn (typed twice)."""
    return st.shared(valid_passwords, key=key)


def make_people() -> tuple[User, User]:
    """The person (PASSWORD, a verified address), and someone else with an address of theirs."""
    owner = User.objects.create_user("fuzzed", email=OWN_EMAIL, password=PASSWORD)
    other = User.objects.create_user("someone-else", email=OTHER_EMAIL, password=PASSWORD)
    for person in (owner, other):
        EmailAddress.objects.create(user=person, email=person.email, primary=True, verified=True)
    return owner, other


# Files ----------------------------------------------------------------------------------------


def jpeg(size: tuple[int, int] = (16, 12), colour: str = "peachpuff") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return out.getvalue()


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "white").save(out, "PNG")
    return out.getvalue()


JPEG = jpeg()
image_bytes = st.one_of(
    st.just(JPEG),
    st.just(JPEG[:200]),
    st.just(png() + b"<html>"),
    st.just(b""),
    st.binary(max_size=300),
    st.just(b"\xff\xd8\xff" + b"\x00" * 500),
)


# The world of one example, and the checks ------------------------------------------------------


@dataclass
class World:
    """A person with something of every kind, and someone else with the same."""

    owner: User
    other: User
    own: dict[str, Any]
    theirs: dict[str, Any]

    def ids_in(self, data: dict[str, Any], kinds: dict[str, str]) -> dict[str, Any]:
        """`data` with "own" and "other" in the id fields (`kinds`: field -> kind) made ids."""

        def pk(kind: str, value: Any) -> Any:
            if value == "own":
                return self.own[kind].pk
            if value == "other":
                return self.theirs[kind].pk
            return value

        return {
            name: (
                [pk(kinds[name], v) for v in value]
                if isinstance(value, list) and name in kinds
                else pk(kinds[name], value)
                if name in kinds
                else value
            )
            for name, value in data.items()
        }


def things_of(owner: User) -> dict[str, Any]:
    tool = make_tool(owner)
    product = make_product(owner)
    routine = make_routine(owner, tool=tool, products=[product])
    session = make_session(owner, datetime(2025, 6, 1, 9, tzinfo=UTC), tools=[tool])
    image = default_storage.save("photos/fuzz.jpg", ContentFile(JPEG))
    photo = ProgressPhoto.objects.create(
        owner=owner,
        taken_at=datetime(2025, 6, 1, 9, tzinfo=UTC),
        image=image,
        thumbnail=image,
        session=session,
        width=16,
        height=12,
    )
    rest = make_rest_week(owner, date(2025, 5, 26))
    step = routine.steps.first()
    return {
        "tool": tool,
        "product": product,
        "routine": routine,
        "session": session,
        "photo": photo,
        "rest": rest,
        "step": step,
    }


def make_world(zone: str = "Europe/Berlin", week_start: int = 6) -> World:
    owner = User.objects.create_user("fuzzed", password=PASSWORD)
    owner.profile.timezone, owner.profile.week_start = zone, week_start
    owner.profile.save()
    other = User.objects.create_user("someone-else")
    return World(owner, other, things_of(owner), things_of(other))


def database_rows() -> dict[str, list[dict]]:
    """Every row the app keeps, allauth's email addresses and passkeys too (the sign-in
    throttle's counters and the sessions aside), to compare."""
    models = [
        *(
            model
            for app in ("tracker", "account", "mfa")
            for model in apps.get_app_config(app).get_models()
        ),
        User,
    ]
    rows = {}
    for model in models:
        rows[model._meta.label] = list(model.objects.order_by("pk").values())
        for m2m in model._meta.local_many_to_many:
            through = m2m.remote_field.through
            rows[through._meta.label] = list(through.objects.order_by("pk").values())
    return rows


def media_files() -> dict[str, bytes]:
    return {name: default_storage.open(name).read() for name in stored_names(default_storage)}


def upload(data: bytes, name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


PAGES = [
    "tracker:dashboard",
    "tracker:history",
    "tracker:photos",
    "tracker:data-export",
    "tracker:insights",
    "tracker:experiments",
]


class FuzzCase(TestCase):
    """Posts an example through its view and checks what came of it."""

    # The pages that must still answer after an accepted example.
    pages = PAGES

    def submit(self, url: str, data: dict, *, get: bool = False, check_pages: bool = True):
        before = (database_rows(), media_files())
        send = self.client.get if get else self.client.post
        # The test client raises the view's exception itself: a 500 fails the example.
        response = send(url, data)
        self.assertLess(response.status_code, 500)
        event("refused" if self.refused(response) else "accepted")
        if self.refused(response):
            self.assertEqual(database_rows(), before[0], "a refused input changed the database")
            self.assertEqual(media_files(), before[1], "a refused input changed the media")
        elif check_pages:
            # Whatever was accepted, every page of the person's still answers.
            for page in self.pages:
                self.assertEqual(self.client.get(reverse(page)).status_code, 200, page)
        return response

    @staticmethod
    def refused(response) -> bool:
        if response.status_code != 302:
            return True
        stored = messages.get_messages(response.wsgi_request)
        return any(message.level == messages.ERROR for message in stored)
