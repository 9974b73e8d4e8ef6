"""Strict decoding shared by the readers: text, CSV, JSON and workbooks.

Decode with the publisher's encoding and fail loudly (``EncodingError``) instead of
producing mojibake; refuse files that end mid-record (``TruncatedFileError``); check
columns and sheets by name (``MissingColumnError``). Every failure names the file and
says how to fix it.
"""

from __future__ import annotations

import io
import json
import warnings
from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd

from reelib.exceptions import EncodingError, MissingColumnError, TruncatedFileError

_REFETCH = "re-fetch it: `reelib fetch` checks the sha256"

# Byte sequences that appear when UTF-8 text is decoded as cp1252 (mojibake).
_MOJIBAKE = ("â€", "Ã©", "Ã¨", "Ã¼", "Ã¶", "Â ")


def read_text(path: Path, encoding: str, *, expect: str | None = None,
              require_final_newline: bool = True) -> str:
    """Decode ``path`` with ``encoding``; raise a specific error if it is not that text.

    ``expect`` is a string the decoded text must contain (e.g. an em dash the publisher
    always prints), which catches files re-saved in another encoding.
    """
    data = Path(path).read_bytes()
    if not data:
        raise TruncatedFileError(path, "file is empty")
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise EncodingError(
            path, f"not valid {encoding} text: byte {data[exc.start:exc.start + 1]!r} at "
            f"offset {exc.start}", fix=f"the publisher's file is {encoding}; re-fetch it") from exc
    if encoding.lower() not in ("utf-8", "utf-8-sig") and any(m in text for m in _MOJIBAKE):
        raise EncodingError(path, f"looks like UTF-8 text decoded as {encoding} (mojibake)",
                            fix=f"the publisher's file is {encoding}; re-fetch it")
    if expect is not None and expect not in text:
        raise EncodingError(path, f"expected text {expect!r} not found after decoding as "
                            f"{encoding}", fix="the file was re-saved or is not this source")
    if require_final_newline and not text.endswith(("\n", "\r")):
        raise TruncatedFileError(path, "file does not end with a line break (cut off?)",
                                 fix=_REFETCH)
    return text


def read_csv_text(text: str, path: Path, **kwargs) -> pd.DataFrame:
    """Parse CSV ``text`` (all cells as strings); wrap parser errors as truncation errors."""
    try:
        return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, **kwargs)
    except pd.errors.ParserError as exc:
        raise TruncatedFileError(path, f"CSV does not parse ({exc})",
                                 fix=_REFETCH) from exc


def read_json(path: Path) -> object:
    """Parse a UTF-8 JSON file; a cut-off or corrupt file raises ``TruncatedFileError``."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise TruncatedFileError(path, f"not valid JSON ({exc.msg} at line {exc.lineno})",
                                 fix=_REFETCH) from exc


def require_columns(df: pd.DataFrame, columns: Iterable[str], path: Path | str,
                    what: str = "column") -> None:
    """Raise ``MissingColumnError`` naming the first expected column that is absent."""
    present = [str(c) for c in df.columns]
    for col in columns:
        if col not in present:
            raise MissingColumnError(path, f"expected {what} {col!r} is missing (renamed?)",
                                     column=col, fix=f"{what}s present: {present[:20]}")



def open_workbook(path: Path, *, data_only: bool = True, read_only: bool = False):
    """Open an .xlsx workbook with openpyxl; a damaged or cut-off file is a
    ``TruncatedFileError`` (openpyxl's print-area and style warnings are silenced)."""
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        try:
            return openpyxl.load_workbook(path, data_only=data_only, read_only=read_only)
        except Exception as exc:  # zip/XML errors mean a damaged or cut-off workbook
            raise TruncatedFileError(path, f"not a readable .xlsx workbook ({exc})",
                                     fix=_REFETCH) from exc


def require_sheets(sheet_names: list[str], wanted: Iterable[str], path: Path) -> None:
    """Raise ``MissingColumnError`` naming the first wanted sheet the workbook lacks."""
    for sheet in wanted:
        if sheet not in sheet_names:
            raise MissingColumnError(path, f"sheet {sheet!r} is missing", column=sheet,
                                     fix=f"sheets present: {list(sheet_names)}")


def read_sheets(path: Path, sheets: list[str]) -> dict:
    """Read the named sheets of a workbook in one pass, as frames of cell values (objects;
    an empty cell is missing). openpyxl's read-only mode, with the sheet's stated size
    ignored (DataWeb workbooks state none): about twice as fast as the full load."""
    book = open_workbook(path, read_only=True)
    try:
        require_sheets(book.sheetnames, sheets, path)
        out = {}
        for name in sheets:
            sheet = book[name]
            sheet.reset_dimensions()
            try:
                rows = list(sheet.iter_rows(values_only=True))
            except Exception as exc:  # zip/XML errors mean a damaged or cut-off workbook
                raise TruncatedFileError(path, f"not a readable .xlsx workbook ({exc})",
                                         fix=_REFETCH) from exc
            while rows and all(v is None for v in rows[-1]):
                rows.pop()
            width = max((len(r) for r in rows), default=0)  # rows end at their last cell
            out[name] = pd.DataFrame([r + (None,) * (width - len(r)) for r in rows],
                                     dtype=object).fillna(np.nan)
        return out
    finally:
        book.close()
