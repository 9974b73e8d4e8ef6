"""Read processed tables back: ``load_table("production")``.

The loader is a plain function of its arguments: it records nothing, and what it
returns depends only on the file. A report that wants its reads recorded loads through
its ``Report`` (``rep.load_table``), which calls this and notes the file's sha256.

Each table is read from disk once per process while the file is unchanged (same size and
modification time, same inode): a worker process that checks a report's parameters and then runs
it, or the warm parent every report is forked from, reads a table once. Every caller
gets its own copy (pandas copy-on-write makes that cheap), so no caller sees another's
changes.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from reelib import config
from reelib.exceptions import SelectionError


def table_path(name: str, processed_dir: Path | None = None) -> Path:
    """Where processed table ``name`` is stored (Parquet)."""
    return (processed_dir or config.PROCESSED_DIR) / f"{name}.parquet"


_CACHE: dict[Path, tuple[tuple[int, int, int], pd.DataFrame]] = {}


def load_table(name: str, processed_dir: Path | None = None) -> pd.DataFrame:
    """Read one processed table (Parquet) from ``data/processed``."""
    path = table_path(name, processed_dir)
    try:
        st = path.stat()
    except FileNotFoundError:
        known = sorted(p.stem for p in path.parent.glob("*.parquet"))
        if not known:
            raise SelectionError(f"{path} does not exist; build the processed tables first "
                                 "(`make data` or `reelib clean`)") from None
        from reelib.processed.domains import suggest

        hint = suggest(name, known)
        raise SelectionError(f"no processed table {name!r}."
                             f"{f' Did you mean {hint!r}?' if hint else ''} Tables: "
                             f"{', '.join(known)}") from None
    key = (st.st_ino, st.st_size, st.st_mtime_ns)  # a rewrite (temp + rename): new inode
    hit = _CACHE.get(path)
    if hit is None or hit[0] != key:
        hit = (key, pd.read_parquet(path))
        _CACHE[path] = hit
    return hit[1].copy()


def preload(processed_dir: Path | None = None) -> int:
    """Read every processed table into this process's cache; return how many."""
    folder = processed_dir or config.PROCESSED_DIR
    names = [p.stem for p in sorted(folder.glob("*.parquet"))]
    for name in names:
        load_table(name, folder)
    return len(names)
