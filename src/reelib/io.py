"""Strict reading helpers and atomic, byte-reproducible writing.

Reading: decode with the publisher's encoding and fail loudly (``EncodingError``) instead
of producing mojibake; refuse files that end mid-record (``TruncatedFileError``); check
columns by name (``MissingColumnError``).

Writing: every output goes to a temporary file in the destination folder and is renamed
into place only when complete, so bad input never half-writes a table. Parquet and CSV
are written without timestamps, so re-running on the same inputs gives identical bytes.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd

from reelib.exceptions import EncodingError, MissingColumnError, TruncatedFileError

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
                                 fix="re-fetch it: `reelib fetch` checks the sha256")
    return text


def read_csv_text(text: str, path: Path, **kwargs) -> pd.DataFrame:
    """Parse CSV ``text`` (all cells as strings); wrap parser errors as truncation errors."""
    try:
        return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, **kwargs)
    except pd.errors.ParserError as exc:
        raise TruncatedFileError(path, f"CSV does not parse ({exc})",
                                 fix="re-fetch it: `reelib fetch` checks the sha256") from exc


def sha256_file(path: Path) -> str:
    """The sha256 of a file's bytes (how the build and reports name an input's version)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def read_json(path: Path) -> object:
    """Parse a UTF-8 JSON file; a cut-off or corrupt file raises ``TruncatedFileError``."""
    import json

    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise TruncatedFileError(path, f"not valid JSON ({exc.msg} at line {exc.lineno})",
                                 fix="re-fetch it: `reelib fetch` checks the sha256") from exc


def require_columns(df: pd.DataFrame, columns: Iterable[str], path: Path | str,
                    what: str = "column") -> None:
    """Raise ``MissingColumnError`` naming the first expected column that is absent."""
    present = [str(c) for c in df.columns]
    for col in columns:
        if col not in present:
            raise MissingColumnError(path, f"expected {what} {col!r} is missing (renamed?)",
                                     column=col, fix=f"{what}s present: {present[:20]}")


def _atomic_write(path: Path, write: Callable[[Path], None]) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        write(tmp_path)
        os.chmod(tmp_path, 0o644)
        tmp_path.replace(path)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise
    return path


def write_bytes_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    return _atomic_write(path, lambda p: p.write_bytes(data))


def write_text_atomic(path: Path, text: str) -> Path:
    """Write UTF-8 ``text`` (LF line ends) to ``path`` atomically."""
    return write_bytes_atomic(path, text.encode("utf-8"))


def write_parquet_atomic(df: pd.DataFrame, path: Path) -> Path:
    """Write ``df`` as Parquet, atomically and reproducibly (no index, no timestamps)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(df, preserve_index=False)
    # pandas embeds its version in the schema metadata: fine (stable for one environment).
    return _atomic_write(path, lambda p: pq.write_table(table, p, compression="zstd",
                                                        write_statistics=True))


def write_csv_atomic(df: pd.DataFrame, path: Path) -> Path:
    """Write ``df`` as UTF-8 CSV with LF line ends, atomically."""
    return write_text_atomic(path, df.to_csv(index=False, lineterminator="\n"))
