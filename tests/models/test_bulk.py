"""Batch (tracker/models/bulk.py): rows that come back with the ids and stamps they had."""

from datetime import UTC, date, datetime, timedelta

import pytest

from tests.factories import make_session
from tracker.models import MassageSession, RestWeek
from tracker.models.bulk import Batch, write_now

pytestmark = pytest.mark.django_db

LONG_AGO = datetime(2026, 1, 5, 8, tzinfo=UTC)


def test_rows_that_carry_their_ids_are_written_with_them_and_new_ones_follow(user, now):
    # Ids the table's own sequence gave, as any row an Undo brings back has.
    weeks = [RestWeek.objects.mark(user, date(2026, 11, 2) + timedelta(weeks=n)) for n in (0, 1)]
    kept = [(week.pk, week.week_start) for week in weeks]
    RestWeek.objects.all().delete()
    back = [RestWeek(id=pk, owner=user, week_start=start) for pk, start in reversed(kept)]

    batch = Batch()
    batch.add(back)
    write_now(batch)

    assert sorted(RestWeek.objects.values_list("pk", "week_start")) == kept
    later = RestWeek.objects.mark(user, date(2026, 11, 18))
    assert later.pk not in {pk for pk, _start in kept}


def test_a_step_either_keeps_every_rows_id_or_none(user):
    with pytest.raises(ValueError):
        Batch().add([RestWeek(id=5, owner=user), RestWeek(owner=user)])


def test_rows_as_they_were_keep_their_automatic_stamps(user, now):
    session = make_session(user, now - timedelta(days=1))
    MassageSession.objects.filter(pk=session.pk).update(created_at=LONG_AGO, updated_at=LONG_AGO)
    session.refresh_from_db()
    MassageSession.objects.filter(pk=session.pk).delete()

    batch = Batch()
    batch.add([session], as_they_were=True)
    write_now(batch)

    back = MassageSession.objects.get()
    assert (back.pk, back.created_at, back.updated_at) == (session.pk, LONG_AGO, LONG_AGO)
