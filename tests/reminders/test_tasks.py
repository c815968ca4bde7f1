"""The worker's task: a claimed reminder decided again, sent, retried with the same claim."""

from datetime import timedelta

import pytest
from django.core import mail
from django_tasks_db.models import DBTaskResult

from tests.factories import MONDAY_EIGHT_PARIS, make_session
from tests.task_worker import run_worker
from tracker.models import ReminderClaim
from tracker.reminders import tasks
from tracker.reminders.mail import TransientEmailFailure, send_email
from tracker.reminders.scheduler import run_once
from tracker.reminders.tasks import send_reminder

pytestmark = pytest.mark.django_db(transaction=True)

SEND_TASK = send_reminder.module_path


@pytest.fixture
def claimed(paris_user, plan_due_at, time_machine) -> None:
    """A reminder the scheduler has claimed and enqueued, one second after its time."""
    plan_due_at(MONDAY_EIGHT_PARIS, paris_user)
    time_machine.move_to(MONDAY_EIGHT_PARIS + timedelta(seconds=1), tick=False)
    run_once()


def test_a_session_logged_after_the_claim_but_before_the_send_stops_the_reminder(
    paris_user, claimed
):
    make_session(paris_user, MONDAY_EIGHT_PARIS)
    run_worker()

    assert ReminderClaim.objects.get().status == "skipped"
    assert mail.outbox == []


def test_a_transient_failure_is_retried_with_the_same_claim(claimed, settings, monkeypatch):
    settings.REMINDER_RETRY_DELAYS = (0, 0, 0)
    calls = []

    def flaky(*args):
        calls.append(args)
        if len(calls) < 3:
            raise TransientEmailFailure("mail server unreachable: ConnectionRefusedError")
        send_email(*args)

    monkeypatch.setattr(tasks, "send_email", flaky)
    run_worker()

    claim = ReminderClaim.objects.get()
    assert (claim.status, claim.attempts, claim.delivered) == ("sent", 3, ["email"])
    assert len(calls) == 3
    assert len(mail.outbox) == 1
    assert DBTaskResult.objects.filter(task_path=SEND_TASK).count() == 3


def test_a_failure_that_does_not_pass_gives_up_after_the_last_retry(claimed, settings, monkeypatch):
    settings.REMINDER_RETRY_DELAYS = (0, 0)

    def down(*args):
        raise TransientEmailFailure("mail server unreachable: TimeoutError")

    monkeypatch.setattr(tasks, "send_email", down)
    run_worker()

    claim = ReminderClaim.objects.get()
    assert (claim.status, claim.attempts) == ("failed", 3)
    assert "TimeoutError" in claim.note
    assert mail.outbox == []


def test_a_retry_waits_for_its_delay(claimed, settings, monkeypatch, time_machine):
    settings.REMINDER_RETRY_DELAYS = (300,)
    calls = []

    def flaky(*args):
        calls.append(args)
        if len(calls) == 1:
            raise TransientEmailFailure("deferred (421)")

    monkeypatch.setattr(tasks, "send_email", flaky)
    run_worker()
    assert ReminderClaim.objects.get().status == "retrying"
    time_machine.move_to(MONDAY_EIGHT_PARIS + timedelta(seconds=150), tick=False)
    run_worker()
    assert len(calls) == 1

    time_machine.move_to(MONDAY_EIGHT_PARIS + timedelta(seconds=302), tick=False)
    run_worker()

    assert len(calls) == 2
    assert ReminderClaim.objects.get().status == "sent"
