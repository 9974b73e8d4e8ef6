"""Read processed tables back: ``load_table("production")``.

The loader is a plain function of its arguments: it records nothing and depends on no
hidden state. A report that wants its reads recorded loads through its ``Report``
(``rep.load_table``), which calls this and notes the file's sha256.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from reelib import config
from reelib.exceptions import SelectionError


def table_path(name: str, processed_dir: Path | None = None) -> Path:
    """Where processed table ``name`` is stored (Parquet)."""
    return (processed_dir or config.PROCESSED_DIR) / f"{name}.parquet"


def load_table(name: str, processed_dir: Path | None = None) -> pd.DataFrame:
    """Read one processed table (Parquet) from ``data/processed``."""
    path = table_path(name, processed_dir)
    if not path.exists():
        raise SelectionError(f"{path} does not exist; build the processed tables first "
                             "(`make data` or `reelib clean`)")
    return pd.read_parquet(path)
