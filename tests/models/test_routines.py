"""Routines and their steps: how long a routine takes, and how they read."""

import pytest

from tests.factories import make_routine, make_tool
from tracker.models import Area, Routine, RoutineFull, RoutineStep, Technique
from tracker.ownership import get_owned_or_404

pytestmark = pytest.mark.django_db


def test_a_routine_takes_its_steps_seconds_rounded_to_whole_minutes(user):
    routine = make_routine(
        user, steps=[(Technique.EFFLEURAGE, Area.NECK, 60), (Technique.FRICTION, Area.CHEEKS, 100)]
    )

    assert routine.total_seconds() == 160
    assert routine.minutes() == 3


def test_a_routine_reads_as_its_name_and_a_step_as_its_technique_and_area(user):
    routine = make_routine(user, "Morning depuff", steps=[(Technique.LYMPHATIC, Area.EYES, 60)])
    step = RoutineStep.objects.get(routine=routine)

    assert str(routine) == "Morning depuff"
    assert str(step) == "Lymphatic drainage, Around the eyes"


# Steps: one numbering, from 0, without gaps


STEP = {"technique": Technique.EFFLEURAGE, "area": Area.CHEEKS, "seconds": 60}


def orders(routine: Routine) -> list[tuple[int, str]]:
    return list(routine.steps.order_by("order").values_list("order", "area"))


def test_steps_appended_to_an_empty_routine_are_numbered_from_zero(user):
    routine = Routine.objects.add_for(user, name="Mine")

    routine.append_step(**STEP)
    routine.append_step(**{**STEP, "area": Area.NECK})

    assert orders(routine) == [(0, Area.CHEEKS), (1, Area.NECK)]


def test_a_new_routine_keeps_its_steps_in_the_order_given_whatever_numbers_they_carry(user):
    steps = [{**STEP, "area": area, "order": 7} for area in (Area.NECK, Area.CHIN, Area.EYES)]

    routine = Routine.objects.add_for(user, name="Mine", steps=steps)

    assert orders(routine) == [(0, Area.NECK), (1, Area.CHIN), (2, Area.EYES)]


def test_moving_a_step_swaps_it_with_its_neighbour_and_keeps_the_numbering(user):
    routine = make_routine(user)
    first, second, third = routine.steps.all()

    third.move("up")
    first.move("up")  # already at the top: nothing happens

    assert list(routine.steps.values_list("pk", "order")) == [
        (first.pk, 0),
        (third.pk, 1),
        (second.pk, 2),
    ]


def test_removing_a_step_closes_the_gap(user):
    routine = make_routine(user)
    _first, second, third = routine.steps.all()

    second.remove()
    routine.append_step(**STEP)

    assert [order for order, _area in orders(routine)] == [0, 1, 2]
    assert routine.steps.get(order=1).pk == third.pk


def test_a_removed_step_comes_back_with_its_id_at_its_place(user):
    roller = make_tool(user)
    routine = make_routine(user, tool=roller)
    first, second, third = routine.steps.all()
    second_id = second.pk
    snapshot = second.remove()

    back = RoutineStep.objects.restore(user, snapshot)

    assert (back.pk, back.tool) == (second_id, roller)
    assert list(routine.steps.values_list("pk", "order")) == [
        (first.pk, 0),
        (second_id, 1),
        (third.pk, 2),
    ]
    assert RoutineStep.objects.restore(user, snapshot) is None


def test_a_step_comes_back_without_a_tool_deleted_meanwhile_and_not_into_another_account(
    user, other_user
):
    roller = make_tool(user)
    step = make_routine(user, tool=roller).steps.first()
    snapshot = step.remove()
    roller.delete()

    assert RoutineStep.objects.restore(other_user, snapshot) is None
    assert RoutineStep.objects.restore(user, snapshot).tool is None


def test_a_step_does_not_come_back_into_a_full_routine(user, settings):
    settings.ROUTINE_MAX_STEPS = 3
    routine = make_routine(user)
    snapshot = routine.steps.first().remove()
    routine.append_step(**STEP)

    with pytest.raises(RoutineFull):
        RoutineStep.objects.restore(user, snapshot)
    assert routine.steps.count() == 3


def test_a_step_is_owned_through_its_routine(user, other_user):
    step = make_routine(other_user).steps.first()

    with pytest.raises(Exception, match="No RoutineStep matches"):
        get_owned_or_404(RoutineStep, user, pk=step.pk)
    assert get_owned_or_404(RoutineStep, other_user, pk=step.pk) == step
