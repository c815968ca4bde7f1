"""The web processes never load pywebpush: it brings aiohttp and requests (about 11 MB of a
worker's memory), and only the task worker sends pushes."""

import subprocess
import sys

from django.conf import settings

PROGRAM = """
import sys
import django
django.setup()
from django.urls import get_resolver
from config.wsgi import application
# Every view module, as a worker that answered every page has them.
for pattern in get_resolver().url_patterns:
    pass
import tracker.views.reminders, tracker.views.accounts, tracker.checks
print(sorted(m for m in ("aiohttp", "pywebpush", "requests") if m in sys.modules))
"""


def test_serving_pages_loads_no_push_sending_library():
    answer = subprocess.run(
        [sys.executable, "-c", PROGRAM],
        cwd=settings.BASE_DIR,
        env={"DJANGO_SETTINGS_MODULE": "config.settings", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    assert answer.stdout.strip().splitlines()[-1] == "[]"
