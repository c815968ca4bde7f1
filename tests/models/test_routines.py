"""Routines and their steps: how long a routine takes, and how they read."""

import pytest

from tests.factories import make_routine
from tracker.models import Area, RoutineStep, Technique

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
