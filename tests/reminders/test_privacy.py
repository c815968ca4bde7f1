"""Lock screens and inboxes are not private: what a reminder says, whatever the account holds.

Issue 12's rule as well as this issue's: no push, email or calendar text mentions a reaction,
an answer to the check before you start, a paused product, or a photo.
"""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import (
    give_verified_email,
    make_full_account,
    make_push_subscription,
    make_reminder_plan,
)
from tests.push_service import BrowserKeys
from tests.readers import PRIVATE_WORDS, private_words_in
from tracker.models import (
    CalendarFeed,
    HealthCondition,
    MassageSession,
    Product,
    ProgressPhoto,
    PushSubscription,
    Reaction,
    ReminderClaim,
    RestWeek,
    Routine,
    Tool,
)
from tracker.reminders.tasks import deliver

# Wednesday 2 December 2026, 08:00 in Paris: no session that day, and no rest week.
WEDNESDAY_EIGHT_PARIS = datetime(2026, 12, 2, 7, 0, tzinfo=UTC)


def test_the_private_words_name_every_reaction_and_every_answer_of_the_health_check():
    reactions = [choice for choice in Reaction if choice not in (Reaction.NOT_RECORDED,)]
    for choice in [*reactions, *HealthCondition]:
        assert private_words_in(choice.label), choice.label
        assert private_words_in(choice.value) or choice == Reaction.NONE, choice.value
    assert private_words_in("health check")
    assert private_words_in("Paused since 20 Nov")
    assert private_words_in("Patch test of “Rosehip serum”")


def test_the_private_words_are_lower_case_so_that_they_match_any_case():
    assert all(word == word.lower() for word in PRIVATE_WORDS)


def own_words(owner) -> list[str]:
    """What the person typed or named: their gear, routines, notes and reasons."""
    words = [
        *Product.objects.for_user(owner).values_list("name", flat=True),
        *Tool.objects.for_user(owner).values_list("name", flat=True),
        *Routine.objects.for_user(owner).values_list("name", flat=True),
        *MassageSession.objects.for_user(owner).values_list("notes", flat=True),
        *RestWeek.objects.for_user(owner).values_list("reason", flat=True),
        *ProgressPhoto.objects.for_user(owner).values_list("note", flat=True),
    ]
    return [word.strip("=").lower() for word in words if word]


@pytest.mark.django_db
def test_an_account_with_reactions_health_answers_paused_products_and_photos_gets_plain_reminders(
    make_user, vapid, push_service, client, time_machine
):
    owner = make_user("alice")
    give_verified_email(owner, "alice@example.org")
    make_full_account(owner)
    assert Product.objects.for_user(owner).filter(paused_on__isnull=False).exists()
    assert MassageSession.objects.for_user(owner).exclude(reaction="").exists()
    assert owner.health_check.conditions
    # This browser instead of the full account's one, whose push service is out of reach.
    for browser in PushSubscription.objects.for_user(owner):
        PushSubscription.objects.unsubscribe(owner, browser.endpoint)
    keys = BrowserKeys()
    make_push_subscription(owner, push_service.endpoint(), keys)
    time_machine.move_to(WEDNESDAY_EIGHT_PARIS - timedelta(hours=10), tick=False)
    make_reminder_plan(owner, mode="always", by_email=True)
    time_machine.move_to(WEDNESDAY_EIGHT_PARIS + timedelta(seconds=5), tick=False)
    [claim] = ReminderClaim.objects.claim([(owner.pk, WEDNESDAY_EIGHT_PARIS)])

    assert deliver(claim.pk) == "sent"

    [email] = mail.outbox
    pushed = keys.decrypt(push_service.received[0].body)
    feed = CalendarFeed.objects.for_user(owner).get()
    calendar = client.get(reverse("tracker:calendar-feed", args=[feed.token]))
    texts = {
        "email": f"{email.subject}\n{email.body}",
        "push": f"{pushed['title']}\n{pushed['body']}\n{pushed['url']}",
        "calendar": calendar.content.decode(),
    }
    assert "this week" in texts["email"] and "this week" in texts["push"]
    assert "Facial massage" in texts["calendar"]
    mine = own_words(owner)
    assert "peel at the clinic" in mine and "rosehip serum" in mine
    for channel, text in texts.items():
        assert private_words_in(text) == [], channel
        assert [word for word in mine if word in text.lower()] == [], channel
