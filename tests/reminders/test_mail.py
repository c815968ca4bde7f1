"""Reminders by email through a real SMTP server on loopback, and the one-click unsubscribe."""

import time
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import MONDAY_EIGHT_PARIS, give_verified_email, make_reminder_plan
from tests.readers import private_words_in
from tests.servers import SMTPServer, free_port
from tests.task_worker import run_worker
from tracker.models import ReminderClaim, ReminderPlan, verified_email
from tracker.reminders import mail
from tracker.reminders.due import Message
from tracker.reminders.scheduler import run_once


@pytest.fixture
def smtp_server(smtp_server: SMTPServer, settings) -> SMTPServer:
    """tests/servers.py's aiosmtpd, with the app's mailer pointed at it (pytest-django sets
    locmem)."""
    settings.MAILERS = smtp_server.mailers()
    return smtp_server


@pytest.mark.django_db(transaction=True)
def test_a_reminder_email_arrives_with_a_one_click_unsubscribe_that_works(
    paris_user, smtp_server, settings, time_machine, plan_due_at
):
    settings.SITE_URL = "https://facetrack.example.org"
    plan = plan_due_at(MONDAY_EIGHT_PARIS, paris_user)

    time_machine.move_to(MONDAY_EIGHT_PARIS + timedelta(seconds=1), tick=False)
    run_once()
    run_worker()

    assert len(smtp_server.messages) == 1
    message = smtp_server.messages[0]
    assert message["To"] == "alice@example.org"
    assert message["Subject"] == "Time for your facial massage"
    body = message.get_content()
    assert body.startswith("0 of 2 this week, 7 days left.")
    assert "https://facetrack.example.org/" in body
    assert private_words_in(message["Subject"] + body) == []
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = message["List-Unsubscribe"].strip("<>")
    assert link in body
    # As sent: on one line, not folded into encoded words that mail programs would not read.
    assert f"List-Unsubscribe: <{link}>\r\n".encode() in smtp_server.raw[0]
    assert link.startswith("https://facetrack.example.org/reminders/unsubscribe/")

    # A mail program's one-click POST: no session, no CSRF token, RFC 8058's body.
    path = urlsplit(link).path
    mail_program = Client(enforce_csrf_checks=True)
    assert mail_program.get(path).status_code == 200
    plan.refresh_from_db()
    assert plan.by_email  # looking at the link (a link scanner does) changes nothing
    response = mail_program.post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert "No more reminder emails" in response.content.decode()
    plan.refresh_from_db()
    assert not plan.by_email
    assert plan.enabled

    time_machine.move_to(MONDAY_EIGHT_PARIS + timedelta(days=1, seconds=1), tick=False)
    assert run_once().claimed == 0
    assert len(smtp_server.messages) == 1


def test_the_unsubscribe_page_asks_first_and_its_button_stops_the_emails(paris_user, client):
    plan = make_reminder_plan(paris_user)
    url = reverse("tracker:reminder-unsubscribe", args=[mail.unsubscribe_token(paris_user)])

    page = client.get(url).content.decode()
    assert "Stop reminder emails?" in page
    assert f'action="{url}"' in page

    client.post(url)
    plan.refresh_from_db()
    assert not plan.by_email


@pytest.mark.parametrize(
    "token",
    ["nonsense", "MQ:1abc:forged", "eyJ1Ijo1fQ:1tOk:bad", "x" * 300],
)
def test_a_forged_or_damaged_unsubscribe_link_is_a_404_and_changes_nothing(
    paris_user, client, token
):
    plan = make_reminder_plan(paris_user)

    for method in (client.get, client.post):
        assert method(reverse("tracker:reminder-unsubscribe", args=[token])).status_code == 404
    plan.refresh_from_db()
    assert plan.by_email


def test_a_link_unsubscribes_only_the_person_it_was_made_for(paris_user, make_user, client):
    bob = make_user("bob")
    give_verified_email(bob, "bob@example.org")
    alices, bobs = make_reminder_plan(paris_user), make_reminder_plan(bob)

    client.post(reverse("tracker:reminder-unsubscribe", args=[mail.unsubscribe_token(bob)]))

    alices.refresh_from_db()
    bobs.refresh_from_db()
    assert (alices.by_email, bobs.by_email) == (True, False)


def test_a_token_signed_for_something_else_does_not_unsubscribe(paris_user, client):
    from django.core import signing

    make_reminder_plan(paris_user)
    other_purpose = signing.dumps(paris_user.pk, salt="something.else", compress=True)

    response = client.post(reverse("tracker:reminder-unsubscribe", args=[other_purpose]))

    assert response.status_code == 404


@pytest.mark.django_db
def test_a_mail_server_that_is_not_there_is_a_passing_failure(paris_user, settings):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
        }
    }
    began = time.monotonic()

    with pytest.raises(mail.TransientEmailFailure):
        mail.send_email(paris_user, "alice@example.org", Message("t", "b"))

    assert time.monotonic() - began < 3


@pytest.mark.django_db
def test_a_refused_address_is_a_lasting_failure(paris_user, smtp_server):
    smtp_server.refuse_recipients = True

    with pytest.raises(mail.PermanentEmailFailure):
        mail.send_email(paris_user, "alice@example.org", Message("t", "b"))


@pytest.mark.django_db(transaction=True)
def test_without_a_verified_address_nothing_is_sent_and_the_claim_says_why(
    make_user, time_machine, plan_due_at
):
    nobody = make_user("nobody", timezone="Europe/Paris")
    plan = plan_due_at(MONDAY_EIGHT_PARIS, nobody)
    ReminderPlan.objects.filter(pk=plan.pk).update(by_email=True)

    time_machine.move_to(MONDAY_EIGHT_PARIS + timedelta(seconds=1), tick=False)
    run_once()
    run_worker()

    claim = ReminderClaim.objects.get()
    assert (claim.status, claim.note) == ("failed", "no verified email address")


def test_the_verified_address_is_the_accounts_own_until_accounts_move_to_allauth(
    paris_user, other_user
):
    assert verified_email(paris_user) == "alice@example.org"
    assert verified_email(other_user) is None


def test_the_unsubscribe_page_costs_one_query_and_its_post_two(
    paris_user, client, django_assert_num_queries
):
    make_reminder_plan(paris_user)
    url = reverse("tracker:reminder-unsubscribe", args=[mail.unsubscribe_token(paris_user)])
    with django_assert_num_queries(1):
        client.get(url)
    with django_assert_num_queries(2):
        client.post(url)
