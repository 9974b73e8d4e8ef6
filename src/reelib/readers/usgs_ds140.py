"""Reader for USGS Data Series 140, rare earths statistics (1900-2020).

One sheet, one row per year: U.S. production, imports, exports and apparent consumption,
unit value in current dollars per tonne and in 1998 dollars per tonne, and world
production, all in t REO. ``NA`` is not available and ``W`` withheld. Six apparent
consumption cells (E107-E112) are formulas; their cached values are used and flagged.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from reelib.readers.shapes import OBSERVATIONS, PRICES, SALIENT, shaped
from reelib.readers.decode import open_workbook
from reelib.exceptions import MissingColumnError, TruncatedFileError
from reelib.readers.values import parse_value
from reelib.sources.fetch import source_path
from reelib.sources.registry import edition_of

SOURCE_ID = "usgs-ds140-rare-earths-2020"
FILE = "ds140-rare-earths-2020.xlsx"
COLUMNS = ["Year", "Production", "Imports", "Exports", "Apparent consumption",
           "Unit value ($/t)", "Unit value (98$/t)", "World production"]
FIRST_YEAR, LAST_YEAR = 1900, 2020


def read_ds140(path: Path | None = None) -> pd.DataFrame:
    """Read the DS140 sheet into a long frame: year, column, value, qualifier, flags."""
    path = path or source_path(SOURCE_ID, FILE)
    values = open_workbook(path, data_only=True).worksheets[0]
    formulas = open_workbook(path, data_only=False).worksheets[0]
    rows = [list(r) for r in values.iter_rows(values_only=True)]
    head = next((i for i, r in enumerate(rows) if r and r[0] == "Year"), None)
    if head is None:
        raise MissingColumnError(path, "header row starting with 'Year' not found", column="Year")
    header = [str(c).strip() if c is not None else "" for c in rows[head]]
    for col in COLUMNS:
        if col not in header:
            raise MissingColumnError(path, f"expected column {col!r} is missing (renamed?)",
                                     row=head + 1, column=col, fix=f"header: {header[:10]}")
    idx = {col: header.index(col) for col in COLUMNS}
    out = []
    for i in range(head + 1, len(rows)):
        r = rows[i]
        if not isinstance(r[0], int):
            break  # the legend row ends the data
        for col in COLUMNS[1:]:
            j = idx[col]
            p = parse_value(r[j], file=path, row=i + 1, column=col)
            formula = formulas.cell(row=i + 1, column=j + 1).value
            is_formula = isinstance(formula, str) and formula.startswith("=")
            out.append(dict(source_row=i + 1, year=r[0], column=col, value=p.value,
                            value_low=p.low, value_high=p.high, qualifier=p.qualifier,
                            value_raw="" if r[j] is None else str(r[j]),
                            notes=f"USGS formula {formula}" if is_formula else ""))
    df = pd.DataFrame(out)
    years = sorted(df["year"].unique()) if len(df) else []
    if not years or years[0] != FIRST_YEAR or years[-1] != LAST_YEAR:
        raise TruncatedFileError(path, f"years run {years[:1]}..{years[-1:]}, expected "
                                 f"{FIRST_YEAR}..{LAST_YEAR}", fix="re-fetch the file")
    return df


def ds140_production_observations(ds: pd.DataFrame) -> pd.DataFrame:
    """Return U.S. and world production (t REO) as observations."""
    prod = ds[ds["column"].isin(["Production", "World production"])]
    return shaped(prod.assign(
        country=prod["column"].map({"Production": "United States", "World production": "World"}),
        source_id=SOURCE_ID, edition=edition_of(SOURCE_ID), file=FILE, commodity="Rare earths",
        statistic="production", measure="Mine production", unit_original="metric tons",
        basis="rare-earth-oxide (REO) equivalent",
    ), OBSERVATIONS)


def ds140_unit_values(ds: pd.DataFrame) -> pd.DataFrame:
    """Return the unit value of apparent consumption as prices in USD per kg.

    Two series: current dollars (``dollar_year`` missing) and 1998 dollars
    (``dollar_year`` = 1998), converted from $/t by dividing by 1,000.
    """
    uv = ds[ds["column"].isin(["Unit value ($/t)", "Unit value (98$/t)"])]
    per_kg = uv["value"].astype("Float64") / 1000.0
    return shaped(uv.assign(
        source_id=SOURCE_ID, edition=edition_of(SOURCE_ID), file=FILE, element="REO",
        product="Rare earths, unit value of U.S. apparent consumption (t REO)",
        purity_pct=pd.NA, price_basis="annual_unit_value", market="United States",
        price_source="USGS DS140: unit value = value of apparent consumption / quantity",
        dollar_year=uv["column"].map({"Unit value ($/t)": pd.NA, "Unit value (98$/t)": 1998}),
        price_usd_per_kg=per_kg, price_low_usd_per_kg=uv["value_low"].astype("Float64") / 1000,
        price_high_usd_per_kg=uv["value_high"].astype("Float64") / 1000,
        is_estimate=False,
    ), PRICES)


def ds140_us_salient(ds: pd.DataFrame) -> pd.DataFrame:
    """Return U.S. imports, exports and apparent consumption (t REO) as salient rows."""
    sal = ds[ds["column"].isin(["Imports", "Exports", "Apparent consumption"])]
    return shaped(sal.assign(
        source_id=SOURCE_ID, edition=edition_of(SOURCE_ID), file=FILE, chapter="RARE EARTHS",
        statistic=sal["column"], item=sal["column"], country="United States",
        year_label=sal["year"].astype(str), unit_original="metric tons",
    ), SALIENT)
