"""The "before you start" answers: kept once agreed, replaced, forgotten, and restored from an
export only into an account without answers of its own."""

import pytest
from django.db import transaction

from tests.factories import TUESDAY_MORNING
from tracker.models import HealthCheck, HealthCheckGiven, HealthCondition
from tracker.models.bulk import Batch

pytestmark = pytest.mark.django_db


def test_known_answers_are_kept_once_each_in_the_order_of_the_questions():
    answers = ["pregnancy", "sunburn", 42, None, "active_skin", "pregnancy"]

    assert HealthCondition.known(answers) == ["active_skin", "pregnancy"]


def test_recording_twice_replaces_the_answers(user):
    HealthCheck.objects.record(user, ["pregnancy"], agreed_at=TUESDAY_MORNING)
    HealthCheck.objects.record(user, ["bruises_easily", "unknown"], agreed_at=TUESDAY_MORNING)

    check = HealthCheck.objects.get()
    assert (check.owner, check.conditions) == (user, ["bruises_easily"])
    assert [text.key for text in check.advice] == ["health-bruising"]


def test_forgetting_deletes_only_that_persons_answers(user, other_user):
    for person in (user, other_user):
        HealthCheck.objects.record(person, ["pregnancy"], agreed_at=TUESDAY_MORNING)

    HealthCheck.objects.forget(user)

    assert list(HealthCheck.objects.values_list("owner", flat=True)) == [other_user.pk]


def test_an_exports_answers_are_written_with_the_rest_of_its_batch(user):
    batch = Batch()

    prepared = HealthCheck.objects.prepare_restore(
        user, ["injectables", "third_eye"], TUESDAY_MORNING, batch
    )
    assert not HealthCheck.objects.exists()
    with transaction.atomic():
        batch.write()

    stored = HealthCheck.objects.get()
    assert stored == prepared
    assert (stored.conditions, stored.agreed_at) == (["injectables"], TUESDAY_MORNING)


def test_an_account_with_answers_of_its_own_keeps_them(user):
    HealthCheck.objects.record(user, ["pregnancy"], agreed_at=TUESDAY_MORNING)

    batch = Batch()

    assert (
        HealthCheck.objects.prepare_restore(user, ["injectables"], TUESDAY_MORNING, batch) is None
    )
    assert batch.steps == []


def test_answers_given_after_the_batch_was_prepared_stop_it_before_it_writes(user):
    batch = Batch()
    HealthCheck.objects.prepare_restore(user, ["injectables"], TUESDAY_MORNING, batch)
    HealthCheck.objects.record(user, ["pregnancy"], agreed_at=TUESDAY_MORNING)

    with pytest.raises(HealthCheckGiven), transaction.atomic():
        batch.write()

    assert HealthCheck.objects.get().conditions == ["pregnancy"]
