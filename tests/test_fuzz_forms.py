"""Every form, fuzzed through its view: valid and hostile values (huge, negative, NUL, control
characters, far dates, other people's ids, several values where one is expected). No 500, and
a refused input changes neither the database nor the media folder.
"""

from datetime import date, timedelta

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import make_session
from tests.fuzzing import (
    JPEG,
    FuzzCase,
    choices,
    days,
    flags,
    form_data,
    ids,
    image_bytes,
    make_world,
    moments,
    numbers,
    sent,
    texts,
    upload,
    valid_days,
    valid_moments,
)
from tracker import undo
from tracker.forms import timezone_choices
from tracker.models import (
    Area,
    HealthCondition,
    Pressure,
    Product,
    ProgressPhoto,
    Reaction,
    ReminderPlan,
    Technique,
    Tool,
)

TECHNIQUES, AREAS = list(Technique.values), list(Area.values)

session_form = form_data(
    valid={
        "performed_at": valid_moments(),
        "minutes": st.integers(1, 180).map(str),
        "pressure": st.sampled_from(Pressure.values),
        "reaction": st.sampled_from(Reaction.values),
    },
    hostile={
        "performed_at": moments,
        "minutes": numbers,
        "pressure": choices(Pressure.values),
        "reaction": choices(Reaction.values),
        "techniques": choices(TECHNIQUES),
        "areas": choices(AREAS),
        "routine": ids,
        "tools": ids,
        "products": ids,
        "cleansed_skin": flags,
        "clean_hands_and_tools": flags,
        "used_slip": flags,
        "rating": numbers,
        "notes": texts,
        "client_id": st.one_of(st.uuids().map(str), texts),
        "add_reacted": flags,
    },
)
SESSION_IDS = {"routine": "routine", "tools": "tool", "products": "product"}


class TestSessionForms(FuzzCase):
    @given(data=session_form)
    def test_logging_a_session(self, data):
        world = make_world()
        self.client.force_login(world.owner)
        self.submit(reverse("tracker:session-new"), world.ids_in(data, SESSION_IDS))

    @given(data=session_form)
    def test_editing_a_session(self, data):
        world = make_world(zone="Pacific/Kiritimati")
        self.client.force_login(world.owner)
        url = reverse("tracker:session-edit", args=[world.own["session"].pk])
        self.submit(url, world.ids_in(data, SESSION_IDS))

    @given(
        data=st.fixed_dictionaries(
            {},
            optional={
                "performed_at": moments,
                "client_id": st.one_of(st.uuids(), texts),
                # A guided session's: the minutes spent and the steps done.
                "minutes": sent(st.one_of(st.integers(1, 180).map(str), numbers)),
                "steps": sent(ids),
            },
        )
    )
    def test_logging_from_a_routine_with_one_tap_or_after_a_guided_session(self, data):
        world = make_world(zone="Pacific/Pago_Pago")
        self.client.force_login(world.owner)
        url = reverse("tracker:log-routine", args=[world.own["routine"].pk])
        self.submit(url, world.ids_in(data, {"steps": "step"}))

    @given(week=st.one_of(days, numbers))
    def test_showing_one_week_of_history(self, week):
        world = make_world(week_start=2)
        self.client.force_login(world.owner)
        self.submit(reverse("tracker:history"), {"week": week}, get=True)


class TestRoutineForms(FuzzCase):
    routine_form = form_data(
        valid={"name": st.text(min_size=1, max_size=80).filter(str.strip)},
        hostile={"name": texts, "description": texts, "products": ids, "add_reacted": flags},
    )

    @given(data=routine_form)
    def test_adding_a_routine(self, data):
        world = make_world()
        self.client.force_login(world.owner)
        self.submit(reverse("tracker:routine-new"), world.ids_in(data, {"products": "product"}))

    @given(data=routine_form)
    def test_editing_a_routine(self, data):
        world = make_world()
        self.client.force_login(world.owner)
        url = reverse("tracker:routine-detail", args=[world.own["routine"].pk])
        self.submit(url, world.ids_in(data, {"products": "product"}))

    step_form = form_data(
        valid={
            "technique": st.sampled_from(TECHNIQUES),
            "area": st.sampled_from(AREAS),
            "seconds": st.integers(5, 1800).map(str),
        },
        hostile={
            "technique": choices(TECHNIQUES),
            "area": choices(AREAS),
            "seconds": numbers,
            "tool": ids,
            "instruction": texts,
        },
    )

    @given(data=step_form)
    def test_adding_a_step(self, data):
        world = make_world()
        self.client.force_login(world.owner)
        url = reverse("tracker:step-add", args=[world.own["routine"].pk])
        self.submit(url, world.ids_in(data, {"tool": "tool"}))

    @given(data=step_form)
    def test_editing_a_step(self, data):
        world = make_world()
        self.client.force_login(world.owner)
        url = reverse("tracker:step-edit", args=[world.own["step"].pk])
        self.submit(url, world.ids_in(data, {"tool": "tool"}))


class TestGearForms(FuzzCase):
    @given(
        data=form_data(
            valid={
                "name": st.text(min_size=1, max_size=80).filter(str.strip),
                "kind": st.sampled_from(Tool.Kind.values),
            },
            hostile={
                "name": texts,
                "kind": choices(Tool.Kind.values),
                "material": texts,
                "last_cleaned_on": st.one_of(valid_days(), days),
            },
        ),
        edit=st.booleans(),
    )
    def test_adding_or_editing_a_tool(self, data, edit):
        world = make_world()
        self.client.force_login(world.owner)
        args = ["tools", world.own["tool"].pk] if edit else ["tools"]
        self.submit(reverse("tracker:gear-edit" if edit else "tracker:gear-new", args=args), data)

    @given(
        data=form_data(
            valid={
                "name": st.text(min_size=1, max_size=80).filter(str.strip),
                "kind": st.sampled_from(Product.Kind.values),
                "patch_test": st.sampled_from(Product.PatchTest.values),
            },
            hostile={
                "name": texts,
                "kind": choices(Product.Kind.values),
                "key_ingredients": texts,
                "patch_test": choices(Product.PatchTest.values),
                "opened_on": st.one_of(valid_days(), days),
                "patch_test_started_on": st.one_of(valid_days(), days),
            },
        ),
        edit=st.booleans(),
    )
    def test_adding_or_editing_a_product(self, data, edit):
        world = make_world()
        self.client.force_login(world.owner)
        args = ["products", world.own["product"].pk] if edit else ["products"]
        self.submit(reverse("tracker:gear-edit" if edit else "tracker:gear-new", args=args), data)


PHOTO_DETAILS = {
    "angle": choices(ProgressPhoto.Angle.values),
    "timing": choices(ProgressPhoto.Timing.values),
    "taken_at": st.one_of(valid_moments(), moments),
    "note": texts,
    "session": ids,
}


class TestPhotoForms(FuzzCase):
    @given(
        data=form_data(
            valid={
                "angle": st.sampled_from(ProgressPhoto.Angle.values),
                "timing": st.sampled_from(ProgressPhoto.Timing.values),
            },
            hostile=PHOTO_DETAILS,
        ),
        photos=st.one_of(
            st.lists(st.just(JPEG), min_size=1, max_size=2), st.lists(image_bytes, max_size=3)
        ),
    )
    def test_uploading_photos(self, data, photos):
        world = make_world()
        self.client.force_login(world.owner)
        data = world.ids_in(data, {"session": "session"})
        data["photos"] = [upload(content) for content in photos]
        self.submit(reverse("tracker:photo-new"), data)

    @given(
        data=form_data(
            valid={
                "taken_at": valid_moments(),
                "angle": st.sampled_from(ProgressPhoto.Angle.values),
                "timing": st.sampled_from(ProgressPhoto.Timing.values),
            },
            hostile=PHOTO_DETAILS,
        )
    )
    def test_editing_a_photo(self, data):
        world = make_world(zone="America/St_Johns")
        self.client.force_login(world.owner)
        url = reverse("tracker:photo-edit", args=[world.own["photo"].pk])
        self.submit(url, world.ids_in(data, {"session": "session"}))


class TestUndo(FuzzCase):
    @given(
        data=st.fixed_dictionaries(
            {}, optional={"token": sent(st.one_of(texts, st.just("real"))), "next": texts}
        ),
        kind=st.sampled_from(["session", "rest week", "step"]),
    )
    def test_undoing_with_any_token(self, data, kind):
        world = make_world()
        self.client.force_login(world.owner)
        owner = world.owner
        if kind == "session":
            offer = undo.session_removed(owner, world.own["session"].remove(), "then")
        elif kind == "rest week":
            offer = undo.rest_week_removed(owner, world.own["rest"].remove())
        else:
            offer = undo.step_removed(owner, world.own["step"].remove(), 1, "the first")
        if data.get("token") == "real":
            data["token"] = offer.token
        self.submit(reverse("tracker:undo"), data)


ZONE_NAMES = [name for name, _label in timezone_choices()]


class TestAccountForms(FuzzCase):
    @given(
        data=form_data(
            valid={
                "timezone": st.sampled_from(ZONE_NAMES),
                "week_start": st.integers(0, 6).map(str),
                "target_min": st.integers(1, 3).map(str),
                "target_stretch": st.integers(3, 21).map(str),
                "target_minutes": st.integers(1, 180).map(str),
            },
            hostile={
                "timezone": choices(["Etc/GMT-14", "SystemV/AST4", "Mars/Olympus", "EST"]),
                "week_start": numbers,
                "target_min": numbers,
                "target_stretch": numbers,
                "target_minutes": numbers,
            },
        )
    )
    def test_changing_the_settings(self, data):
        world = make_world()
        self.client.force_login(world.owner)
        self.submit(reverse("tracker:profile"), data)

    @given(
        data=form_data(
            valid={"week_start": valid_days()},
            hostile={"week_start": days, "reason": texts, "next": texts},
        )
    )
    def test_marking_a_rest_week(self, data):
        world = make_world(week_start=3)
        self.client.force_login(world.owner)
        self.submit(reverse("tracker:rest-week-add"), data)

    @given(password=st.one_of(texts, st.just("correct horse battery staple")))
    def test_deleting_the_account(self, password):
        world = make_world()
        self.client.force_login(world.owner)
        url = reverse("tracker:account-delete")
        response = self.submit(url, {"password": password}, check_pages=False)
        # Accepted, it leaves nothing of the person's; the other person keeps everything.
        gone = not type(world.owner).objects.filter(pk=world.owner.pk).exists()
        self.assertEqual(gone, not self.refused(response))
        self.assertTrue(Tool.objects.filter(owner=world.other).exists())


class TestReminderForms(FuzzCase):
    @given(
        data=form_data(
            valid={
                "reminder-days": st.lists(
                    st.integers(0, 6).map(str), min_size=1, max_size=7, unique=True
                ),
                "reminder-at": st.times().map(lambda moment: moment.strftime("%H:%M")),
                "reminder-mode": st.sampled_from(ReminderPlan.Mode.values),
            },
            hostile={
                "reminder-days": choices([str(day) for day in range(-1, 9)]),
                "reminder-at": st.one_of(st.sampled_from(["24:00", "08:00+01:00"]), texts),
                "reminder-mode": choices(ReminderPlan.Mode.values),
                "reminder-by_email": flags,
            },
        ),
        address=st.booleans(),
        zone=st.sampled_from(["Europe/Berlin", "Pacific/Kiritimati", "Pacific/Pago_Pago"]),
    )
    def test_saving_a_reminder_plan(self, data, address, zone):
        world = make_world(zone=zone)
        world.owner.email = "fuzzed@example.org" if address else ""
        world.owner.save()
        self.client.force_login(world.owner)
        response = self.submit(reverse("tracker:reminder-plan"), data)
        if not self.refused(response):
            # Accepted, the plan is one the scheduler can work with.
            plan = ReminderPlan.objects.get(owner=world.owner)
            self.assertTrue(plan.weekdays and set(plan.days) <= set(range(7)))
            self.assertIsNotNone(plan.next_due_at)
            self.assertTrue(address or not plan.by_email)


class TestSafetyForms(FuzzCase):
    @given(
        data=form_data(
            valid={"reaction": st.sampled_from(Reaction.values)},
            hostile={"reaction": choices(Reaction.values)},
        ),
        # Around the end of the 7 days a reaction can be added, in a zone a day ahead of UTC.
        hours_ago=st.integers(0, 9 * 24),
        whose=st.sampled_from(["own", "other"]),
    )
    def test_recording_a_reaction(self, data, hours_ago, whose):
        world = make_world(zone="Pacific/Kiritimati")
        owner = world.owner if whose == "own" else world.other
        session = make_session(owner, timezone.now() - timedelta(hours=hours_ago))
        self.client.force_login(world.owner)
        self.submit(reverse("tracker:session-reaction", args=[session.pk]), data)

    @given(
        data=form_data(
            valid={"conditions": st.lists(st.sampled_from(HealthCondition.values), max_size=6)},
            hostile={"conditions": choices(HealthCondition.values), "agree": flags},
        )
    )
    def test_answering_the_check_before_you_start(self, data):
        world = make_world()
        self.client.force_login(world.owner)
        self.submit(reverse("tracker:health-check"), data)

    @given(
        action=st.sampled_from(["patch-test-start", "product-pause", "product-resume"]),
        product=ids,
        data=form_data(valid={}, hostile={"next": texts}),
    )
    def test_caring_for_a_product(self, action, product, data):
        world = make_world()
        self.client.force_login(world.owner)
        pk = world.ids_in({"product": product}, {"product": "product"})["product"]
        try:
            url = reverse(f"tracker:{action}", args=[pk])
        except NoReverseMatch:
            return  # Not an address of the app: nothing to send.
        self.submit(url, data)


coordinates = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.floats(0, 20).map(str),
    numbers,
)


class TestIsItWorkingForms(FuzzCase):
    @given(
        data=form_data(
            valid={
                "first_x": st.floats(0, 16).map(str),
                "first_y": st.floats(0, 12).map(str),
                "second_x": st.floats(0, 16).map(str),
                "second_y": st.floats(0, 12).map(str),
            },
            hostile={
                "first_x": coordinates,
                "first_y": coordinates,
                "second_x": coordinates,
                "second_y": coordinates,
                "forget": flags,
            },
        ),
        whose=st.sampled_from(["own", "other"]),
    )
    def test_marking_the_eyes(self, data, whose):
        world = make_world()
        self.client.force_login(world.owner)
        photo = (world.own if whose == "own" else world.theirs)["photo"]
        self.submit(reverse("tracker:photo-eyes", args=[photo.pk]), data)

    @given(
        data=form_data(
            valid={
                "change": st.sampled_from(["product", "routine", "technique", "frequency"]),
                "product": st.just("own"),
                "routine": st.just("own"),
                "technique": st.sampled_from(TECHNIQUES),
                "sessions_per_week": st.integers(1, 14).map(str),
                "started_on": valid_days(),
                "weeks": st.integers(1, 26).map(str),
            },
            hostile={
                "change": choices(["product", "routine", "technique", "frequency"]),
                "product": ids,
                "routine": ids,
                "technique": choices(TECHNIQUES),
                "sessions_per_week": numbers,
                "note": texts,
                "started_on": days,
                "weeks": numbers,
                "angle": choices(ProgressPhoto.Angle.values),
            },
        )
    )
    def test_starting_an_experiment(self, data):
        world = make_world(zone="Pacific/Kiritimati")
        self.client.force_login(world.owner)
        data = world.ids_in(data, {"product": "product", "routine": "routine"})
        self.submit(reverse("tracker:experiments"), data)

    @given(ended_on=st.one_of(valid_days(), days), whose=st.sampled_from(["own", "other"]))
    def test_ending_an_experiment(self, ended_on, whose):
        from tests.factories import make_experiment

        world = make_world()
        owner = world.owner if whose == "own" else world.other
        experiment = make_experiment(owner, started_on=date(2025, 1, 6))
        self.client.force_login(world.owner)
        self.submit(reverse("tracker:experiment-end", args=[experiment.pk]), {"ended_on": ended_on})


def test_the_fuzzed_forms_cover_every_form_with_fields_a_person_fills_in():
    # A new form needs its fuzz test: this list names the ones that have one. The account forms
    # (tracker/forms/auth.py, allauth's forms in our words) are fuzzed in
    # tests/test_fuzz_auth_forms.py, which also says which of allauth's own forms are not.
    from django import forms as django_forms

    from tracker import forms
    from tracker.forms import auth

    fuzzed = {
        "SessionForm",
        "OneTapLogForm",
        "RoutineLogForm",
        "WeekFilterForm",
        "RoutineForm",
        "StepForm",
        "ToolForm",
        "ProductForm",
        "PhotoUploadForm",
        "PhotoForm",
        "ProfileForm",
        "RestWeekForm",
        "AccountDeleteForm",
        "ReminderPlanForm",
        "ReactionForm",
        "HealthCheckForm",
        "EyeMarksForm",
        "ExperimentForm",
        "ExperimentEndForm",
        "ImportArchiveForm",  # tests/test_fuzz_imports.py
        "LoopImportForm",  # tests/test_fuzz_imports.py
        # tests/test_fuzz_auth_forms.py
        "SignupForm",
        "LoginForm",
        "ResetPasswordForm",
        "ResetPasswordKeyForm",
        "RequestLoginCodeForm",
        "AuthenticateForm",
        "AuthenticatePasskeyForm",
        "LoginPasskeyForm",
        "ReauthenticateForm",
        "ReauthenticatePasskeyForm",
        "ChangePasswordForm",
        "SetPasswordForm",
        "AddEmailForm",
        "AddPasskeyForm",
        "RenamePasskeyForm",
    }
    every = {
        name
        for name in forms.__all__
        if isinstance(getattr(forms, name), type)
        and issubclass(getattr(forms, name), django_forms.BaseForm)
    } | {
        name
        for name, value in vars(auth).items()
        if isinstance(value, type)
        and issubclass(value, django_forms.BaseForm)
        and value.__module__ == auth.__name__
    }

    assert every == fuzzed
