"""Past one machine: two app servers sharing one PostgreSQL, one Redis and one object store.

`make check-scale` runs this inside scripts/with-postgres.sh (DATABASE_URL set). It starts
redis-server and moto's S3 server on free loopback ports, migrates, starts the task worker and
the reminder scheduler once, then two gunicorn servers on two ports with the same settings, and
checks what a load balancer in front of them would need:

- /health/ answers 200 on both (database, cache, worker, scheduler);
- a session logged through one server shows on the other's dashboard at once (never stale);
- a photo uploaded through one is served by the other as a signed, expiring URL whose bytes
  are the stored image's, and a stranger gets 404;
- 8 clients across both servers for 20 s: no errors, and exactly as many rows as logs.

Prints one PASS or FAIL line per check; exits 1 on any FAIL. Everything it started is stopped.
"""

import argparse
import http.client
import io
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from benchmarks.http import cookie_header, log_in, manage
from benchmarks.wire import fetch

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
BUCKET = "facetrack-photos"
SIGNED_URL_SECONDS = 60
PASSWORD = "scale-check-password-not-secret"
CLIENTS = 8
TOTALS = re.compile(rb"<dt>Sessions</dt>\s*<dd>(\d+)</dd>")


class Failed(Exception):
    pass


@dataclass
class Results:
    failed: int = 0
    passed: int = 0

    def check(self, name: str, function: Callable[[], str]) -> None:
        started = time.perf_counter()
        try:
            detail = function()
        except Failed as failure:
            self.failed += 1
            print(f"FAIL {name}: {failure}", flush=True)
        except Exception as error:  # a crash is a failure of the check, reported as such
            self.failed += 1
            print(f"FAIL {name}: {type(error).__name__}: {error}", flush=True)
        else:
            self.passed += 1
            print(f"PASS {name}: {detail} ({time.perf_counter() - started:.1f} s)", flush=True)


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise Failed(message)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, name: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{name} exited with {process.returncode}")
        with suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return
        time.sleep(0.1)
    raise RuntimeError(f"{name} did not listen on port {port} within {seconds:.0f} s")


def stop_with_parent() -> None:
    """Linux: SIGTERM to this process when its parent dies (a killed wrapper, a CI timeout),
    so nothing started here outlives the run."""
    with suppress(OSError, AttributeError):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


PR_SET_PDEATHSIG = 1


class Processes:
    """Every process started here, stopped in reverse order whatever happens."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.running: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, command: list[str], env: dict[str, str]) -> subprocess.Popen:
        log = (self.workdir / f"{name}.log").open("wb")
        process = subprocess.Popen(
            command,
            cwd=REPO,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=stop_with_parent,  # even if this driver is killed outright
        )
        self.running.append((name, process))
        return process

    def log_tail(self, name: str, chars: int = 2000) -> str:
        path = self.workdir / f"{name}.log"
        return path.read_text(errors="replace")[-chars:] if path.exists() else ""

    def stop_all(self) -> None:
        for _, process in reversed(self.running):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for _, process in reversed(self.running):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def app_env(workdir: Path, redis_port: int, s3_port: int) -> dict[str, str]:
    """Production settings (DEBUG off) on loopback without TLS; shared database, cache, bucket."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "GUNICORN_", "WEB_CONCURRENCY", "AWS_", "REDIS_URL"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SECURE_COOKIES="0",
        DJANGO_VAR_DIR=str(workdir / "var"),
        REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
        DJANGO_PHOTOS_S3_BUCKET=BUCKET,
        DJANGO_PHOTOS_S3_ENDPOINT_URL=f"http://127.0.0.1:{s3_port}",
        DJANGO_PHOTOS_SIGNED_URL_SECONDS=str(SIGNED_URL_SECONDS),
        DJANGO_PHOTOS_IMG_ORIGINS=f"http://127.0.0.1:{s3_port}",
        AWS_ACCESS_KEY_ID="scale-check",
        AWS_SECRET_ACCESS_KEY="scale-check-secret",
        AWS_DEFAULT_REGION="us-east-1",
        # The scheduler wakes the worker each minute: /health/ sees both within seconds.
        DJANGO_BACKGROUND_STALE_SECONDS="300",
    )
    return env


def create_database(url: str) -> None:
    """with-postgres.sh names a database it does not create."""
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not exists.fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def get_json(port: int, path: str) -> tuple[int, dict]:
    import json

    status, _, body = fetch(port, "GET", path, {})
    try:
        return status, json.loads(body)
    except ValueError:
        return status, {"body": body[:200].decode(errors="replace")}


def wait_for_health(ports: list[int], seconds: float = 90) -> dict[int, dict]:
    deadline = time.monotonic() + seconds
    last: dict[int, tuple[int, dict]] = {}
    while time.monotonic() < deadline:
        for port in ports:
            with suppress(OSError):
                last[port] = get_json(port, "/health/")
        if len(last) == len(ports) and all(status == 200 for status, _ in last.values()):
            return {port: body for port, (_, body) in last.items()}
        time.sleep(0.5)
    raise RuntimeError(f"/health/ did not answer 200 on both servers: {last}")


# In-process Django (same settings and database as the servers): accounts, and counting rows.


def make_account(username: str, password_hash: str):
    from django.contrib.auth.models import User

    from tracker.models import Routine, Tool
    from tracker.starters import STARTERS, starter_step_values

    # The post_save signal gives the user a profile.
    user = User.objects.create(username=username, password=password_hash)
    tools = {
        kind: Tool.objects.add_for(user, kind=kind, name=Tool.Kind(kind).label)
        for kind in sorted({step.tool_kind for step in STARTERS[0].steps} - {""})
    }
    routine = Routine.objects.add_for(
        user, name=STARTERS[0].name, steps=starter_step_values(STARTERS[0], tools)
    )
    return user, routine


@dataclass
class Browser:
    """One person's cookies, valid on either server (sessions live in the shared database)."""

    username: str
    cookies: dict[str, str]
    routine_pk: int

    def headers(self, **extra: str) -> dict[str, str]:
        return {"Cookie": cookie_header(self.cookies), **extra}

    def log_session(self, connection: http.client.HTTPConnection) -> int:
        headers = self.headers(
            **{
                "HX-Request": "true",
                "HX-Target": "log-status",
                "X-CSRFToken": self.cookies["csrftoken"],
                "Content-Type": "application/x-www-form-urlencoded",
            }
        )
        body = urllib.parse.urlencode({"client_id": str(uuid.uuid4())}).encode()
        connection.request("POST", f"/routines/{self.routine_pk}/log/", body, headers)
        response = connection.getresponse()
        response.read()
        return response.status

    def dashboard_total(self, connection: http.client.HTTPConnection) -> int:
        connection.request("GET", "/", headers=self.headers())
        response = connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise Failed(f"the dashboard answered {response.status}")
        found = TOTALS.search(body)
        if not found:
            raise Failed("no session total on the dashboard")
        return int(found[1])


def sign_in(port: int, username: str, routine_pk: int) -> Browser:
    return Browser(username, log_in(port, username, PASSWORD), routine_pk)


def connect(port: int) -> http.client.HTTPConnection:
    return http.client.HTTPConnection("127.0.0.1", port, timeout=10)


def check_health(ports: list[int]) -> str:
    answers = {}
    for port in ports:
        status, body = get_json(port, "/health/")
        expect(status == 200, f"port {port} answered {status}: {body}")
        answers[port] = ",".join(sorted(name for name, c in body["checks"].items() if c["ok"]))
    expect(len(set(answers.values())) == 1, f"the servers disagree: {answers}")
    return f"200 on both servers, checks ok: {next(iter(answers.values()))}"


def check_never_stale(browser: Browser, ports: list[int], rounds: int = 15) -> str:
    """Log through one server, read the dashboard from the other, both ways round."""
    first, second = connect(ports[0]), connect(ports[1])
    try:
        before = browser.dashboard_total(second)
        for done in range(1, rounds + 1):
            writer, reader = (first, second) if done % 2 else (second, first)
            status = browser.log_session(writer)
            expect(status == 200, f"log #{done} answered {status}")
            total = browser.dashboard_total(reader)
            expect(total == before + done, f"after log #{done} the other server shows {total}")
    finally:
        first.close()
        second.close()
    return f"{rounds} logs, each seen at once on the other server's dashboard"


def jpeg(width: int = 600, height: int = 800) -> bytes:
    from PIL import Image

    image = Image.effect_noise((width, height), 40).convert("RGB")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def multipart(fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    boundary = secrets.token_hex(16)
    parts = []
    for name, value in fields.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(f"{head}{value}\r\n".encode())
    for name, (filename, data) in files.items():
        parts.append(
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: image/jpeg\r\n\r\n'
            ).encode()
            + data
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def check_photos(owner: Browser, stranger: Browser, ports: list[int], s3_port: int) -> str:
    """Upload through one server; the other redirects to a signed URL of the stored bytes."""
    import boto3
    from PIL import Image

    from tracker.models import ProgressPhoto

    body, content_type = multipart(
        {
            "angle": "front",
            "timing": "unrelated",
            "csrfmiddlewaretoken": owner.cookies["csrftoken"],
        },
        {"photos": ("IMG_0001.jpg", jpeg())},
    )
    headers = owner.headers(
        **{"Content-Type": content_type, "X-CSRFToken": owner.cookies["csrftoken"]}
    )
    status, _, _ = fetch(ports[0], "POST", "/photos/new/", headers, body)
    expect(status in {200, 302}, f"the upload answered {status}")
    photo = ProgressPhoto.objects.filter(owner__username=owner.username).order_by("-pk").first()
    expect(photo is not None, f"no photo stored (the upload answered {status})")

    bucket = boto3.client("s3", endpoint_url=f"http://127.0.0.1:{s3_port}", region_name="us-east-1")
    checked = []
    for kind in ("image", "thumbnail"):
        path = f"/photos/{photo.pk}/{kind}/"
        status, headers_back, _ = fetch(ports[1], "GET", path, owner.headers())
        expect(status == 302, f"{kind} through the other server answered {status}, not 302")
        url = headers_back["Location"]
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(url).query)
        expect("X-Amz-Signature" in query, f"the {kind} URL is not signed: {url}")
        expires = query.get("X-Amz-Expires", ["(none)"])[0]
        expect(expires == str(SIGNED_URL_SECONDS), f"X-Amz-Expires={expires}, not the setting")
        expect(
            "no-store" in headers_back.get("Cache-Control", ""), f"the {kind} redirect is cacheable"
        )
        parts = urllib.parse.urlsplit(url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        try:
            connection.request("GET", f"{parts.path}?{parts.query}")
            response = connection.getresponse()
            fetched = response.read()
        finally:
            connection.close()
        expect(response.status == 200, f"the signed {kind} URL answered {response.status}")
        name = photo.image.name if kind == "image" else photo.thumbnail.name
        stored = bucket.get_object(Bucket=BUCKET, Key=name)["Body"].read()
        expect(fetched == stored, f"the {kind}'s bytes differ from the stored object {name}")
        size = Image.open(io.BytesIO(fetched)).size
        if kind == "image":
            expect(size == (photo.width, photo.height), f"the image is {size}")
        for port in ports:
            status, _, _ = fetch(port, "GET", path, stranger.headers())
            expect(status == 404, f"a stranger got {status} for the {kind} on port {port}")
        checked.append(f"{kind} {len(fetched)} B")
    return (
        f"uploaded via :{ports[0]}, served via :{ports[1]}: {', '.join(checked)} match the bucket; "
        f"X-Amz-Signature present, X-Amz-Expires={SIGNED_URL_SECONDS}; a stranger gets 404"
    )


def check_concurrent(browsers: list[Browser], ports: list[int], seconds: float) -> str:
    """Each client logs through one server and reads its dashboard from the other, in turn."""
    from tracker.models import MassageSession

    users = [browser.username for browser in browsers]
    before = MassageSession.objects.filter(owner__username__in=users).count()
    logged = [0] * len(browsers)
    errors: list[str] = []
    requests = [0] * len(browsers)
    stop_at = time.monotonic() + seconds
    lock = threading.Lock()

    def client(index: int) -> None:
        browser = browsers[index]
        connections = [connect(port) for port in ports]
        start = browser_total = None
        try:
            start = browser.dashboard_total(connections[index % 2])
            turn = index
            while time.monotonic() < stop_at:
                writer, reader = connections[turn % 2], connections[(turn + 1) % 2]
                turn += 1
                status = browser.log_session(writer)
                requests[index] += 1
                if status != 200:
                    raise Failed(f"a log answered {status}")
                logged[index] += 1
                browser_total = browser.dashboard_total(reader)
                requests[index] += 1
                if browser_total != start + logged[index]:
                    raise Failed(
                        f"stale dashboard: {browser_total}, expected {start + logged[index]}"
                    )
        except (Failed, OSError, http.client.HTTPException) as error:
            with lock:
                errors.append(f"client {index}: {type(error).__name__}: {error}")
        finally:
            for connection in connections:
                connection.close()

    threads = [threading.Thread(target=client, args=(i,)) for i in range(len(browsers))]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    rows = MassageSession.objects.filter(owner__username__in=users).count() - before
    expect(not errors, f"{len(errors)} errors, first: {errors[:1]}")
    expect(rows == sum(logged), f"{rows} new rows for {sum(logged)} logs")
    return (
        f"{len(browsers)} clients x {elapsed:.0f} s across both servers: {sum(requests)} requests "
        f"({sum(requests) / elapsed:.0f}/s), 0 errors, {sum(logged)} logs = {rows} new rows, "
        f"every dashboard read up to date"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=20.0, help="the concurrent run")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    options = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Run through scripts/check-scale.sh (it starts PostgreSQL).")
    # A SIGTERM (CI's timeout, a Ctrl-C) still runs the teardown below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    stop_with_parent()
    started = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(prefix="facetrack-scale-"))
    processes = Processes(workdir)
    try:
        failed = run(processes, workdir, options)
    except Exception:
        for name, _ in processes.running:
            if tail := processes.log_tail(name):
                print(f"--- {name} log (end) ---\n{tail}", file=sys.stderr)
        raise
    finally:
        processes.stop_all()
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"(whole check: {time.perf_counter() - started:.0f} s)")
    sys.exit(1 if failed else 0)


def run(processes: Processes, workdir: Path, options: argparse.Namespace) -> int:
    redis_port, s3_port = free_port(), free_port()
    redis = shutil.which("redis-server") or "/usr/bin/redis-server"
    server = processes.start(
        "redis",
        [
            redis,
            "--port",
            str(redis_port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        dict(os.environ),
    )
    wait_for_port(redis_port, server, "redis-server")
    moto = processes.start(
        "moto", [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(s3_port)], dict(os.environ)
    )
    wait_for_port(s3_port, moto, "moto_server")
    env = app_env(workdir, redis_port, s3_port)
    (workdir / "var").mkdir()
    os.environ.update(env)

    import boto3

    boto3.client("s3", endpoint_url=f"http://127.0.0.1:{s3_port}").create_bucket(Bucket=BUCKET)
    create_database(env["DATABASE_URL"])
    manage(env, ["migrate", "--noinput"], ["collectstatic", "--noinput"])
    print(f"redis on :{redis_port}, S3 (moto) on :{s3_port}, bucket {BUCKET}, migrated", flush=True)

    processes.start(
        "worker", [sys.executable, "manage.py", "db_worker", "--interval", "1", "--no-reload"], env
    )
    processes.start("scheduler", [sys.executable, "manage.py", "schedule_reminders"], env)
    ports = [free_port(), free_port()]
    for number, port in enumerate(ports, 1):
        command = [sys.executable, "-m", "gunicorn", "config.wsgi"]
        command += ["-b", f"127.0.0.1:{port}", "-w", str(options.workers)]
        gunicorn = processes.start(f"gunicorn{number}", command, env)
        wait_for_port(port, gunicorn, f"gunicorn {number}")
    wait_for_health(ports)
    print(f"two servers on :{ports[0]} and :{ports[1]}, one worker, one scheduler", flush=True)

    import django

    django.setup()
    from django.contrib.auth.hashers import make_password

    password_hash = make_password(PASSWORD)
    accounts = [make_account(f"scale{n}", password_hash) for n in range(CLIENTS + 1)]
    # Half signed in through each server: a session made on one is valid on the other.
    browsers = [
        sign_in(ports[n % 2], user.username, routine.pk)
        for n, (user, routine) in enumerate(accounts)
    ]
    owner, stranger = browsers[0], browsers[-1]

    results = Results()
    results.check("health", lambda: check_health(ports))
    results.check("never stale", lambda: check_never_stale(owner, ports))
    results.check("photos", lambda: check_photos(owner, stranger, ports, s3_port))
    results.check(
        "concurrent", lambda: check_concurrent(browsers[:CLIENTS], ports, options.seconds)
    )
    results.check("health after load", lambda: check_health(ports))
    print(f"{results.passed} passed, {results.failed} failed")
    return results.failed


if __name__ == "__main__":
    main()
