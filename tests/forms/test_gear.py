import pytest

from tests.factories import tool_data
from tracker.forms import ToolForm


@pytest.mark.parametrize("kind", ["facial_cup", "vibration", "microcurrent", "jade_roller"])
def test_a_tool_takes_the_new_kinds_and_the_old_ones_still(kind: str):
    assert ToolForm(tool_data(kind=kind)).is_valid()
