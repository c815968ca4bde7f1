"""The profile's data version, counted by the database itself.

Every table whose rows the dashboard shows gets a trigger that adds one to its owner's
`Profile.data_version` after each insert, update or delete, in the same transaction as the
write: bulk inserts, queryset updates, cascades and writes added later by someone who never
heard of the cache all count. Settings on the profile row count too (the profile's own
trigger). tracker.pages keys the cached parts of the dashboard by this number.

A new table the dashboard shows needs its line in WATCHED and a migration calling
`create_sql` for it: tests/test_data_version.py walks every state-changing URL and fails
when the dashboard changes while the version does not.
"""

PROFILE = "tracker_profile"

# table -> the SQL expression, over a row called ROW (NEW or OLD), for its owner's user id.
WATCHED: dict[str, str] = {
    "tracker_massagesession": "ROW.owner_id",
    "tracker_massagesession_tools": (
        "(SELECT owner_id FROM tracker_massagesession WHERE id = ROW.massagesession_id)"
    ),
    "tracker_massagesession_products": (
        "(SELECT owner_id FROM tracker_massagesession WHERE id = ROW.massagesession_id)"
    ),
    "tracker_restweek": "ROW.owner_id",
    "tracker_routine": "ROW.owner_id",
    "tracker_routinestep": "(SELECT owner_id FROM tracker_routine WHERE id = ROW.routine_id)",
    "tracker_routine_products": "(SELECT owner_id FROM tracker_routine WHERE id = ROW.routine_id)",
    "tracker_tool": "ROW.owner_id",
    "tracker_product": "ROW.owner_id",
    "tracker_progressphoto": "ROW.owner_id",
    "tracker_experiment": "ROW.owner_id",
    "tracker_healthcheck": "ROW.owner_id",
}

# The profile's own columns that change the dashboard (all but the version and the ids).
PROFILE_SETTINGS = ("timezone", "week_start", "target_min", "target_stretch", "target_minutes")


def _owner(table: str, row: str) -> str:
    return WATCHED[table].replace("ROW.", f"{row}.")


def _bump(owner: str) -> str:
    return f"UPDATE {PROFILE} SET data_version = data_version + 1 WHERE user_id = {owner};"


def create_sql(vendor: str, tables: list[str]) -> list[str]:
    """The statements that make `tables` (and the profile row) count their writes."""
    statements = []
    if vendor == "sqlite":
        for table in tables:
            new, old = _owner(table, "NEW"), _owner(table, "OLD")
            statements += [
                f"CREATE TRIGGER {table}_version_insert AFTER INSERT ON {table} "
                f"BEGIN {_bump(new)} END",
                f"CREATE TRIGGER {table}_version_update AFTER UPDATE ON {table} "
                f"BEGIN {_bump(new)} UPDATE {PROFILE} SET data_version = data_version + 1 "
                f"WHERE user_id = {old} AND user_id IS NOT {new}; END",
                f"CREATE TRIGGER {table}_version_delete AFTER DELETE ON {table} "
                f"BEGIN {_bump(old)} END",
            ]
        changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in PROFILE_SETTINGS)
        # A save that wrote an older version back counts as a change too.
        statements.append(
            f"CREATE TRIGGER {PROFILE}_version AFTER UPDATE ON {PROFILE} "
            f"WHEN NEW.data_version <= OLD.data_version "
            f"AND (NEW.data_version < OLD.data_version OR {changed}) "
            f"BEGIN UPDATE {PROFILE} SET data_version = OLD.data_version + 1 "
            f"WHERE id = NEW.id; END"
        )
    elif vendor == "postgresql":
        for table in tables:
            new, old = _owner(table, "NEW"), _owner(table, "OLD")
            statements += [
                f"CREATE FUNCTION {table}_version() RETURNS trigger AS $$ BEGIN "
                f"IF TG_OP <> 'DELETE' THEN {_bump(new)} END IF; "
                f"IF TG_OP = 'DELETE' THEN {_bump(old)} END IF; "
                f"IF TG_OP = 'UPDATE' AND {old} IS DISTINCT FROM {new} THEN {_bump(old)} END IF; "
                f"RETURN NULL; END $$ LANGUAGE plpgsql",
                f"CREATE TRIGGER {table}_version AFTER INSERT OR UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION {table}_version()",
            ]
        new = ", ".join(f"NEW.{c}" for c in PROFILE_SETTINGS)
        old = ", ".join(f"OLD.{c}" for c in PROFILE_SETTINGS)
        statements += [
            f"CREATE FUNCTION {PROFILE}_version() RETURNS trigger AS $$ BEGIN "
            f"IF NEW.data_version <= OLD.data_version AND (NEW.data_version < OLD.data_version "
            f"OR ROW({new}) IS DISTINCT FROM ROW({old})) THEN "
            f"NEW.data_version := OLD.data_version + 1; END IF; RETURN NEW; END $$ "
            f"LANGUAGE plpgsql",
            f"CREATE TRIGGER {PROFILE}_version BEFORE UPDATE ON {PROFILE} "
            f"FOR EACH ROW EXECUTE FUNCTION {PROFILE}_version()",
        ]
    else:
        raise NotImplementedError(f"no data version triggers for {vendor}")
    return statements


def drop_sql(vendor: str, tables: list[str]) -> list[str]:
    if vendor == "sqlite":
        names = [f"{t}_version_{op}" for t in tables for op in ("insert", "update", "delete")]
        return [f"DROP TRIGGER IF EXISTS {name}" for name in [*names, f"{PROFILE}_version"]]
    return [f"DROP FUNCTION IF EXISTS {table}_version() CASCADE" for table in [*tables, PROFILE]]
