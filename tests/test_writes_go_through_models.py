"""Only the models write: views route, forms validate, importers and commands call models.

Reads the source of every tracker module outside tracker/models/ and fails on a call that
writes rows directly. Storage, dict and set calls look alike: `storage.save(name, content)`,
`names.update(more)`, `seen.add(key)` take positional arguments or a plain name as receiver,
and are told apart below. A deliberate write of something that is not tracker data carries a
`# not tracker data: <why>` comment on its line.
"""

import ast
from pathlib import Path

import pytest

TRACKER = Path(__file__).resolve().parent.parent / "tracker"
PRAGMA = "# not tracker data:"

ALWAYS_WRITES = {"bulk_create", "bulk_update", "create", "get_or_create", "update_or_create"}
# Model.save(), form.save(), QuerySet.delete(), instance.delete(): no positional arguments.
WRITES_WITHOUT_POSITIONAL = {"save", "delete"}
# Links between rows: `session.tools.add(...)`, never on a plain local set or dict.
M2M_WRITES = {"add", "set", "remove", "clear"}


def modules_outside_the_models() -> list[Path]:
    return sorted(
        path
        for path in TRACKER.rglob("*.py")
        if not {"models", "migrations"} & set(path.relative_to(TRACKER).parts)
    )


def direct_writes(source: str) -> list[tuple[int, str]]:
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        name, receiver = node.func.attr, node.func.value
        writes = (
            name in ALWAYS_WRITES
            or (name in WRITES_WITHOUT_POSITIONAL and not node.args)
            # QuerySet.update(field=value); dict.update(other) and set.update(other) differ.
            or (name == "update" and node.keywords and not node.args)
            or (name in M2M_WRITES and isinstance(receiver, ast.Attribute))
        )
        if writes and PRAGMA not in lines[node.lineno - 1]:
            found.append((node.lineno, ast.unparse(node)[:80]))
    return found


@pytest.mark.parametrize(
    "path", modules_outside_the_models(), ids=lambda p: str(p.relative_to(TRACKER))
)
def test_no_module_outside_the_models_writes_rows_directly(path: Path) -> None:
    writes = direct_writes(path.read_text())

    assert not writes, (
        f"{path.relative_to(TRACKER.parent)} writes directly; call an intent-named model "
        f"method instead: {writes}"
    )


@pytest.mark.parametrize(
    "line",
    [
        "form.save()",
        "session.delete()",
        "Tool.objects.create(owner=user, name='x')",
        "MassageSession.objects.filter(owner=user).update(minutes=3)",
        "RoutineStep.objects.bulk_create(steps)",
        "session.products.add(product)",
        "routine.products.set([product])",
        "Profile.objects.get_or_create(user=user)",
    ],
)
def test_the_check_sees_each_kind_of_direct_write(line: str) -> None:
    assert direct_writes(line)


@pytest.mark.parametrize(
    "line",
    [
        "storage.save(name, content)",
        "storage.delete(name)",
        "im.save(buffer, 'JPEG')",
        "names.update(more)",
        "seen.add(key)",
        "session.edit(minutes=3)",
        "user.save(update_fields=['password'])  # not tracker data: the auth user's password",
    ],
)
def test_the_check_lets_storage_dicts_sets_and_model_methods_be(line: str) -> None:
    assert not direct_writes(line)


def test_the_check_reads_every_view_form_importer_and_template_tag_module() -> None:
    names = {str(path.relative_to(TRACKER)) for path in modules_outside_the_models()}

    assert {
        "views/sessions.py",
        "forms/sessions.py",
        "portability/restore.py",
        "portability/loop.py",
        "templatetags/tracker_tags.py",
        "management/commands/seed_demo.py",
    } <= names
