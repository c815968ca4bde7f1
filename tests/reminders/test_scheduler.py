"""The scheduler: due reminders found, decided, claimed once, enqueued; old claims pruned."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.factories import (
    MONDAY_EIGHT_PARIS,
    give_verified_email,
    make_reminder_plan,
    make_session,
)
from tests.sqlite_file import database_shared_by_threads, run_together
from tests.task_worker import run_worker
from tracker.models import BackgroundRun, ReminderClaim, ReminderPlan, RestWeek
from tracker.reminders import scheduler
from tracker.reminders.scheduler import run_once
from tracker.reminders.tasks import send_reminder

pytestmark = pytest.mark.django_db(transaction=True)

SEND_TASK = send_reminder.module_path


# Finding and sending ------------------------------------------------------------------------


def test_a_due_reminder_is_claimed_enqueued_sent_by_the_worker_and_moved_to_the_next_day(
    paris_user, time_machine, plan_due_at
):
    plan = plan_due_at(MONDAY_EIGHT_PARIS, paris_user)

    time_machine.move_to(MONDAY_EIGHT_PARIS + timedelta(seconds=1), tick=False)
    report = run_once()
    run_worker()

    assert (report.due, report.claimed) == (1, 1)
    claim = ReminderClaim.objects.get()
    assert claim.occurrence == MONDAY_EIGHT_PARIS
    assert (claim.status, claim.delivered) == ("sent", ["email"])
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alice@example.org"]
    assert mail.outbox[0].body.startswith("0 of 2 this week, 7 days left.")
    plan.refresh_from_db()
    assert plan.next_due_at == MONDAY_EIGHT_PARIS + timedelta(days=1)


def test_nothing_is_sent_before_its_time(paris_user, time_machine, plan_due_at):
    plan_due_at(MONDAY_EIGHT_PARIS, paris_user)

    time_machine.move_to(MONDAY_EIGHT_PARIS - timedelta(seconds=1), tick=False)
    report = run_once()
    run_worker()

    assert report.due == 0
    assert not ReminderClaim.objects.exists()
    assert mail.outbox == []


@pytest.mark.parametrize(
    ("arrange", "reason"),
    [
        (lambda user: RestWeek.objects.mark(user, date(2027, 1, 6)), "rest week"),
        (
            lambda user: make_session(user, MONDAY_EIGHT_PARIS - timedelta(hours=1)),
            "a session that day",
        ),
    ],
    ids=["rest week", "session that day"],
)
def test_no_reminder_in_a_rest_week_or_on_a_day_that_has_a_session(
    paris_user, arrange, reason, time_machine, plan_due_at
):
    plan = plan_due_at(MONDAY_EIGHT_PARIS, paris_user)
    arrange(paris_user)

    time_machine.move_to(MONDAY_EIGHT_PARIS + timedelta(seconds=1), tick=False)
    report = run_once()
    run_worker()

    assert report.skipped == {reason: 1}
    assert not ReminderClaim.objects.exists()
    assert mail.outbox == []
    plan.refresh_from_db()
    assert plan.next_due_at == MONDAY_EIGHT_PARIS + timedelta(days=1)


def test_only_when_behind_waits_for_the_last_spare_day_and_stops_on_target(
    paris_user, time_machine, plan_due_at
):
    # Monday-first week, minimum 2: behind from Friday (three days left) on.
    plan_due_at(MONDAY_EIGHT_PARIS, paris_user, mode=ReminderPlan.Mode.WHEN_BEHIND)
    sent_on = []
    for day in range(7):
        moment = MONDAY_EIGHT_PARIS + timedelta(days=day, seconds=1)
        time_machine.move_to(moment, tick=False)
        if run_once().claimed:
            sent_on.append(moment.date())
        run_worker()
    assert sent_on == [date(2027, 1, 8), date(2027, 1, 9), date(2027, 1, 10)]

    # The next week: on target by Wednesday, so nothing at all.
    make_session(paris_user, MONDAY_EIGHT_PARIS + timedelta(days=7, hours=-2))
    make_session(paris_user, MONDAY_EIGHT_PARIS + timedelta(days=9, hours=-2))
    for day in range(7, 14):
        time_machine.move_to(MONDAY_EIGHT_PARIS + timedelta(days=day, seconds=1), tick=False)
        assert run_once().claimed == 0
    assert len(mail.outbox) == 3


def test_a_reminder_whose_time_passed_while_the_scheduler_was_down_is_dropped(
    paris_user, time_machine, plan_due_at
):
    plan = plan_due_at(MONDAY_EIGHT_PARIS, paris_user)

    time_machine.move_to(MONDAY_EIGHT_PARIS + timedelta(hours=3), tick=False)
    report = run_once()

    assert report.skipped == {"too late": 1}
    plan.refresh_from_db()
    assert plan.next_due_at == MONDAY_EIGHT_PARIS + timedelta(days=1)


def test_a_plan_with_nowhere_to_send_is_not_claimed(paris_user, time_machine, plan_due_at):
    plan_due_at(MONDAY_EIGHT_PARIS, paris_user, by_email=False)

    time_machine.move_to(MONDAY_EIGHT_PARIS + timedelta(seconds=1), tick=False)
    report = run_once()

    assert report.skipped == {"nowhere to send it": 1}


def test_reminders_turned_off_or_moved_to_another_zone_follow_at_once(
    paris_user, time_machine, plan_due_at
):
    plan = plan_due_at(MONDAY_EIGHT_PARIS, paris_user)

    time_machine.move_to(MONDAY_EIGHT_PARIS - timedelta(hours=2), tick=False)
    paris_user.profile.change_settings(timezone="America/New_York")
    plan.refresh_from_db()
    # 08:00 in New York on Monday: 13:00 UTC.
    assert plan.next_due_at == datetime(2027, 1, 4, 13, 0, tzinfo=UTC)
    plan.turn_off()
    time_machine.move_to(MONDAY_EIGHT_PARIS + timedelta(hours=6), tick=False)
    assert run_once().due == 0


# Never twice --------------------------------------------------------------------------------


def test_a_second_run_or_a_replayed_occurrence_sends_nothing_more(
    paris_user, time_machine, plan_due_at
):
    plan = plan_due_at(MONDAY_EIGHT_PARIS, paris_user)
    time_machine.move_to(MONDAY_EIGHT_PARIS + timedelta(seconds=1), tick=False)
    run_once()
    assert run_once().due == 0
    # As if another app server still saw the old time: the claim is there already.
    ReminderPlan.objects.filter(pk=plan.pk).update(next_due_at=MONDAY_EIGHT_PARIS)
    replay = run_once()
    run_worker()

    assert (replay.due, replay.claimed) == (1, 0)
    assert ReminderClaim.objects.count() == 1
    assert DBTaskResult.objects.filter(task_path=SEND_TASK).count() == 1
    assert len(mail.outbox) == 1


PEOPLE = 60


def test_two_schedulers_at_once_send_each_occurrence_once(make_user, tmp_path, time_machine):
    time_machine.move_to(MONDAY_EIGHT_PARIS - timedelta(hours=10), tick=False)
    with database_shared_by_threads(tmp_path):
        for n in range(PEOPLE):
            person = make_user(f"person{n}", timezone="Europe/Paris")
            give_verified_email(person, f"person{n}@example.org")
            make_reminder_plan(person)

        def scheduler_process():
            return run_once(MONDAY_EIGHT_PARIS + timedelta(seconds=1))

        reports = run_together(scheduler_process, scheduler_process)
        time_machine.move_to(MONDAY_EIGHT_PARIS + timedelta(seconds=2), tick=False)
        run_worker()

        assert not [r for r in reports if isinstance(r, Exception)]
        assert sum(report.claimed for report in reports) == PEOPLE
        assert ReminderClaim.objects.count() == PEOPLE
        assert DBTaskResult.objects.filter(task_path=SEND_TASK).count() == PEOPLE
        assert sorted(m.to[0] for m in mail.outbox) == sorted(
            f"person{n}@example.org" for n in range(PEOPLE)
        )


# Housekeeping -------------------------------------------------------------------------------


def test_claims_and_finished_task_results_older_than_a_month_are_pruned(paris_user):
    old, recent = timezone.now() - timedelta(days=31), timezone.now() - timedelta(days=29)
    ReminderClaim.objects.claim([(paris_user.pk, old), (paris_user.pk, recent)])
    for finished in (old, recent):
        result = send_reminder.enqueue(0)
        DBTaskResult.objects.filter(pk=result.id).update(status="SUCCESSFUL", finished_at=finished)
    waiting = send_reminder.enqueue(0)

    report = run_once()

    assert report.pruned == 2
    assert list(ReminderClaim.objects.values_list("occurrence", flat=True)) == [recent]
    assert DBTaskResult.objects.filter(finished_at=recent).exists()
    assert DBTaskResult.objects.filter(pk=waiting.id).exists()
    # Once an hour is enough.
    assert run_once().pruned == 0


def test_each_run_wakes_the_worker_once_and_both_record_their_last_run():
    run_once()
    run_once()
    assert DBTaskResult.objects.ready().count() == 1
    assert set(BackgroundRun.objects.values_list("name", flat=True)) == {"scheduler", "pruning"}

    run_worker()

    assert set(BackgroundRun.objects.values_list("name", flat=True)) == {
        "scheduler",
        "pruning",
        "worker",
    }


def test_ten_plans_in_one_batch_take_a_constant_number_of_queries(
    make_user, django_assert_num_queries, monkeypatch, time_machine
):
    time_machine.move_to(MONDAY_EIGHT_PARIS - timedelta(hours=10), tick=False)
    for n in range(10):
        person = make_user(f"person{n}", timezone="Europe/Paris")
        make_reminder_plan(person, by_email=n % 2 == 0)
        if n % 3 == 0:
            make_session(person, MONDAY_EIGHT_PARIS - timedelta(hours=1))
    monkeypatch.setattr(scheduler, "prune", lambda: 0)

    BackgroundRun.objects.record("scheduler")
    # BEGIN, the plans, their sessions and rest weeks, the claims in and back, one insert for
    # each task, the plans moved on, COMMIT; is the worker's heartbeat waiting, enqueue it;
    # the scheduler's last run.
    with django_assert_num_queries(6 + 3 + 2 + 2 + 1):
        report = run_once(MONDAY_EIGHT_PARIS + timedelta(seconds=1))

    assert report.due == 10
    assert report.claimed == 3  # people 2, 4 and 8: email on, no session that day
