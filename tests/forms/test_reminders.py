from datetime import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import give_verified_email, make_user
from tests.properties import no_writes, posted, rolled_back, text_or
from tracker.forms import ReminderPlanForm
from tracker.models import ReminderPlan

pytestmark = pytest.mark.django_db

VALID = {"reminder-days": ["0"], "reminder-at": "08:00", "reminder-mode": "always"}


def test_a_plan_of_days_a_time_and_a_mode_is_valid(user):
    data = {**VALID, "reminder-days": ["4", "0", "4"]}
    form = ReminderPlanForm(data, user=user)

    assert form.is_valid(), form.errors
    assert form.cleaned_data == {
        "days": [4, 0, 4],
        "at": time(8),
        "mode": "always",
        "by_email": False,
    }


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("days", None, "Choose at least one day."),
        ("days", ["7"], "Select a valid choice."),
        ("days", "1", "Enter a list of values."),
        ("at", "24:00", "Enter a time such as 08:00."),
        ("at", "08:00+02:00", "Enter a time such as 08:00."),
        ("at", "", "Enter a time."),
        ("mode", "sometimes", "Select a valid choice."),
    ],
)
def test_a_plan_that_is_not_one_is_refused_with_a_message(user, field, value, error):
    data = {**VALID, f"reminder-{field}": value}
    if value is None:
        del data[f"reminder-{field}"]
    form = ReminderPlanForm(data, user=user)

    assert not form.is_valid()
    assert error in " ".join(form.errors[field])


def test_email_is_offered_only_with_a_verified_address(user):
    form = ReminderPlanForm({**VALID, "reminder-by_email": "on"}, user=user)
    assert form.fields["by_email"].disabled
    assert form.is_valid() and form.cleaned_data["by_email"] is False

    give_verified_email(user, "alice@example.org")
    form = ReminderPlanForm({**VALID, "reminder-by_email": "on"}, user=user)
    assert form.is_valid() and form.cleaned_data["by_email"] is True


# Whatever is posted

PLAN_FIELDS = {
    "reminder-days": text_or(st.integers(-1, 8).map(str), st.sampled_from(["1.0", " 1", "\u0661"])),
    "reminder-at": text_or(
        st.times().map(lambda moment: moment.strftime("%H:%M")),
        st.sampled_from(["24:00", "8:00", "08:00:00", "08:00:60", "08:00+01:00", "0800"]),
    ),
    "reminder-mode": text_or(st.sampled_from(ReminderPlan.Mode.values)),
    "reminder-by_email": text_or(st.just("on")),
}


POSTED = {"reminder-days": "0", "reminder-at": "08:00", "reminder-mode": "always"}


def test_the_property_below_draws_every_field_of_the_form():
    assert set(PLAN_FIELDS) == {f"reminder-{name}" for name in ReminderPlanForm.base_fields}


@pytest.mark.django_db
@given(data=posted(PLAN_FIELDS, base=POSTED), address=st.booleans(), week_start=st.integers(0, 6))
def test_whatever_is_posted_the_plan_form_neither_fails_nor_writes(data, address, week_start):
    with rolled_back():
        user = make_user("alice", week_start=week_start)
        if address:
            give_verified_email(user, "alice@example.org")

        with no_writes():
            form = ReminderPlanForm(data, user=user)
            valid = form.is_valid()
            form.as_div()

        if valid:
            cleaned = form.cleaned_data
            assert cleaned["days"] and set(cleaned["days"]) <= set(range(7))
            assert isinstance(cleaned["at"], time) and cleaned["at"].tzinfo is None
            assert cleaned["mode"] in ReminderPlan.Mode.values
            assert address or cleaned["by_email"] is False
