"""The production settings plus one page that exists only while the benchmark runs.

`python -m benchmarks.http` points DJANGO_SETTINGS_MODULE here, so the floor page never
exists in a real deployment, and config/ carries no switch for it.
"""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.urls"
