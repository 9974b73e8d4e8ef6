"""Reader for USITC DataWeb: U.S. imports for consumption and domestic exports.

Customs value (imports) and FAS value (exports) by HTS-4 heading for 18 selected partners
-- there is no world total, so partner shares are shares of trade with these 18 partners
only. The annual sheets' 2026 column is empty (the year had not ended); January-April of
every year is in the YTD sheets.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from reelib.exceptions import MissingColumnError, SourceFormatError, TruncatedFileError
from reelib.readers.decode import read_sheets
from reelib.readers.shapes import shaped, TRADE
from reelib.reference.trade_codes import HS_LABELS
from reelib.sources.fetch import source_path
from reelib.sources.registry import edition_of

USITC_ID = "usitc-dataweb-us-trade-1993-2026"

_USITC_FILES = {
    "import": ("us_imports_for_consumption_1993-2026.xlsx", "Customs Value", "customs value"),
    "export": ("us_domestic_exports_1993-2026.xlsx", "FAS Value", "FAS (free alongside ship)"),
}
_USITC_KEYS = ["Data Type", "Country", "HTS Number", "Description", "Quantity Description"]


def _usitc_sheet(raw: pd.DataFrame, path: Path, sheet: str) -> tuple[pd.DataFrame, list[str]]:
    """Check one DataWeb sheet's row count; return (rows, year columns)."""
    if raw.shape[0] < 3 or raw.iat[1, 0] != "Data Row Count":
        raise MissingColumnError(path, f"sheet {sheet!r} lacks the 'Data Row Count' line",
                                 column=sheet)
    expected = int(float(raw.iat[1, 1]))
    header = [str(c) for c in raw.iloc[2]]
    body = raw.iloc[3:].set_axis(header, axis=1)
    body = body[body["Data Type"].astype(str).str.strip().ne("Total:")
                & body["Country"].notna()]
    for col in _USITC_KEYS:
        if col not in header:
            raise MissingColumnError(path, f"sheet {sheet!r}: column {col!r} missing (renamed?)",
                                     column=col)
    if len(body) != expected:
        raise TruncatedFileError(path, f"sheet {sheet!r} has {len(body)} data rows, its "
                                 f"'Data Row Count' says {expected}")
    years = [h for h in header if re.fullmatch(r"\d{4}(_Year_to_date)?", h)]
    return body, years


def _usitc_long(raw: pd.DataFrame, path: Path, sheet: str, name: str) -> pd.DataFrame:
    body, years = _usitc_sheet(raw, path, sheet)
    long = body.melt(id_vars=_USITC_KEYS, value_vars=years, var_name="year_col",
                     value_name=name)
    sup_cols = [f"{y}_Suppressed" for y in years if f"{y}_Suppressed" in body.columns]
    if sup_cols:
        sup = body.melt(id_vars=_USITC_KEYS, value_vars=sup_cols, var_name="year_col",
                        value_name="suppressed")
        sup["year_col"] = sup["year_col"].str.replace("_Suppressed", "", regex=False)
        long = long.merge(sup, on=[*_USITC_KEYS, "year_col"], how="left")
    else:
        long = long.assign(suppressed=0)
    bad = pd.to_numeric(long[name], errors="coerce").isna() & long[name].notna()
    if bad.any():
        raise SourceFormatError(path, f"sheet {sheet!r}: not a number", column=str(
            long.loc[bad, "year_col"].iloc[0]), value=long.loc[bad, name].iloc[0])
    return long.assign(**{name: pd.to_numeric(long[name]).astype("Float64")})


def read_usitc(flow: str, path: Path | None = None) -> pd.DataFrame:
    """Read U.S. imports (``flow='import'``) or domestic exports (``'export'``) of the
    rare-earth headings in ``HS_LABELS`` (the workbooks hold 25 headings; others are skipped).

    ``value_usd`` is the total over all HTS lines of the heading; ``quantity_kg`` the first
    unit of quantity of the lines measured in kilograms, whose value is
    ``value_usd_kg_measured`` (equal to ``value_usd`` for 2846 and 2805, partial for 8505).
    The 2026 annual column is dropped (not yet published; the file shows zeros there).
    """
    file_name, value_sheet, basis = _USITC_FILES[flow]
    path = path or source_path(USITC_ID, file_name)
    periods = (("", "annual"), (" YTD", "Jan-Apr"))
    sheets = read_sheets(path, [name + suffix for suffix, _ in periods
                                 for name in (value_sheet, "First Unit of Quantity")])
    frames = []
    for suffix, period in periods:
        val = _usitc_long(sheets[value_sheet + suffix], path, value_sheet + suffix, "value")
        val["unit"] = val["Quantity Description"].str.replace("Value for: ", "", regex=False)
        qty = _usitc_long(sheets["First Unit of Quantity" + suffix], path,
                          "First Unit of Quantity" + suffix, "quantity")
        qty["unit"] = qty["Quantity Description"]
        keys = ["Country", "HTS Number", "Description", "unit", "year_col"]
        both = val.drop(columns=["Data Type", "Quantity Description", "suppressed"]).merge(
            qty.drop(columns=["Data Type", "Quantity Description"]), on=keys, how="outer")
        both = both[both["HTS Number"].astype(str).isin(list(HS_LABELS))]
        is_kg = both["unit"].eq("kilograms")
        both = both.assign(
            year=both["year_col"].str[:4].astype(int), period=period,
            quantity_kg=both["quantity"].where(is_kg),
            value_usd_kg_measured=both["value"].where(is_kg),
            is_quantity_suppressed=both["suppressed"].fillna(0).astype(float) > 0,
        )
        by = both.groupby(["Country", "HTS Number", "Description", "year", "period"])
        # a sum over lines that are all missing stays missing (min_count=1), never 0
        sums = by[["value", "quantity_kg", "value_usd_kg_measured"]].sum(min_count=1)
        grouped = sums.rename(columns={"value": "value_usd"}).join(
            by["is_quantity_suppressed"].any()).reset_index()
        frames.append(grouped)
    df = pd.concat(frames, ignore_index=True)
    df = df[~((df["period"] == "annual") & (df["year"] == 2026))]
    return shaped(df.assign(
        source_id=USITC_ID, edition=edition_of(USITC_ID), file=file_name,
        reporter_iso3="USA", reporter="United States", partner=df["Country"].str.strip(),
        partner_code_source="", flow=flow, hs_code=df["HTS Number"].astype(str),
        hs_description=df["Description"], classification="HTS", value_basis=basis,
        is_quantity_estimated=False, partner_scope="18 selected partners (no world total)",
    ), TRADE)
