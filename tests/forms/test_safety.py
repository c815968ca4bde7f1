"""The reaction, the "before you start" answers, and the confirmation a reacted product needs."""

from datetime import date, timedelta

import pytest

from tests.factories import make_product, make_session, session_data
from tracker.forms import HealthCheckForm, ReactionForm, SessionForm
from tracker.models import Product, Reaction

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 18)


@pytest.mark.parametrize(
    ("value", "days_ago", "valid"),
    [
        ("breakout", 0, True),
        ("none", 7, True),
        ("breakout", 8, False),
        # Not recorded is where a session starts, not an answer one can tap.
        ("", 0, False),
        ("sunburn", 0, False),
    ],
)
def test_a_reaction_is_one_of_the_answers_within_seven_days(
    user, now, value: str, days_ago: int, valid: bool
):
    session = make_session(user, now - timedelta(days=days_ago))

    form = ReactionForm({"reaction": value}, session=session, today=TODAY)

    assert form.is_valid() is valid
    assert Reaction.NOT_RECORDED not in [v for v, _label in form.fields["reaction"].choices]


def test_unknown_answers_to_the_check_are_ignored_not_refused():
    form = HealthCheckForm({"conditions": ["pregnancy", "third_eye"], "agree": "on"})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["conditions"] == ["pregnancy"]


def test_a_product_that_reacted_needs_add_it_anyway_but_not_on_an_edit_that_keeps_it(user, now):
    reacted = make_product(user, "Coconut oil", patch_test=Product.PatchTest.REACTED)
    data = session_data(products=[reacted.pk])

    assert "products" in SessionForm(data, user=user).errors
    assert SessionForm({**data, "add_reacted": "on"}, user=user).is_valid()

    session = make_session(user, now, products=[reacted])
    edit = SessionForm(data, user=user, instance=session)
    assert edit.is_valid(), edit.errors
    assert "add_reacted" not in edit.cleaned_data
