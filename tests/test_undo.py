"""Undo's tokens (tracker/undo.py): what they carry comes back as it went, for 30 seconds, for
the person they were made for only. The pages that offer and carry them out: tests/views."""

import uuid
from datetime import date, timedelta

import pytest
from django.core import signing

from tests.factories import make_rest_week, make_session
from tracker import undo
from tracker.models import MassageSession, RestWeek

pytestmark = pytest.mark.django_db


def test_a_token_carries_dates_times_and_ids_back_as_they_went(user, now):
    session = make_session(user, now - timedelta(hours=1), client_id=uuid.uuid4())
    snapshot = session.remove()

    kind, payload = undo.read(user, undo.session_removed(user, snapshot, "then").token)

    assert kind == "restore-sessions"
    [restored] = MassageSession.objects.restore(user, payload["sessions"])
    assert (restored.performed_at, restored.local_date, restored.client_id) == (
        session.performed_at,
        session.local_date,
        session.client_id,
    )


def test_a_token_is_good_for_thirty_seconds(user, now, time_machine):
    token = undo.rest_week_marked(user, make_rest_week(user, date(2026, 11, 16))).token

    time_machine.move_to(now + timedelta(seconds=undo.UNDO_SECONDS), tick=False)
    assert undo.read(user, token)[0] == "remove-rest-week"
    time_machine.move_to(now + timedelta(seconds=undo.UNDO_SECONDS + 1), tick=False)
    with pytest.raises(undo.UndoRefused, match="Too late to undo"):
        undo.read(user, token)


def flip_last(token: str) -> str:
    return token[:-1] + ("B" if token.endswith("A") else "A")


@pytest.mark.parametrize("damage", [flip_last, lambda token: "", lambda token: token + ":x"])
def test_a_damaged_token_is_refused(user, now, damage):
    token = undo.rest_week_marked(user, make_rest_week(user, date(2026, 11, 16))).token

    with pytest.raises(undo.UndoRefused, match="damaged"):
        undo.carry_out(user, damage(token))
    assert RestWeek.objects.exists()


def test_a_token_made_for_someone_else_does_nothing(user, other_user, now):
    token = undo.rest_week_marked(user, make_rest_week(user, date(2026, 11, 16))).token

    with pytest.raises(undo.NotYours):
        undo.carry_out(other_user, token)
    assert RestWeek.objects.exists()


def test_a_token_of_an_unknown_kind_changes_nothing(user, now):
    token = undo.offer(user, "delete-everything", {}, "No.").token

    with pytest.raises(undo.UndoRefused, match="no longer possible"):
        undo.carry_out(user, token)


def test_a_token_signed_for_another_purpose_is_refused(user, now):
    token = signing.dumps({"user": user.pk, "kind": "remove-rest-week", "payload": {"id": 1}})

    with pytest.raises(undo.UndoRefused, match="damaged"):
        undo.read(user, token)


def test_weeks_are_named_by_their_first_day(user):
    assert undo.week_words(date(2026, 11, 16)) == "16 Nov 2026"
    assert undo.week_words("2026-11-16") == "16 Nov 2026"
