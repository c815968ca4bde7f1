from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from django.contrib.auth.models import User
from time_machine import TimeMachineFixture

from tests.factories import give_verified_email, make_reminder_plan
from tracker.models import ReminderPlan


@pytest.fixture
def paris_user(make_user) -> User:
    """Someone in Paris whose account has an address (verified)."""
    user = make_user("alice", timezone="Europe/Paris")
    give_verified_email(user, "alice@example.org")
    return user


@pytest.fixture
def plan_due_at(time_machine: TimeMachineFixture) -> Callable[..., ReminderPlan]:
    """A plan saved the evening before `moment`, so that `moment` is its next reminder.

    The clocks stay stopped on that evening until the test moves them on.
    """

    def make(moment: datetime, owner, **plan) -> ReminderPlan:
        time_machine.move_to(moment - timedelta(hours=10), tick=False)
        made = make_reminder_plan(owner, **plan)
        assert made.next_due_at == moment
        return made

    return make
