"""Write every output through a temporary file in its folder and a rename.

A reader never sees a half-written file: bad input or a kill mid-write leaves the previous
file in place. Parquet and CSV are written without timestamps, so the same frame gives
the same bytes.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def atomic_write(path: Path, write: Callable[[Path], None], *, mode: int = 0o644,
                 suffix: str = ".tmp") -> Path:
    """Call ``write(tmp)`` on a temporary file beside ``path``, then rename it into place.

    ``write`` may raise (a failed check, for instance): the temporary file is removed and
    ``path`` is left as it was.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=suffix)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        write(tmp_path)
        os.chmod(tmp_path, mode)
        tmp_path.replace(path)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise
    return path


def write_bytes_atomic(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    return atomic_write(path, lambda p: p.write_bytes(data))


def write_text_atomic(path: Path, text: str) -> Path:
    """Write UTF-8 ``text`` (LF line ends) to ``path`` atomically."""
    return write_bytes_atomic(path, text.encode("utf-8"))


def write_parquet_atomic(df, path: Path) -> Path:
    """Write a DataFrame as Parquet, atomically and reproducibly (no index, no timestamps)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(df, preserve_index=False)
    # pandas embeds its version in the schema metadata: fine (stable for one environment).
    return atomic_write(path, lambda p: pq.write_table(table, p, compression="zstd",
                                                       write_statistics=True))


def write_csv_atomic(df, path: Path) -> Path:
    """Write a DataFrame as UTF-8 CSV with LF line ends, atomically."""
    return write_text_atomic(path, df.to_csv(index=False, lineterminator="\n"))
