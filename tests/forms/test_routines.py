import pytest

from tests.factories import make_tool, step_data
from tracker.forms import StepForm

pytestmark = pytest.mark.django_db


def test_a_step_cannot_use_another_users_tool(user, other_user):
    theirs = make_tool(other_user)
    form = StepForm(step_data(seconds="60", tool=str(theirs.pk)), user=user)

    assert not form.is_valid()
    assert "tool" in form.errors
