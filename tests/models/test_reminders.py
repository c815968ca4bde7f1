"""The reminder models: a plan's next reminder, and the claim that sends each one once."""

from datetime import UTC, datetime, time, timedelta

import pytest

from tests.factories import MONDAY_EIGHT_PARIS, make_reminder_plan
from tests.sqlite_file import database_shared_by_threads, run_together
from tracker.models import ReminderClaim, ReminderPlan

PEOPLE = 60


def test_a_plan_keeps_its_next_reminder_in_the_persons_zone(make_user, time_machine):
    time_machine.move_to(MONDAY_EIGHT_PARIS - timedelta(hours=10), tick=False)
    person = make_user("alice", timezone="Europe/Paris")

    plan = make_reminder_plan(person, days=[0, 2], at=time(8))

    assert plan.next_due_at == MONDAY_EIGHT_PARIS
    assert plan.day_names() == "Monday and Wednesday"
    plan.turn_off()
    assert (plan.enabled, plan.next_due_at, plan.days) == (False, None, [0, 2])
    make_reminder_plan(person, days=[4])
    assert ReminderPlan.objects.get().next_due_at == datetime(2027, 1, 8, 7, 0, tzinfo=UTC)


def test_a_new_time_zone_moves_the_next_reminder_with_it(make_user, client_for, time_machine):
    alice = make_user("alice", timezone="Europe/Paris")
    time_machine.move_to(datetime(2027, 1, 4, 12, tzinfo=UTC), tick=False)
    plan = make_reminder_plan(alice, days=[2])
    alice.profile.change_settings(timezone="Asia/Tokyo")
    plan.refresh_from_db()
    assert plan.next_due_at == datetime(2027, 1, 5, 23, tzinfo=UTC)  # Wednesday 08:00 in Tokyo


@pytest.mark.django_db(transaction=True)
def test_two_claims_of_the_same_occurrences_at_once_share_them_out(make_user, tmp_path):
    # Below the scheduler's row locks: the unique claim alone decides, under real concurrency.
    with database_shared_by_threads(tmp_path):
        people = [make_user(f"person{n}").pk for n in range(PEOPLE)]
        pairs = [(pk, MONDAY_EIGHT_PARIS) for pk in people]

        def claim():
            return {c.owner_id for c in ReminderClaim.objects.claim(pairs)}

        won = run_together(claim, claim)

        assert not [w for w in won if isinstance(w, Exception)], won
        assert won[0].isdisjoint(won[1])
        assert won[0] | won[1] == set(people)
