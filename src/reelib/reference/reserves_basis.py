"""Which USGS reserves measure goes with a production measure (``reserves_basis.csv``).

Where a chapter prints reserves in more than one form (potash as recoverable ore and as
K2O equivalent; iron ore as crude ore and as iron content), a share of reserves shown
beside a production measure uses the form that measure is printed in, as this reviewed
table says, with its reason. A chapter with one reserves measure needs no row.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from reelib import config
from reelib.exceptions import RegistryError

BASIS_FILE: Path = config.REFERENCE_DIR / "reserves_basis.csv"


@lru_cache(maxsize=1)
def reserves_basis() -> dict[tuple[str, str], tuple[str, str]]:
    """(commodity, production measure) -> (reserves measure, reason)."""
    df = pd.read_csv(BASIS_FILE, dtype=str, keep_default_na=False)
    dup = df.duplicated(["commodity", "production_measure"])
    if dup.any():
        r = df[dup].iloc[0]
        raise RegistryError(f"{BASIS_FILE}: {r['commodity']} / {r['production_measure']} "
                            "is listed twice")
    return {(r.commodity, r.production_measure): (r.reserves_measure, r.reason)
            for r in df.itertuples(index=False)}
