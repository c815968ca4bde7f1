"""The app over HTTP, as in production: `python -m benchmarks.http` (or `make bench`).

Seeds a throwaway SQLite database (hundreds of users, one heavy user with three years of
sessions and 100 photos), serves it with gunicorn (DEBUG off, two workers), and drives it
from another process with a bounded load. Prints one line per scenario, then the bytes of a
first visit, the start-up time, each worker's memory, and the goals met or missed.

Latencies (p50, p95) are one client's, sequential; rps is at 8 concurrent clients. cpu_ms is
the workers' CPU time per answer under that load, which hardly moves when other programs
share the two cores (times and rates do): "cpu allows" is the rate it permits on idle cores.
"""

import argparse
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

from benchmarks.load import Request, Run, drive
from benchmarks.wire import (
    Asset,
    fetch,
    fetch_first_visit,
    fetch_installable_app,
    page_bytes,
    print_first_visit,
    print_installable_app,
)

REPO = Path(__file__).resolve().parent.parent
WORKERS = 2
CLIENTS = 8
FLOOR_PATH = "/bench/floor/"
AFTER_CHANGE_PATH = "/bench/dashboard-after-change/"
LOGIN_PATH = "/accounts/login/"
ACCEPT_ENCODING = "gzip, br"

# The goals of issue 4.
GOAL_LOG_P50_MS = 10.0
GOAL_FIRST_VISIT_BYTES = 60 * 1024
GOAL_DASHBOARD_RPS = 300
GOAL_STARTUP_SECONDS = 1.5
GOAL_WORKER_RSS_MB = 80
# The goals of issue 16: the workers' CPU time per answer against the floor's, same run.
GOAL_CPU_VS_FLOOR = {
    "dashboard": 1.5,
    "dashboard-after-change": 3.0,
    "history": 2.0,
    "log-session": 3.5,
}
GOAL_TAP_TO_WEEK_COUNT_MS = 25.0


@dataclass(frozen=True)
class Scenario:
    name: str
    request: Request
    query_path: str
    query_method: str = "get"


@dataclass(frozen=True)
class Measured:
    scenario: Scenario
    serial: Run
    loaded: Run
    queries: int
    # The workers' CPU time per answer under load: unlike times and rates, it hardly moves
    # when other programs share the cores.
    cpu_ms: float

    @property
    def capacity_rps(self) -> float:
        """What the workers' CPU time allows on WORKERS idle cores."""
        return WORKERS * 1000 / self.cpu_ms if self.cpu_ms else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=300)
    parser.add_argument("--seconds", type=float, default=4.0, help="measured, per scenario")
    options = parser.parse_args()
    started = time.perf_counter()
    load_before = os.getloadavg()[0]
    workdir = Path(tempfile.mkdtemp(prefix="facetrack-bench-"))
    try:
        run(workdir, options.users, options.seconds)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    # Client and server share the two cores: anything else running skews every number.
    print(
        f"(whole run: {time.perf_counter() - started:.0f} s; load average "
        f"{load_before:.2f} before, {os.getloadavg()[0]:.2f} after)"
    )


def run(workdir: Path, users: int, seconds: float) -> None:
    env = production_env(workdir)
    # This process reads the same database in-process: seeding and counting queries.
    os.environ.update(env)
    manage(env, ["migrate", "--noinput"], ["collectstatic", "--noinput"])
    import django

    django.setup()
    from benchmarks.seed import PASSWORD, seed

    seeding = time.perf_counter()
    seeded = seed(users=users)
    print(
        f"seeded {seeded.users} users, {seeded.sessions} sessions "
        f"(heavy user: {seeded.heavy_sessions} over 3 years, {len(seeded.photo_pks)} photos) "
        f"in {time.perf_counter() - seeding:.1f} s",
        flush=True,
    )
    thumbnail = thumbnail_path(seeded.photo_pks[0]) if seeded.photo_pks else None
    log_path = f"/routines/{seeded.heavy_routine_pk}/log/"
    queries = count_queries(seeded, log_path, thumbnail)

    with gunicorn(env, workdir) as (port, startup, master):
        cookies = log_in(port, seeded.heavy.username, PASSWORD)
        headers = {"Cookie": cookie_header(cookies), "Accept-Encoding": ACCEPT_ENCODING}
        htmx_post = {
            **headers,
            "HX-Request": "true",
            "HX-Target": "log-status",
            # Tapped on the dashboard: the answer carries the changed parts (out of band).
            "HX-Current-URL": f"http://127.0.0.1:{port}/",
            "X-CSRFToken": cookies["csrftoken"],
            "Content-Length": "0",
        }
        scenarios = [
            Scenario("floor", Request("GET", FLOOR_PATH, headers), FLOOR_PATH),
            # A repeat visit: the progress part comes from the pages cache.
            Scenario("dashboard", Request("GET", "/", headers), "/"),
            Scenario(
                "dashboard-after-change",
                Request("GET", AFTER_CHANGE_PATH, headers),
                AFTER_CHANGE_PATH,
            ),
            Scenario("history", Request("GET", "/sessions/", headers), "/sessions/"),
        ]
        if thumbnail:
            scenarios.append(Scenario("thumbnail", Request("GET", thumbnail, headers), thumbnail))
        # Last: every request adds a session to the heavy user's history.
        scenarios.append(
            Scenario("log-session", Request("POST", log_path, htmx_post), log_path, "post")
        )
        first_visit = fetch_first_visit(port, headers)
        installable_app = fetch_installable_app(port, headers, first_visit)
        taps = measure_taps(port, cookies)
        measured = measure(port, master, scenarios, queries, seconds)
        memory = worker_memory(master)

    floor = measured[0]
    for result in measured:
        print(scenario_line(result, floor))
    if not thumbnail:
        print("thumbnail skipped (no photo URLs yet)")
    print_queries(queries)
    print_taps(taps)
    print_first_visit(first_visit)
    print_installable_app(installable_app, first_visit)
    print(f"startup seconds_to_first_answer={startup:.2f} (gunicorn -w {WORKERS}, preload)")
    for pid, rss, pss in memory:
        print(f"worker pid={pid} rss_mb={rss:.1f} pss_mb={pss:.1f}")
    print_goals(measured, queries, first_visit, startup, memory, taps)


def manage(env: dict[str, str] | None, *commands: list[str]) -> None:
    """Run `manage.py` commands in turn, quietly, with `env` (this process's when None)."""
    for command in commands:
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=REPO,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )


def production_env(workdir: Path) -> dict[str, str]:
    """DEBUG off as in production; no TLS on the loopback: no HTTPS redirect, no secure cookies."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "GUNICORN_", "WEB_CONCURRENCY", "DATABASE_URL"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="benchmarks.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_VAR_DIR=str(workdir),
        DJANGO_MEDIA_ROOT=str(workdir / "media"),
        DATABASE_URL=f"sqlite:///{workdir / 'db.sqlite3'}",
    )
    return env


def thumbnail_path(photo_pk: int) -> str | None:
    """The photos feature's thumbnail URL for one photo, if that feature is in yet."""
    from django.urls import NoReverseMatch, get_resolver, reverse

    names = [
        name
        for name in get_resolver("tracker.urls").reverse_dict
        if isinstance(name, str) and "thumb" in name
    ]
    for name in names:
        for kwargs in ({"pk": photo_pk}, {"photo_pk": photo_pk}, {"id": photo_pk}):
            try:
                return reverse(f"tracker:{name}", kwargs=kwargs)
            except NoReverseMatch:
                continue
    return None


def count_queries(seeded, log_path: str, thumbnail: str | None) -> dict[str, int]:
    """Queries per request, counted in-process on the same data; heavy and light users alike."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    def count(user, method: str, path: str, **extra) -> int:
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(user)
        with CaptureQueriesContext(connection) as captured:
            response = getattr(client, method)(path, **extra)
        if response.status_code != 200:
            raise RuntimeError(f"{method.upper()} {path} answered {response.status_code}")
        return len(captured)

    heavy, light = seeded.heavy, seeded.light
    counts = {
        "floor": count(heavy, "get", FLOOR_PATH),
        "dashboard": count(heavy, "get", "/"),
        "dashboard-after-change": count(heavy, "get", AFTER_CHANGE_PATH),
        "dashboard (light user)": count(light, "get", "/"),
        "history": count(heavy, "get", "/sessions/"),
        "history (light user)": count(light, "get", "/sessions/"),
        "log-session": count(
            heavy,
            "post",
            log_path,
            HTTP_HX_REQUEST="true",
            HTTP_HX_TARGET="log-status",
            HTTP_HX_CURRENT_URL="http://127.0.0.1/",
        ),
    }
    if thumbnail:
        counts["thumbnail"] = count(heavy, "get", thumbnail)
    return counts


@contextmanager
def gunicorn(env: dict[str, str], workdir: Path) -> Iterator[tuple[int, float, int]]:
    """gunicorn as documented for production (reads gunicorn.conf.py), always stopped."""
    port = free_port()
    log = (workdir / "gunicorn.log").open("wb")
    command = [sys.executable, "-m", "gunicorn", "config.wsgi"]
    command += ["-b", f"127.0.0.1:{port}", "-w", str(WORKERS)]
    started = time.perf_counter()
    server = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        startup = wait_for_first_answer(port, server, started)
        yield port, startup, server.pid
    except BaseException:
        log.flush()
        print((workdir / "gunicorn.log").read_text()[-3000:], file=sys.stderr)
        raise
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_first_answer(port: int, server: subprocess.Popen, started: float) -> float:
    """Seconds from starting gunicorn until a Django page (the login form) comes back."""
    while time.perf_counter() - started < 30:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}")
        try:
            status, _, _ = fetch(port, "GET", LOGIN_PATH, {})
        except OSError:
            time.sleep(0.005)
            continue
        if status == 200:
            return time.perf_counter() - started
        raise RuntimeError(f"the login page answered {status}")
    raise RuntimeError("gunicorn did not answer within 30 s")


def set_cookies(headers: http.client.HTTPMessage) -> dict[str, str]:
    cookies = {}
    for line in headers.get_all("Set-Cookie") or []:
        name, _, value = line.split(";", 1)[0].partition("=")
        cookies[name.strip()] = value.strip()
    return cookies


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def log_in(port: int, username: str, password: str) -> dict[str, str]:
    """One real login through the form (the sign-in throttle counts failures only)."""
    status, headers, body = fetch(port, "GET", LOGIN_PATH, {})
    cookies = set_cookies(headers)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if status != 200 or not token:
        raise RuntimeError("no login form")
    form = urllib.parse.urlencode(
        {"login": username, "password": password, "csrfmiddlewaretoken": token[1].decode()}
    ).encode()
    status, headers, _ = fetch(
        port,
        "POST",
        LOGIN_PATH,
        {"Cookie": cookie_header(cookies), "Content-Type": "application/x-www-form-urlencoded"},
        form,
    )
    cookies |= set_cookies(headers)
    if status != 302 or "sessionid" not in cookies:
        raise RuntimeError(f"login failed: {status}")
    return cookies


def measure(
    port: int, master: int, scenarios: list[Scenario], queries: dict[str, int], seconds: float
) -> list[Measured]:
    """Each scenario twice from the load process: one client for latency, eight for rps."""
    results = []
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as load:
        for scenario in scenarios:
            serial = load.submit(drive, port, scenario.request, 1, 0.5, seconds / 2, 5000)
            serial_run = serial.result()
            cpu_before = workers_cpu_seconds(master)
            loaded = load.submit(drive, port, scenario.request, CLIENTS, 1.0, seconds, 50_000)
            loaded_run = loaded.result()
            cpu_ms = (workers_cpu_seconds(master) - cpu_before) * 1000 / max(loaded_run.answered, 1)
            results.append(
                Measured(scenario, serial_run, loaded_run, queries[scenario.name], cpu_ms)
            )
    return results


def worker_pids(master: int) -> list[int]:
    return [int(pid) for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split()]


def workers_cpu_seconds(master: int) -> float:
    """User and system time of gunicorn's workers so far (/proc/PID/stat, fields 14 and 15)."""
    ticks = 0
    for pid in worker_pids(master):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def worker_memory(master: int) -> list[tuple[int, float, float]]:
    """(pid, resident MB, proportional MB) of each gunicorn worker, from /proc."""
    memory = []
    for pid in worker_pids(master):
        status = Path(f"/proc/{pid}/status").read_text()
        rss_kb = int(re.search(r"VmRSS:\s+(\d+)", status)[1])
        try:
            rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
            pss_kb = int(re.search(r"Pss:\s+(\d+)", rollup)[1])
        except (OSError, TypeError):
            pss_kb = 0
        memory.append((pid, rss_kb / 1024, pss_kb / 1024))
    return memory


def measure_taps(port: int, cookies: dict[str, str]):
    """The browser's tap-to-week-count time, or None where no Chromium can run."""
    from benchmarks.browser import tap_to_week_count

    try:
        with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as browser:
            return browser.submit(tap_to_week_count, port, cookies).result()
    except Exception as error:
        print(f"tap-to-week-count skipped: {error!r}"[:300])
        return None


def print_taps(taps) -> None:
    if taps:
        print(
            f"tap-to-week-count median_ms={taps.median_ms:.1f} p95_ms={taps.p95_ms:.1f} "
            f"requests_per_tap={taps.requests_per_tap:.1f}  "
            f"(Chromium, {len(taps.milliseconds)} one-tap logs on the dashboard)"
        )


def cpu_vs_floor(result: Measured, floor: Measured) -> float:
    return result.cpu_ms / floor.cpu_ms if floor.cpu_ms else float("nan")


def scenario_line(result: Measured, floor: Measured) -> str:
    serial, loaded = result.serial, result.loaded
    vs_floor = serial.percentile_ms(50) / floor.serial.percentile_ms(50)
    errors = serial.errors + loaded.errors
    line = (
        f"{result.scenario.name:<22} p50_ms={serial.percentile_ms(50):.2f} "
        f"p95_ms={serial.percentile_ms(95):.2f} rps={loaded.rps:.0f} "
        f"queries={result.queries} vs_floor={vs_floor:.2f} cpu_ms={result.cpu_ms:.1f} "
        f"cpu_vs_floor={cpu_vs_floor(result, floor):.2f}"
        f"  [{CLIENTS} clients: p50_ms={loaded.percentile_ms(50):.1f} "
        f"p95_ms={loaded.percentile_ms(95):.1f}, {len(loaded.latencies)} requests; "
        f"cpu allows {result.capacity_rps:.0f} rps]"
    )
    if errors:
        line += f" errors={errors} ({serial.first_error or loaded.first_error})"
    return line


def print_queries(queries: dict[str, int]) -> None:
    print("queries " + " ".join(f"{name.replace(' ', '_')}={n}" for name, n in queries.items()))


def print_goals(
    measured: list[Measured],
    queries: dict[str, int],
    assets: list[Asset],
    startup: float,
    memory: list[tuple[int, float, float]],
    taps=None,
) -> None:
    by_name = {m.scenario.name: m for m in measured}
    floor = by_name["floor"]
    dashboard, log = by_name["dashboard"], by_name["log-session"]
    first_visit = page_bytes(assets)
    worst_rss = max(rss for _, rss, _ in memory)
    rows = [
        (
            f"{name} cpu <= {goal}x floor",
            f"{cpu_vs_floor(by_name[name], floor):.2f}x "
            f"({by_name[name].cpu_ms:.1f} vs {floor.cpu_ms:.1f} ms)",
            cpu_vs_floor(by_name[name], floor) <= goal,
        )
        for name, goal in GOAL_CPU_VS_FLOOR.items()
    ]
    rows += [
        (
            f"tap to week count < {GOAL_TAP_TO_WEEK_COUNT_MS:.0f} ms",
            f"{taps.median_ms:.1f} ms median, {taps.requests_per_tap:.0f} request(s) per tap"
            if taps
            else "not measured (no Chromium)",
            bool(taps) and taps.median_ms < GOAL_TAP_TO_WEEK_COUNT_MS,
        ),
        (
            "log-session p50 < 10 ms",
            f"{log.serial.percentile_ms(50):.2f} ms",
            log.serial.percentile_ms(50) < GOAL_LOG_P50_MS,
        ),
        (
            "queries constant in history size",
            f"dashboard {queries['dashboard']} vs {queries['dashboard (light user)']}, "
            f"history {queries['history']} vs {queries['history (light user)']}",
            queries["dashboard"] == queries["dashboard (light user)"]
            and queries["history"] == queries["history (light user)"],
        ),
        (
            "first visit < 60 KB",
            f"{first_visit / 1024:.1f} KB",
            first_visit < GOAL_FIRST_VISIT_BYTES,
        ),
        (
            "dashboard > 300 rps at 8 clients",
            f"{dashboard.loaded.rps:.0f} rps (cpu allows {dashboard.capacity_rps:.0f})",
            dashboard.loaded.rps > GOAL_DASHBOARD_RPS,
        ),
        ("start-up < 1.5 s", f"{startup:.2f} s", startup < GOAL_STARTUP_SECONDS),
        ("< 80 MB per worker", f"{worst_rss:.1f} MB RSS", worst_rss < GOAL_WORKER_RSS_MB),
    ]
    width = max(len(goal) for goal, _, _ in rows)
    print(f"{'goal':<{width}}  {'measured':<36}  met")
    for goal, value, met in rows:
        print(f"{goal:<{width}}  {value:<36}  {'yes' if met else 'NO'}")


if __name__ == "__main__":
    main()
