"""Both import formats, fuzzed through their views: the export's structure (sections of the
wrong kind, records of the wrong shape, keys that lead nowhere) and its values (as the forms'
fuzzing sends them), photos that are not photos; and Loop files of every line ending, field
size, encoding and value. No 500, and a refused file changes neither the database nor the
media folder.
"""

import io
import json
import zipfile

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzzing import (
    JPEG,
    FuzzCase,
    choices,
    days,
    image_bytes,
    make_world,
    moments,
    texts,
    things_of,
    valid_days,
)
from tracker.forms import timezone_choices
from tracker.models import Area, HealthCondition, Pressure, Reaction, Technique, Tool

# JSON values of every kind, for any field.
json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    texts,
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=6,
)


def anything_or(valid: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(valid, valid, json_values)


def iso_moments() -> st.SearchStrategy:
    return st.one_of(
        st.sampled_from(["2025-06-01T09:00:00+00:00", "2000-01-01T00:00:00+14:00"]), moments
    )


KEYS = ["t", "p", "r", "s", "missing"]
refs = st.sampled_from(KEYS)

tool = st.fixed_dictionaries(
    {"key": st.sampled_from(["t", "t2"]), "name": anything_or(st.just("Roller"))},
    optional={
        "kind": anything_or(choices(Tool.Kind.values)),
        "material": anything_or(texts),
        "last_cleaned_on": anything_or(st.one_of(valid_days(), days)),
    },
)
product = st.fixed_dictionaries(
    {"key": st.just("p"), "name": anything_or(st.just("Oil"))},
    optional={
        "key_ingredients": anything_or(texts),
        "opened_on": anything_or(days),
        "patch_test": anything_or(choices(["passed", "pending", "reacted"])),
        "paused_on": anything_or(st.one_of(valid_days(), days)),
    },
)
step = st.fixed_dictionaries(
    {"technique": st.sampled_from(Technique.values), "area": st.sampled_from(Area.values)},
    optional={
        "seconds": anything_or(st.integers(-10, 10_000)),
        "instruction": anything_or(texts),
        "tool": anything_or(refs),
        "order": json_values,
    },
)
routine = st.fixed_dictionaries(
    {"key": st.just("r"), "name": anything_or(st.just("Evening"))},
    optional={
        "description": anything_or(texts),
        "products": anything_or(st.lists(refs, max_size=3)),
        "steps": anything_or(st.lists(step, max_size=3)),
    },
)
session = st.fixed_dictionaries(
    {
        "key": st.sampled_from(["s", "s2"]),
        "performed_at": anything_or(iso_moments()),
        "minutes": anything_or(st.integers(-5, 500)),
    },
    optional={
        "local_date": anything_or(st.one_of(valid_days(), days)),
        "techniques": anything_or(st.lists(choices(Technique.values), max_size=3)),
        "areas": anything_or(st.lists(choices(Area.values), max_size=3)),
        "pressure": anything_or(choices(Pressure.values)),
        "reaction": anything_or(choices(Reaction.values)),
        "reaction_noted_at": anything_or(iso_moments()),
        "rating": anything_or(st.integers(-1, 7)),
        "notes": anything_or(texts),
        "client_id": anything_or(st.uuids().map(str)),
        "routine": anything_or(refs),
        "tools": anything_or(st.lists(refs, max_size=3)),
        "products": anything_or(st.lists(refs, max_size=3)),
        "clean_hands_and_tools": anything_or(st.booleans()),
    },
)
health_check = st.fixed_dictionaries(
    {},
    optional={
        "conditions": anything_or(st.lists(choices(HealthCondition.values), max_size=8)),
        "agreed_at": anything_or(iso_moments()),
    },
)
photo = st.fixed_dictionaries(
    {
        "taken_at": anything_or(iso_moments()),
        "file": st.sampled_from(["photos/a.jpg", "photos/b.jpg"]),
    },
    optional={
        "angle": anything_or(choices(["front", "left"])),
        "note": anything_or(texts),
        "session": anything_or(refs),
    },
)
profile = st.fixed_dictionaries(
    {},
    optional={
        "timezone": anything_or(
            st.sampled_from([name for name, _ in timezone_choices()] + ["Etc/GMT-14"])
        ),
        "week_start": anything_or(st.integers(-1, 8)),
        "target_min": anything_or(st.integers(0, 30)),
        "target_stretch": anything_or(st.integers(0, 30)),
    },
)


reminder_plan = st.fixed_dictionaries(
    {},
    optional={
        "days": anything_or(st.lists(st.integers(-1, 8), max_size=8)),
        "time": anything_or(st.sampled_from(["08:00", "23:59", "24:00", "8 am"])),
        "mode": anything_or(choices(["always", "behind"])),
        "by_email": anything_or(st.booleans()),
        "enabled": anything_or(st.booleans()),
    },
)
browser = st.fixed_dictionaries(
    {},
    optional={
        "endpoint": anything_or(
            st.sampled_from(
                [
                    "https://fcm.googleapis.com/fcm/send/a",
                    "https://10.0.0.1/push",
                    "http://127.0.0.1:8000/push",
                ]
            )
        ),
        "p256dh": anything_or(texts),
        "auth": anything_or(st.sampled_from(["AAAAAAAAAAAAAAAAAAAAAA", "x"])),
        "server_key": anything_or(texts),
    },
)
reminder_sent = st.fixed_dictionaries(
    {"occurrence": anything_or(iso_moments())},
    optional={
        "status": anything_or(choices(["sent", "failed", "claimed"])),
        "attempts": anything_or(st.integers(-1, 200)),
        "delivered": anything_or(st.lists(choices(["email", "push"]), max_size=3)),
        "note": anything_or(texts),
    },
)
reminders = st.fixed_dictionaries(
    {},
    optional={
        "plan": st.one_of(st.none(), reminder_plan),
        "calendar_feed": json_values,
        "push_subscriptions": st.one_of(st.lists(browser, max_size=2), json_values),
        "sent": st.one_of(st.lists(reminder_sent, max_size=3), json_values),
    },
)


def section(records: st.SearchStrategy) -> st.SearchStrategy:
    # Mostly a list of records, sometimes anything at all in its place.
    return st.one_of(st.lists(records, max_size=3), st.lists(records, max_size=3), json_values)


documents = st.fixed_dictionaries(
    {"format": st.just("facetrack-export"), "version": st.one_of(st.just(1), json_values)},
    optional={
        "profile": st.one_of(profile, json_values),
        "tools": section(tool),
        "products": section(product),
        "routines": section(routine),
        "sessions": section(session),
        "rest_weeks": section(
            st.fixed_dictionaries(
                {"week_start": anything_or(days)}, optional={"reason": anything_or(texts)}
            )
        ),
        "photos": section(photo),
        "reminders": st.one_of(reminders, reminders, json_values),
        "health_check": st.one_of(health_check, json_values),
    },
)


def zipped(data_json: bytes, photos: dict[str, bytes]) -> SimpleUploadedFile:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("data.json", data_json)
        for name, content in photos.items():
            archive.writestr(name, content)
    return SimpleUploadedFile("export.zip", out.getvalue(), content_type="application/zip")


class TestImportingAnExport(FuzzCase):
    @given(
        document=documents,
        photos=st.dictionaries(st.sampled_from(["photos/a.jpg", "photos/b.jpg"]), image_bytes),
        raw=st.one_of(st.none(), st.none(), st.binary(max_size=200), texts.map(str.encode)),
    )
    def test_an_export_of_any_shape(self, document, photos, raw):
        world = make_world()
        newcomer = User.objects.create_user("newcomer")
        self.client.force_login(newcomer)
        data_json = raw if raw is not None else json.dumps(document).encode()
        self.submit(reverse("tracker:data-import"), {"archive": zipped(data_json, photos)})
        # Nothing of anyone else's changes, whatever came in.
        self.assertEqual(world.other.profile.timezone, "UTC")

    @given(document=documents)
    def test_an_export_into_an_account_that_holds_something(self, document):
        world = make_world()
        self.client.force_login(world.owner)
        data = zipped(json.dumps(document).encode(), {"photos/a.jpg": JPEG})
        response = self.submit(reverse("tracker:data-import"), {"archive": data})
        self.assertEqual(response.status_code, 200)

    @given(upload=st.binary(max_size=500))
    def test_a_file_that_is_not_a_zip(self, upload):
        make_world()
        newcomer = User.objects.create_user("newcomer")
        self.client.force_login(newcomer)
        self.submit(
            reverse("tracker:data-import"),
            {"archive": SimpleUploadedFile("export.zip", upload)},
        )


LOOP_VALUES = st.sampled_from(["2", "YES_MANUAL", "1", "YES_AUTO", "0", "NO", "-1", "3", ""])
loop_rows = st.lists(
    st.tuples(
        st.one_of(valid_days(), days),
        st.one_of(LOOP_VALUES, texts),
        st.one_of(st.just(""), texts, st.integers(0, 6).map(lambda n: "n" * 10**n)),
    ),
    max_size=8,
)


def csv_text(rows, header: str, line_end: str, quote: bool) -> str:
    def cell(text: str) -> str:
        return '"' + text.replace('"', '""') + '"' if quote else text

    lines = [header] if header else []
    lines += [",".join(cell(value) for value in row) for row in rows]
    return line_end.join(lines) + line_end


class TestImportingFromLoop(FuzzCase):
    @given(
        rows=loop_rows,
        header=st.sampled_from(["Date,Value,Notes", "Date,Massage", "Date,A,B", "", "\ufeffDate"]),
        line_end=st.sampled_from(["\n", "\r\n", "\r", "\n\r", "\x00"]),
        quote=st.booleans(),
        encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "latin-1"]),
        zone=st.sampled_from(["UTC", "Pacific/Pago_Pago", "Pacific/Kiritimati"]),
    )
    def test_a_checkmarks_file_of_any_form(self, rows, header, line_end, quote, encoding, zone):
        world = make_world(zone=zone)
        self.client.force_login(world.owner)
        text = csv_text(rows, header, line_end, quote)
        content = text.encode(encoding, errors="replace")
        upload = SimpleUploadedFile("Checkmarks.csv", content, content_type="text/csv")
        self.submit(reverse("tracker:data-import-loop"), {"checkmarks": upload})

    @given(content=st.binary(max_size=300))
    def test_bytes_that_are_no_csv_at_all(self, content):
        world = make_world()
        self.client.force_login(world.owner)
        upload = SimpleUploadedFile("Checkmarks.csv", content, content_type="text/csv")
        self.submit(reverse("tracker:data-import-loop"), {"checkmarks": upload})


def test_the_fuzzing_world_gives_each_person_something_of_every_kind(db):
    owner = User.objects.create_user("someone")

    assert set(things_of(owner)) >= {"tool", "product", "routine", "session", "photo", "rest"}
