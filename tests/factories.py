"""Small builders for test data, and a frozen clock.

Plain functions rather than fixtures so that each test says exactly what it builds.
"""

from collections.abc import Iterable
from datetime import UTC, datetime

import pytest
from django.utils import timezone

from tracker.models import (
    Area,
    MassageSession,
    Product,
    RestWeek,
    Routine,
    RoutineStep,
    Technique,
    Tool,
)

# A Wednesday at noon UTC: far from midnight and from either end of a Monday-start week.
WEDNESDAY_NOON = datetime(2026, 11, 18, 12, 0, tzinfo=UTC)


def freeze_time(monkeypatch: pytest.MonkeyPatch, moment: datetime = WEDNESDAY_NOON) -> datetime:
    """Stop Django's clock at `moment` (forms, profiles and auto_now fields all read it)."""
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return moment


def make_session(
    owner,
    performed_at: datetime | None = None,
    *,
    minutes: int = 10,
    products: Iterable[Product] = (),
    tools: Iterable[Tool] = (),
    **fields,
) -> MassageSession:
    session = MassageSession.objects.create(
        owner=owner,
        performed_at=performed_at or timezone.now(),
        minutes=minutes,
        **fields,
    )
    session.products.set(products)
    session.tools.set(tools)
    return session


def make_tool(owner, name: str = "Rose quartz roller", **fields) -> Tool:
    fields.setdefault("kind", Tool.Kind.JADE_ROLLER)
    return Tool.objects.create(owner=owner, name=name, **fields)


def make_product(owner, name: str = "Jojoba oil", **fields) -> Product:
    fields.setdefault("patch_test", Product.PatchTest.PASSED)
    return Product.objects.create(owner=owner, name=name, **fields)


def make_routine(
    owner,
    name: str = "Evening lift",
    steps: Iterable[tuple[str, str, int]] = (
        (Technique.EFFLEURAGE, Area.NECK, 60),
        (Technique.GUA_SHA, Area.JAWLINE, 120),
        (Technique.EFFLEURAGE, Area.CHEEKS, 90),
    ),
    *,
    tool: Tool | None = None,
    products: Iterable[Product] = (),
) -> Routine:
    routine = Routine.objects.create(owner=owner, name=name)
    RoutineStep.objects.bulk_create(
        RoutineStep(
            routine=routine, order=order, technique=technique, area=area, seconds=seconds, tool=tool
        )
        for order, (technique, area, seconds) in enumerate(steps)
    )
    routine.products.set(products)
    return routine


def make_rest_week(owner, week_start, reason: str = "Travelling") -> RestWeek:
    return RestWeek.objects.create(owner=owner, week_start=week_start, reason=reason)
