"""Your data, portable: export it all as a ZIP, bring an export back, import a Loop history,
or delete the account with everything in it.

Plain functions over the models and the storage API: the views only move files through HTTP.
The export's `data.json` carries a format version; an import checks every record before it
writes anything, and writes all of it or nothing.
"""

from tracker.portability.common import (
    FORMAT_VERSION,
    MAX_ARCHIVE_BYTES,
    MAX_LOOP_CSV_BYTES,
    ImportRefused,
    ImportResult,
)
from tracker.portability.export import export_document, export_zip, sessions_csv
from tracker.portability.loop import import_loop_csv, parse_loop_checkmarks
from tracker.portability.restore import import_zip

__all__ = [
    "FORMAT_VERSION",
    "MAX_ARCHIVE_BYTES",
    "MAX_LOOP_CSV_BYTES",
    "ImportRefused",
    "ImportResult",
    "export_document",
    "export_zip",
    "import_loop_csv",
    "import_zip",
    "parse_loop_checkmarks",
    "sessions_csv",
]
