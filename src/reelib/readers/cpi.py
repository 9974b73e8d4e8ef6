"""Reader for the U.S. consumer price index (FRED CPIAUCSL).

Monthly CPI-U, 1982-84 = 100, seasonally adjusted; the blank October 2025 stays missing
and flagged (BLS published no value during the federal funding lapse).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from reelib.exceptions import SourceFormatError, TruncatedFileError
from reelib.readers.decode import read_csv_text, read_text, require_columns
from reelib.readers.shapes import CPI, shaped
from reelib.sources.fetch import source_path
from reelib.sources.registry import edition_of

CPI_ID = "fred-cpiaucsl-2025-11"

def read_cpi(path: Path | None = None) -> pd.DataFrame:
    """Read FRED CPIAUCSL (monthly CPI-U, SA); a blank month stays missing and flagged."""
    path = path or source_path(CPI_ID, "CPIAUCSL.csv")
    raw = read_csv_text(read_text(path, "utf-8"), path)
    require_columns(raw, ["date", "value"], path)
    months = pd.to_datetime(raw["date"], format="%Y-%m-%d", errors="coerce")
    if months.isna().any():
        i = int(months.isna().to_numpy().nonzero()[0][0])
        raise SourceFormatError(path, "not a YYYY-MM-DD date", row=i + 2, column="date",
                                value=raw["date"].iloc[i])
    values = pd.to_numeric(raw["value"], errors="coerce")
    bad = values.isna() & raw["value"].str.strip().ne("")
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise SourceFormatError(path, "not a number", row=i + 2, column="value",
                                value=raw["value"].iloc[i])
    expected = pd.date_range(months.iloc[0], months.iloc[-1], freq="MS")
    if len(expected) != len(months) or not (expected == months).all():
        raise TruncatedFileError(path, "months are not a gapless monthly sequence",
                                 fix="re-fetch it: `reelib fetch` checks the sha256")
    return shaped(pd.DataFrame({
        "source_id": CPI_ID, "edition": edition_of(CPI_ID),
        "series_id": "CPIAUCSL", "month": months, "cpi_index_1982_84": values,
        "is_missing": values.isna(), "is_seasonally_adjusted": True,
    }), CPI)
