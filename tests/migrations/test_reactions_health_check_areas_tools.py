"""Migrations that change what a field may hold keep every value already stored."""

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

REACTIONS_MIGRATION = "reactions_health_check_areas_tools"


def migrate(targets: list[tuple[str, str]]):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_allowing_not_recorded_keeps_every_reaction_already_recorded():
    graph = MigrationExecutor(connection).loader.graph
    (mine,) = [key for key in graph.nodes if key[1].endswith(REACTIONS_MIGRATION)]
    (before,) = [p.key for p in graph.node_map[mine].parents if p.key[0] == "tracker"]
    latest = graph.leaf_nodes("tracker")
    try:
        old = migrate([before])
        user = old.get_model("auth", "User").objects.create(username="kept")
        old.get_model("tracker", "Profile").objects.get_or_create(user_id=user.pk)
        session_model = old.get_model("tracker", "MassageSession")
        for reaction in ("none", "redness", "breakout"):
            session_model.objects.create(
                owner_id=user.pk,
                performed_at=datetime(2026, 11, 17, 8, 0, tzinfo=UTC),
                local_date=date(2026, 11, 17),
                minutes=10,
                reaction=reaction,
            )

        new = migrate(latest)

        sessions = new.get_model("tracker", "MassageSession").objects.order_by("pk")
        assert list(sessions.values_list("reaction", "reaction_noted_at")) == [
            ("none", None),
            ("redness", None),
            ("breakout", None),
        ]
        field = new.get_model("tracker", "MassageSession")._meta.get_field("reaction")
        assert field.default == "" and field.blank
    finally:
        migrate(latest)
