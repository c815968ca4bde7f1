import pytest

from tests.factories import make_tool, step_data
from tracker.forms import StepForm

pytestmark = pytest.mark.django_db


def test_a_step_cannot_use_another_users_tool(user, other_user):
    theirs = make_tool(other_user)
    form = StepForm(step_data(seconds="60", tool=str(theirs.pk)), user=user)

    assert not form.is_valid()
    assert "tool" in form.errors


@pytest.mark.parametrize("area", ["mouth", "collarbone", "cheeks"])
def test_a_step_takes_the_new_areas_and_the_old_ones_still(user, area: str):
    assert StepForm(step_data(area=area), user=user).is_valid()
