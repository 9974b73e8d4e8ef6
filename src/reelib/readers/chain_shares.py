"""Reader for a secondary compilation of China's share along the rare-earth chain.

``secondary-ibtisamkhan96-ree-chain-shares`` re-types three headline shares (mining,
refining/separation, permanent magnets, 2024) from a public repository that cites USGS MCS
2025 and the IEA. It is the project's only figure for magnets, which neither USGS nor the
IEA extract gives by country; reports quote it as a cited secondary figure, never as
measured data. ``reelib clean`` writes it to the processed table ``chain_shares``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from reelib.exceptions import UnparseableValueError
from reelib.readers.decode import read_csv_text, read_text, require_columns
from reelib.readers.shapes import CHAIN_SHARES, shaped
from reelib.sources.fetch import source_path
from reelib.sources.registry import edition_of

SOURCE_ID = "secondary-ibtisamkhan96-ree-chain-shares"
FILE = "china_share_along_chain.csv"
YEAR = 2024
#: The file's stage labels and the project's stage names.
STAGES = {"1. Mining (ore)": "mining", "2. Refining / separation": "refining",
          "3. Permanent magnets": "magnets"}


def read_chain_shares(path: Path | None = None) -> pd.DataFrame:
    """China's share per stage as the compilation prints it: stage, year, china_share_pct.

    An unknown stage label or a share that is not a number between 0 and 100 is an error
    naming the file, row and value.
    """
    path = path or source_path(SOURCE_ID, FILE)
    raw = read_csv_text(read_text(path, "utf-8"), path)
    require_columns(raw, ["stage", "china_share_pct"], path)
    rows = []
    for i, r in enumerate(raw.itertuples(index=False), start=2):  # row 1 is the header
        if r.stage not in STAGES:
            raise UnparseableValueError(path, f"unknown stage label (known: {sorted(STAGES)})",
                                        row=i, column="stage", value=r.stage)
        try:
            share = float(r.china_share_pct)
        except (TypeError, ValueError):
            share = float("nan")
        if not 0 <= share <= 100:
            raise UnparseableValueError(path, "not a percentage", row=i,
                                        column="china_share_pct", value=r.china_share_pct)
        rows.append({"stage": STAGES[r.stage], "stage_label": r.stage, "year": YEAR,
                     "china_share_pct": share})
    return shaped(pd.DataFrame(rows).assign(source_id=SOURCE_ID, edition=edition_of(SOURCE_ID)),
                  CHAIN_SHARES)

