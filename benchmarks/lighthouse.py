"""Lighthouse on the demo account's main pages, as in production: `make lighthouse`.

Seeds the demo account into a throwaway SQLite database, serves it with gunicorn (DEBUG off,
static files through whitenoise) on localhost, logs in through the form, then runs the
`lighthouse` npm package (package.json; `npm ci` installs it) with Debian's Chromium at its
default mobile settings on the dashboard, the history and the guided session. Prints the
performance, accessibility and best-practices scores and the cumulative layout shift of each
page, and exits 1 when a score is below 100 or a layout shift above 0.

Each page is measured three times (--runs) and the median run counts, as Lighthouse advises for
scores that vary. Performance depends on the machine: Lighthouse's benchmark index and the load
average are printed at the end, and on two cores shared with other work the blocking time (and
so the performance score) of the same page moves by ten points or more.

Not part of `make test`: it takes about three minutes on two cores.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.http import gunicorn, log_in, manage, production_env

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
    parser.add_argument(
        "--runs", type=int, default=3, help="runs per page; the median run counts (default 3)"
    )
    options = parser.parse_args()
    chrome = options.chrome_path or shutil.which("chromium") or shutil.which("chromium-browser")
    if not chrome:
        sys.exit("No Chromium found: install Debian's chromium package or set CHROMIUM_PATH.")
    if not LIGHTHOUSE.exists():
        sys.exit("No Lighthouse: run `npm ci` first (make lighthouse does).")
    workdir = Path(tempfile.mkdtemp(prefix="facetrack-lighthouse-"))
    try:
        failures = run(workdir, chrome, options.keep, options.runs)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if failures:
        print("Below the goal (100 in each category, no layout shift):")
        for failure in failures:
            print(f"  {failure}")
        sys.exit(1)
    print("Every page: 100 in each category, no layout shift.")


def run(workdir: Path, chrome: str, keep: Path | None, runs: int) -> list[str]:
    env = production_env(workdir)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_ALLOWED_HOSTS="localhost,127.0.0.1",
    )
    manage(env, ["migrate", "--noinput"], ["collectstatic", "--noinput"], ["seed_demo"])
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
    failures, indexes = [], []
    with gunicorn(env, workdir) as (port, _startup, _pid):
        cookies = log_in(port, USERNAME, PASSWORD)
        # The session alone (and the CSRF cookie): the login's "Logged in" message, sent again
        # with every request, would show on every page.
        cookie = "; ".join(f"{name}={cookies[name]}" for name in ("sessionid", "csrftoken"))
        print(f"{'page':<16} {'perf':>5} {'a11y':>5} {'best':>5} {'CLS':>7}  (median of {runs})")
        for name, path in pages.items():
            url = f"http://localhost:{port}{path}"
            reports = [lighthouse(chrome, url, cookie, workdir, f"{name}-{n}") for n in range(runs)]
            report = median_run(reports)
            indexes += [each["environment"]["benchmarkIndex"] for each in reports]
            if keep:
                keep.mkdir(parents=True, exist_ok=True)
                for n, each in enumerate(reports):
                    (keep / f"{name}-{n}.json").write_text(json.dumps(each))
            failures += summarise(name, report, reports)
    # Lighthouse's own measure of the machine's speed: under about 1000, or with other
    # programs busy on the cores, performance scores drop (the blocking time above all).
    low, high, load = min(indexes), max(indexes), os.getloadavg()[0]
    print(f"(benchmark index {low:.0f}-{high:.0f}; load average {load:.2f})")
    if load > (os.cpu_count() or 1):
        print("(more work than cores: the performance scores say more about the machine)")
    return failures


def median_run(reports: list[dict]) -> dict:
    """The run with the median performance score (Lighthouse's advice for variable results)."""
    ordered = sorted(reports, key=lambda report: report["categories"]["performance"]["score"])
    return ordered[len(ordered) // 2]


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
    # On a busy machine Lighthouse now and then loses its trace (NO_NAVSTART): once more.
    for attempt in range(3):
        done = subprocess.run(command, cwd=REPO, env=environment, timeout=300)
        if done.returncode == 0:
            return json.loads(output.read_text())
        print(f"(Lighthouse failed on {url}, attempt {attempt + 1} of 3)")
    raise RuntimeError(f"Lighthouse failed three times on {url}")


def summarise(name: str, report: dict, reports: list[dict]) -> list[str]:
    scores = {key: round(report["categories"][key]["score"] * 100) for key in CATEGORIES}
    shift = report["audits"]["cumulative-layout-shift"]["numericValue"]
    every = [round(each["categories"]["performance"]["score"] * 100) for each in reports]
    shifts = [each["audits"]["cumulative-layout-shift"]["numericValue"] for each in reports]
    print(
        f"{name:<16} {scores['performance']:>5} {scores['accessibility']:>5} "
        f"{scores['best-practices']:>5} {shift:>7.3f}  (performance {every}, "
        f"largest layout shift {max(shifts):.3f})"
    )
    if report.get("finalDisplayedUrl", report.get("finalUrl", "")).find("/login") >= 0:
        return [f"{name}: landed on the login page (the session cookie was not taken)"]
    failures = [f"{name}: {key} {score}" for key, score in scores.items() if score < 100]
    # A layout shift in any run fails: a page that moves, moves every time on a slow phone.
    if max(shifts) > 0:
        failures.append(f"{name}: cumulative layout shift {max(shifts):.3f}")
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
