"""One base exception, ``ReelibError``, and specific subclasses with structured fields.

Every message names the file, and where it applies the row, column and offending value,
and says what to do about it. ``exit_code`` is what the ``reelib`` command exits with
when the error stops it (the README lists the codes).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def _where(file: str | Path | None, row: Any = None, column: str | None = None) -> str:
    parts = []
    if file is not None:
        parts.append(str(file))
    if row is not None:
        parts.append(f"row {row}")
    if column is not None:
        parts.append(f"column {column!r}")
    return ", ".join(parts)


class ReelibError(Exception):
    """Raised for any error the project detects itself (base class)."""

    #: exit code of the ``reelib`` command when this error stops it
    exit_code = 2


class UnsafePathError(ReelibError):
    """Raised when a name or path from a file would reach outside its folder."""


# --- sources and fetch -------------------------------------------------------------


class RegistryError(ReelibError):
    """Raised when a registry or reports file is malformed or names an unknown entry."""


class SourceNotFoundError(ReelibError):
    """Raised when a registered file is neither in the mirror nor downloadable."""

    def __init__(self, source_id: str, file_name: str, tried: list[str]):
        self.source_id, self.file_name, self.tried = source_id, file_name, tried
        super().__init__(
            f"{source_id}/{file_name}: not found (tried {'; '.join(tried)}). "
            "Set REELIB_MIRROR to a folder holding the mirrored sources, or check the "
            "download_url in data/raw/registry.yaml."
        )


class MirrorMissingError(ReelibError):
    """Raised when files that only the mirror holds cannot be found: one message for the
    whole fetch, naming what downloads by itself and what needs the mirror archive."""

    def __init__(self, missing: list[str], downloadable: list[str]):
        self.missing, self.downloadable = missing, downloadable
        super().__init__(
            f"{len(missing)} source(s) are published without a download address the build "
            f"can use and are not in the mirror: {', '.join(missing)}. Get them from the "
            "mirror archive (`make mirror-archive` on a machine with the mirror writes "
            "reelib-mirror.tar.gz; CI attaches it to the release tagged 'mirror'), unpack it "
            "into a folder and set REELIB_MIRROR to it. "
            + (f"These download by themselves: {', '.join(downloadable)}."
               if downloadable else ""))


class HashMismatchError(ReelibError):
    """Raised when a file's sha256 differs from the one pinned in the registry."""

    def __init__(self, path: str | Path, expected: str, actual: str):
        self.path, self.expected, self.actual = Path(path), expected, actual
        super().__init__(
            f"{path}: sha256 {actual} does not match the registry ({expected}). The file is "
            "not the published edition (changed, truncated or a different version). Restore "
            "the published file, or register the new edition with its own id and hash."
        )


# --- reading and cleaning ------------------------------------------------------------


class SourceFormatError(ReelibError):
    """Raised when a source file cannot be read as the format its reader expects."""

    def __init__(self, file: str | Path, message: str, *, row: Any = None,
                 column: str | None = None, value: Any = None, fix: str | None = None):
        self.file, self.row, self.column, self.value, self.fix = file, row, column, value, fix
        where = _where(file, row, column)
        text = f"{where}: {message}"
        if value is not None:
            text += f" (value {value!r})"
        if fix:
            text += f". {fix}"
        super().__init__(text)


class UnmappedTextError(SourceFormatError):
    """Raised when a publisher's text (a commodity code, a measure, a unit) has no line in
    the reviewed mapping that says what it means. The message gives the line to add."""

    def __init__(self, file: str | Path, what: str, *, row: Any = None, column: str | None = None,
                 value: Any = None, mapping: str, line: str):
        super().__init__(file, f"{what} has no line in {mapping}", row=row, column=column,
                         value=value, fix=f"review it and add to {mapping}: {line}")


class EncodingError(SourceFormatError):
    """Raised when a file is not in the text encoding its publisher uses."""


class TruncatedFileError(SourceFormatError):
    """Raised when a file ends early (fewer rows or an unterminated structure)."""


class MissingColumnError(SourceFormatError):
    """Raised when an expected column (or sheet) is absent or renamed."""


class UnparseableValueError(SourceFormatError):
    """Raised when a cell holds a value that is not a number or a documented code."""


class UnknownCountryError(SourceFormatError):
    """Raised when a country name has no ISO3 code and no entry in the overrides file."""


class StaleCorrectionError(SourceFormatError):
    """Raised when a registered correction does not match the file it is meant for."""


class DuplicateKeyError(ReelibError):
    """Raised when a table has more than one row for a key that must be unique."""

    def __init__(self, table: str, key: list[str], examples: list[tuple]):
        self.table, self.key, self.examples = table, key, examples
        super().__init__(
            f"{table}: {len(examples)} duplicated key(s) on {key}, e.g. {examples[:3]}. "
            "Each key must appear once; check for a repeated row in the source or a missing "
            "key column (edition, measure, flow)."
        )


class RowCountError(ReelibError):
    """Raised when a source yields fewer (or more) rows than its edition is known to hold."""

    def __init__(self, table: str, source_id: str, edition: str, rows: int,
                 expected: tuple[int, int] | None):
        self.table, self.source_id, self.edition = table, source_id, edition
        self.rows, self.expected = rows, expected
        if expected is None:
            text = (f"{table}: {source_id} ({edition}) gave {rows:,} rows and has no expected "
                    f"row count; check the count against the publication and add "
                    f"'\"{source_id} | {edition}\": [{rows}, {rows}]' under {table} in "
                    "src/reelib/processed/row_counts.yaml")
        else:
            text = (f"{table}: {source_id} ({edition}) gave {rows:,} rows, expected "
                    f"{expected[0]:,}-{expected[1]:,}. A file cut short can still parse; "
                    "re-fetch it (`reelib fetch` checks the sha256). If a reader change is "
                    "meant to change the rows, update src/reelib/processed/row_counts.yaml.")
        super().__init__(text)


class SchemaValidationError(ReelibError):
    """Raised when a processed table breaks its pandera schema."""

    def __init__(self, table: str, failures: str):
        self.table, self.failures = table, failures
        super().__init__(f"{table} failed validation:\n{failures}")


# --- analysis ----------------------------------------------------------------------


class BasisMismatchError(ReelibError):
    """Raised when shares or sums would mix quantities on different bases or units."""


class InsufficientDataError(ReelibError):
    """Raised when an analysis needs more observations than the data hold."""


class SelectionError(ReelibError):
    """Raised when a requested commodity, element, edition or series is not in the data."""


# --- report build ----------------------------------------------------------------------


class ParameterError(ReelibError):
    """Raised when report parameters do not match a notebook's parameters cell or name
    values the processed tables do not hold."""


class BuildLockedError(ReelibError):
    """Raised when another build holds the lock of the same reports folder."""

    exit_code = 3


class ReportTimeoutError(ReelibError):
    """Raised when a report runs longer than its timeout (its process is killed)."""


class NotebookExecutionError(ReelibError):
    """Raised when a notebook fails while the report build executes it."""

    exit_code = 1

    def __init__(self, report: str, notebook: str | Path, cell_index: int | None,
                 ename: str, evalue: str, executed_path: str | Path | None,
                 source: str = ""):
        self.report, self.notebook, self.cell_index = report, notebook, cell_index
        self.ename, self.evalue, self.executed_path = ename, evalue, executed_path
        first = next((ln.strip() for ln in source.splitlines()
                      if ln.strip() and not ln.strip().startswith("#")), "")
        where = f"cell {cell_index} of the executed notebook" + (f" ({first[:70]!r})"
                                                                if first else "")
        super().__init__(
            f"report {report!r}: {notebook} failed in {where}: {ename}: {evalue}. "
            f"The failed notebook is kept at {executed_path} for reading."
        )


class MissingArtefactError(ReelibError):
    """Raised when a notebook ran but did not produce a figure, table or fact it declares."""

    exit_code = 1

    def __init__(self, report: str, missing: list[str]):
        self.report, self.missing = report, missing
        super().__init__(f"report {report!r} did not produce: {', '.join(missing)}")
