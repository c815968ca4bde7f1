"""The dashboard and history at scale on PostgreSQL: `make bench-postgres`.

Runs inside scripts/with-postgres.sh (a throwaway cluster). It seeds the usual data set of
benchmarks.seed (300 users, one heavy user with three years of sessions), copies that database,
and grows the copy to 10,000 users and 1,000,000 sessions, written by PostgreSQL itself
(generate_series, not the ORM row by row; each new user with a routine and two products, about
100 sessions over three years, a third with a product), then ANALYZEs it. Then:

- every query the dashboard, the history page (all of it, one week, the last page) and the
  year page send for three users (heavy, light, a new one) is run again under EXPLAIN: the
  scans are printed, a sequential scan on the sessions table (or its link tables) fails the
  goal, and any other table read whole with more than 1,000 rows is named;
- the CPU time per view (dashboard, history) is measured for the same users with the same data
  on both databases, in turn (each first in every other round), and compared (goal: the large
  one within 20 % of the small one).

CPU per view is this process's CPU time (time.process_time: the view, the ORM, the template)
plus the PostgreSQL backend's (from /proc, the same machine, in 10 ms ticks): a sequential scan
would cost the database, not Python. Views are rendered in-process through the test Client with
production settings (DEBUG off); nothing goes over HTTP. Exits 1 if a goal is missed.
"""

import argparse
import gc
import os
import secrets
import sys
import tempfile
import time
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from benchmarks.http import manage

TARGET_USERS = 10_000
TARGET_SESSIONS = 1_000_000
GOAL_CPU_RATIO = 1.20
SESSIONS_TABLE = "tracker_massagesession"
# Tables that grow with the number of sessions: a sequential scan there is flagged too.
BIG_TABLES = {SESSIONS_TABLE, "tracker_massagesession_products", "tracker_massagesession_tools"}
VIEWS = {"dashboard": "/", "history": "/sessions/"}
# Explained too: the history of one week, its last page, and the year at a glance.
MORE_PATHS = {
    "history, one week": "/sessions/?week={today}",
    "history, last page": "/sessions/?page=9999",
    "year": "/year/",
}


def create_database(url: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        if not connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def prepare(workdir: Path) -> None:
    """Production settings (DEBUG off), migrated, static files collected; Django set up here."""
    os.environ.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_VAR_DIR=str(workdir),
        DJANGO_MEDIA_ROOT=str(workdir / "media"),
    )
    for key in ("REDIS_URL", "DJANGO_PHOTOS_S3_BUCKET"):
        os.environ.pop(key, None)
    create_database(os.environ["DATABASE_URL"])
    manage(None, ["migrate", "--noinput"], ["collectstatic", "--noinput"])
    import django

    django.setup()


# Growing the data set -------------------------------------------------------------------


def grow(users: int, sessions: int) -> tuple[int, int, float]:
    """Add users (each with a profile, two products and a routine) and sessions, linked to the
    routine and a third of them to a product, until there are `users` and `sessions`."""
    from django.contrib.auth.models import User
    from django.db import connection, transaction

    from tracker.models import MassageSession, Product, Profile, Routine

    started = time.perf_counter()
    with connection.cursor() as cursor:
        # The data version's triggers (tracker/models/versions.py) would add one to a profile
        # for each of the million rows: a seed of a new database has no cache to keep fresh.
        cursor.execute("SET session_replication_role = replica")
    have = User.objects.count()
    password = User.objects.order_by("pk").values_list("password", flat=True).first()
    with transaction.atomic():
        new = [User(username=f"scale{n:05d}", password=password) for n in range(have, users)]
        for start in range(0, len(new), 2000):
            made = User.objects.bulk_create(new[start : start + 2000])
            # bulk_create sends no post_save: the profiles the signal would make are made here.
            Profile.objects.bulk_create(
                Profile(user=user, timezone="Europe/London", week_start=user.pk % 2)
                for user in made
            )
            Product.objects.bulk_create(
                Product(owner=user, name=name, kind=kind, patch_test="passed")
                for user in made
                for name, kind in (("Jojoba oil", "oil"), ("Rosehip serum", "serum"))
            )
            Routine.objects.bulk_create(Routine(owner=user, name="Evening lift") for user in made)
    missing = sessions - MassageSession.objects.count()
    first_new = User.objects.filter(username__startswith="scale").order_by("pk").first()
    last_new = User.objects.order_by("-pk").first()
    with connection.cursor() as cursor:
        # Each new user gets an equal share, spread over the last three years (a session about
        # every ten days), at a morning hour; PostgreSQL writes the rows itself.
        cursor.execute(
            f"""
            INSERT INTO {SESSIONS_TABLE} (
                owner_id, routine_id, performed_at, local_date, minutes, techniques, areas,
                pressure, cleansed_skin, clean_hands_and_tools, used_slip, reaction, rating,
                notes, created_at, updated_at
            )
            SELECT rows.owner_id, routine.id, day + interval '8 hours', day::date,
                   5 + mod(n, 11), '[]', '[]', 'gentle', mod(n, 2) = 0, true, mod(n, 3) = 0,
                   '', NULL, '', now(), now()
            FROM (
                SELECT n, %(first)s + mod(n, %(owners)s) AS owner_id,
                       date_trunc('day', now())
                           - mod(n::bigint * 7919, 1095) * interval '1 day' AS day
                FROM generate_series(0, %(missing)s - 1) AS n
            ) AS rows
            JOIN tracker_routine AS routine ON routine.owner_id = rows.owner_id
            ORDER BY n
            """,
            {"first": first_new.pk, "owners": last_new.pk - first_new.pk + 1, "missing": missing},
        )
        cursor.execute(
            f"""
            INSERT INTO {SESSIONS_TABLE}_products (massagesession_id, product_id)
            SELECT session.id, min(product.id)
            FROM {SESSIONS_TABLE} AS session
            JOIN tracker_product AS product ON product.owner_id = session.owner_id
            WHERE session.owner_id >= %(first)s AND mod(session.id, 3) = 0
            GROUP BY session.id
            """,
            {"first": first_new.pk},
        )
        cursor.execute("RESET session_replication_role")
        cursor.execute("ANALYZE")
    return User.objects.count(), MassageSession.objects.count(), time.perf_counter() - started


# Rendering and measuring ----------------------------------------------------------------


def backend_cpu_seconds(pid: int) -> float:
    """User and system CPU time of one PostgreSQL backend (/proc/PID/stat, fields 14 and 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Cost:
    python_ms: float
    database_ms: float

    @property
    def total_ms(self) -> float:
        return self.python_ms + self.database_ms


def client_for(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def use_database(name: str) -> None:
    """Point the default connection at another database of the same cluster."""
    from django.db import connection

    connection.close()
    connection.settings_dict["NAME"] = name


def clone_database(source: str, target: str) -> None:
    """A copy of the 300-user database, grown later: both stay to be measured side by side."""
    import psycopg

    use_database(source)  # closes this process's connection: a template must be unused
    parts = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')


def one_round(user, path: str, renders: int) -> Cost:
    from django.db import connection

    client = client_for(user)
    for _ in range(3):
        client.get(path)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    gc.collect()
    database_before = backend_cpu_seconds(backend)
    before = time.process_time()
    for _ in range(renders):
        response = client.get(path)
        if response.status_code != 200:
            raise RuntimeError(f"{path} answered {response.status_code}")
    python = time.process_time() - before
    database = backend_cpu_seconds(backend) - database_before
    return Cost(python * 1000 / renders, database * 1000 / renders)


type Costs = dict[tuple[str, str], Cost]


def measure(databases: list[str], users: dict, renders: int, rounds: int) -> dict[str, Costs]:
    """Rounds taken in turn on each database, the cheapest round kept for each view: CPU time
    only grows when other work shares the cores, and in turn both databases share the luck."""
    best: dict[str, Costs] = {name: {} for name in databases}
    for number in range(rounds):
        # Each database first in every other round: neither gets the quieter start.
        for name in databases if number % 2 == 0 else databases[::-1]:
            use_database(name)
            for who, user in users.items():
                for view, path in VIEWS.items():
                    cost = one_round(user, path, renders)
                    kept = best[name].get((who, view))
                    if kept is None or cost.total_ms < kept.total_ms:
                        best[name][(who, view)] = cost
    return best


def captured_queries(user, path: str) -> list[str]:
    """Every query of one render with empty caches: what a first visit or a change costs."""
    from django.conf import settings
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(user)
    client.get(path)
    for alias in settings.CACHES:
        caches[alias].clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}")
    return [query["sql"] for query in captured.captured_queries]


def scans(plan: dict) -> list[tuple[str, str, str]]:
    """(node type, table, index) of every scan in an EXPLAIN (FORMAT JSON) plan."""
    found = []
    if "Scan" in plan["Node Type"]:
        found.append((plan["Node Type"], plan.get("Relation Name", ""), plan.get("Index Name", "")))
    for child in plan.get("Plans", []):
        found.extend(scans(child))
    return found


def explain_views(users: dict) -> int:
    """Print every query's scans; return how many scanned a big table sequentially."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, reltuples FROM pg_class WHERE relkind = 'r'")
        rows = dict(cursor.fetchall())
    flagged = 0
    for who, user in users.items():
        today = user.profile.today().isoformat()
        paths = {**VIEWS, **{view: path.format(today=today) for view, path in MORE_PATHS.items()}}
        for view, path in paths.items():
            queries = [q for q in captured_queries(user, path) if q.lstrip().startswith("SELECT")]
            print(f"explain {view} ({who} user): {len(queries)} SELECT queries")
            for sql in queries:
                with connection.cursor() as cursor:
                    cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
                    plan = cursor.fetchone()[0]
                    if isinstance(plan, str):
                        import json

                        plan = json.loads(plan)
                found = scans(plan[0]["Plan"])
                bad = [s for s in found if s[0] == "Seq Scan" and s[1] in BIG_TABLES]
                flagged += len(bad)
                # Any other table read whole that grows with the number of people.
                growing = [
                    f"{table} (~{rows[table]:.0f} rows)"
                    for kind, table, _ in found
                    if kind == "Seq Scan" and table not in BIG_TABLES and rows.get(table, 0) > 1000
                ]
                touches_sessions = any(SESSIONS_TABLE in s[1] for s in found)
                if touches_sessions or bad or growing:
                    described = ", ".join(
                        kind
                        + (f" on {table}" if table else "")
                        + (f" using {index}" if index else "")
                        for kind, table, index in found
                    )
                    mark = "SEQ SCAN ON A BIG TABLE" if bad else "ok"
                    note = f" [reads whole: {', '.join(growing)}]" if growing else ""
                    print(f"  {mark}: {described}{note}\n    {sql[:160]}")
    return flagged


def compare_answers(users: dict, small_db: str, large_db: str) -> None:
    """The same user's pages must read the same rows whatever the others hold: print any query
    whose answer is longer on the large database (one not limited to its owner)."""
    from django.db import connection

    def answers(queries: list[str]) -> list[int]:
        counts = []
        for sql in queries:
            with connection.cursor() as cursor:
                cursor.execute(sql)
                counts.append(len(cursor.fetchall()))
        return counts

    differ = 0
    for who, user in users.items():
        for view, path in VIEWS.items():
            use_database(large_db)
            queries = [
                q
                for q in captured_queries(user, path)
                # The login's session row exists only where it was made.
                if q.lstrip().startswith("SELECT") and '"django_session"' not in q
            ]
            large = answers(queries)
            use_database(small_db)
            small = answers(queries)
            for sql, before, after in zip(queries, small, large, strict=True):
                if after != before:
                    differ += 1
                    print(f"rows {view} ({who}): {before} -> {after}: {sql[:200]}")
    use_database(large_db)
    print(f"same rows read on both databases: {'yes' if not differ else f'NO ({differ} queries)'}")


def print_costs(label: str, costs: dict[tuple[str, str], Cost]) -> None:
    for (who, view), cost in costs.items():
        print(
            f"cpu {label:<18} {view:<9} ({who:<5}) total_ms={cost.total_ms:6.2f} "
            f"(python {cost.python_ms:.2f} + postgres {cost.database_ms:.2f})"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=TARGET_USERS)
    parser.add_argument("--sessions", type=int, default=TARGET_SESSIONS)
    parser.add_argument("--renders", type=int, default=25, help="renders per round")
    parser.add_argument("--rounds", type=int, default=5, help="rounds per view (the best counts)")
    options = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Run through scripts/with-postgres.sh (make bench-postgres).")
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="facetrack-bench-pg-") as workdir:
        failed = run(Path(workdir), options)
    print(f"(whole run: {time.perf_counter() - started:.0f} s)")
    sys.exit(1 if failed else 0)


def run(workdir: Path, options: argparse.Namespace) -> bool:
    prepare(workdir)
    from django.contrib.auth.models import User
    from django.db import connection

    from benchmarks.seed import seed
    from tracker.models import MassageSession

    seeding = time.perf_counter()
    seeded = seed(users=300)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"seeded {seeded.users} users, {seeded.sessions} sessions (heavy user: "
        f"{seeded.heavy_sessions}) in {time.perf_counter() - seeding:.1f} s",
        flush=True,
    )
    small_db = connection.settings_dict["NAME"]
    large_db = f"{small_db}_large"
    clone_database(small_db, large_db)
    use_database(large_db)
    total_users, total_sessions, seconds = grow(options.users, options.sessions)
    print(
        f"copied, then grew the copy to {total_users} users, {total_sessions} sessions "
        f"(written and ANALYZEd in {seconds:.1f} s)",
        flush=True,
    )
    sample = MassageSession.objects.order_by("-pk").values_list("owner", flat=True).first()
    typical = User.objects.get(pk=sample)
    print(f"a typical new user has {MassageSession.objects.filter(owner=typical).count()} sessions")
    users = {"heavy": seeded.heavy, "light": seeded.light}
    flagged = explain_views({**users, "new": typical})
    compare_answers(users, small_db, large_db)

    costs = measure([small_db, large_db], users, options.renders, options.rounds)
    small, large = costs[small_db], costs[large_db]
    print(f"cpu per view, the best of {options.rounds} rounds of {options.renders} renders each:")
    print_costs(f"{seeded.users} users", small)
    print_costs(f"{total_users} users", large)
    worst = 0.0
    for key, cost in large.items():
        ratio = cost.total_ms / small[key].total_ms
        worst = max(worst, ratio)
        print(f"ratio {key[1]:<9} ({key[0]:<5}) {ratio:.2f}")
    met_cpu = worst <= GOAL_CPU_RATIO
    print(
        f"goal no sequential scan on {', '.join(sorted(BIG_TABLES))}: "
        f"{'met' if not flagged else f'MISSED ({flagged})'}"
    )
    print(
        f"goal cpu per view at {total_users} users within {GOAL_CPU_RATIO - 1:.0%} of "
        f"{seeded.users} users: {'met' if met_cpu else 'MISSED'} (worst ratio {worst:.2f})"
    )
    return bool(flagged) or not met_cpu


if __name__ == "__main__":
    main()
