"""Helpers for property-based tests (Hypothesis) that touch the database.

Hypothesis runs a test body many times inside one pytest test, so pytest-django's
function-scoped fixtures (`db`, `user`, ...) would be shared by every example. A property test
takes no such fixture: it is marked `@pytest.mark.django_db`, builds what it needs inside
`rolled_back()`, and so each example starts from the same empty database.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils.datastructures import MultiValueDict
from hypothesis import strategies as st

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


@contextmanager
def rolled_back() -> Iterator[None]:
    """Everything written inside is undone at the end, whatever happens."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@contextmanager
def no_writes() -> Iterator[None]:
    """Fail if the database is written to inside."""
    with CaptureQueriesContext(connection) as captured:
        yield
    written = [
        q["sql"] for q in captured.captured_queries if q["sql"].lstrip().upper().startswith(WRITES)
    ]
    assert not written, written


def posted(
    fields: dict[str, st.SearchStrategy[str]], base: dict[str, str] | None = None
) -> st.SearchStrategy[MultiValueDict]:
    """What a browser (or anyone with curl) can POST: any of the fields, each once or repeated.

    With a base (a valid form's data), half the examples are the base with one or two fields
    changed, so that the path of a valid form is explored too.
    """

    def values(name: str) -> st.SearchStrategy[list[str]]:
        return st.lists(fields[name], min_size=1, max_size=3)

    anything = st.fixed_dictionaries({}, optional={name: values(name) for name in fields})
    if base is None:
        return anything.map(MultiValueDict)
    changed = st.lists(st.sampled_from(sorted(fields)), min_size=1, max_size=2, unique=True)
    near_base = changed.flatmap(lambda names: st.fixed_dictionaries({n: values(n) for n in names}))
    start = {name: [value] for name, value in base.items()}
    return st.one_of(
        anything.map(MultiValueDict), near_base.map(lambda drawn: MultiValueDict(start | drawn))
    )


def text_or(*plausible: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Any text at all, or a value close to what the field expects (so that some examples pass)."""
    return st.one_of(st.text(), *plausible)
