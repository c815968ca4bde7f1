"""The pages cache's code fingerprint: every file that renders a cached part is in it."""

import ast
from pathlib import Path

from django.conf import settings

from tracker.pages import fingerprinted_files

ROOT = Path(settings.BASE_DIR)


def test_every_module_the_cached_parts_render_with_is_fingerprinted():
    covered = {path.relative_to(ROOT).as_posix() for path in fingerprinted_files()}

    for needed in (
        "templates/tracker/dashboard.html",
        "templates/tracker/history.html",
        "tracker/progress_html.py",
        "tracker/rows.py",
        "tracker/templatetags/tracker_tags.py",
        "tracker/guidance/texts.py",
    ):
        assert needed in covered


def test_the_tracker_modules_the_templates_tags_import_are_fingerprinted():
    """A tag's markup may come from any tracker module it imports."""
    covered = {path.resolve() for path in fingerprinted_files()}
    tags = ROOT / "tracker" / "templatetags" / "tracker_tags.py"
    tree = ast.parse(tags.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "tracker":
            for alias in node.names:
                module = ROOT / "tracker" / f"{alias.name}.py"
                if module.exists():
                    assert module.resolve() in covered, module
