"""Lighthouse on the demo account's main pages, as in production: `make lighthouse`.

Seeds the demo account into a throwaway SQLite database, serves it with gunicorn (DEBUG off,
static files through whitenoise) on localhost, logs in through the form, then runs the
`lighthouse` npm package (package.json; `npm ci` installs it) with Debian's Chromium at its
default mobile settings on the dashboard, the history and the guided session. Prints the
performance, accessibility and best-practices scores and the cumulative layout shift of each
page, and exits 1 when a score is below 100 or a layout shift above 0.

Not part of `make test`: one Lighthouse run takes about half a minute on two cores.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.http import gunicorn, log_in, production_env

REPO = Path(__file__).resolve().parent.parent
LIGHTHOUSE = REPO / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices")
# Without the last four, Chromium stalls trying to reach Google's services on the closed network.
CHROME_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chrome-path", default=os.environ.get("CHROMIUM_PATH"))
    parser.add_argument("--keep", type=Path, help="keep the JSON reports in this folder")
    options = parser.parse_args()
    chrome = options.chrome_path or shutil.which("chromium") or shutil.which("chromium-browser")
    if not chrome:
        sys.exit("No Chromium found: install Debian's chromium package or set CHROMIUM_PATH.")
    if not LIGHTHOUSE.exists():
        sys.exit("No Lighthouse: run `npm ci` first (make lighthouse does).")
    workdir = Path(tempfile.mkdtemp(prefix="facetrack-lighthouse-"))
    try:
        failures = run(workdir, chrome, options.keep)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if failures:
        print("Below the goal (100 in each category, no layout shift):")
        for failure in failures:
            print(f"  {failure}")
        sys.exit(1)
    print("Every page: 100 in each category, no layout shift.")


def run(workdir: Path, chrome: str, keep: Path | None) -> list[str]:
    env = production_env(workdir)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_ALLOWED_HOSTS="localhost,127.0.0.1",
    )
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"], ["seed_demo"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=REPO,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )
    # This process reads the same database: the demo's routine, its name and password.
    os.environ.update(env)
    import django

    django.setup()
    from tracker.management.commands.seed_demo import PASSWORD, USERNAME
    from tracker.models import Routine

    routine = Routine.objects.filter(owner__username=USERNAME).order_by("pk").first()
    pages = {
        "dashboard": "/",
        "history": "/sessions/",
        "guided-session": f"/routines/{routine.pk}/guide/",
    }
    failures = []
    with gunicorn(env, workdir) as (port, _startup, _pid):
        cookies = log_in(port, USERNAME, PASSWORD)
        cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
        print(f"{'page':<16} {'perf':>5} {'a11y':>5} {'best':>5} {'CLS':>7}")
        for name, path in pages.items():
            report = lighthouse(chrome, f"http://localhost:{port}{path}", cookie, workdir, name)
            if keep:
                keep.mkdir(parents=True, exist_ok=True)
                shutil.copy(workdir / f"{name}.json", keep / f"{name}.json")
            failures += summarise(name, report)
    return failures


def lighthouse(chrome: str, url: str, cookie: str, workdir: Path, name: str) -> dict:
    output = workdir / f"{name}.json"
    command = [
        str(LIGHTHOUSE),
        url,
        f"--chrome-path={chrome}",
        f"--chrome-flags={' '.join(CHROME_FLAGS)}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--extra-headers={json.dumps({'Cookie': cookie})}",
        "--output=json",
        f"--output-path={output}",
        "--quiet",
    ]
    environment = {**os.environ, "CHROME_PATH": chrome}
    subprocess.run(command, cwd=REPO, env=environment, check=True, timeout=300)
    return json.loads(output.read_text())


def summarise(name: str, report: dict) -> list[str]:
    scores = {key: round(report["categories"][key]["score"] * 100) for key in CATEGORIES}
    shift = report["audits"]["cumulative-layout-shift"]["numericValue"]
    print(
        f"{name:<16} {scores['performance']:>5} {scores['accessibility']:>5} "
        f"{scores['best-practices']:>5} {shift:>7.3f}"
    )
    if report.get("finalDisplayedUrl", report.get("finalUrl", "")).find("/login") >= 0:
        return [f"{name}: landed on the login page (the session cookie was not taken)"]
    failures = [f"{name}: {key} {score}" for key, score in scores.items() if score < 100]
    failures += [f"{name}: cumulative layout shift {shift:.3f}"] if shift > 0 else []
    failures += [f"{name}: {line}" for line in failing_audits(report)]
    return failures


def failing_audits(report: dict) -> list[str]:
    """The audits behind a score under 100, to say what to fix."""
    lines = []
    for key in CATEGORIES:
        category = report["categories"][key]
        if category["score"] >= 1:
            continue
        for ref in category["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
                value = audit.get("displayValue", "")
                lines.append(f"  {key} / {ref['id']}: score {audit['score']} {value}".rstrip())
    return lines


if __name__ == "__main__":
    main()
