"""Readers for trade data: UN Comtrade JSON and USITC DataWeb workbooks.

Both return rows in one shape (``make_trade``): reporter, partner (as published), flow,
HS code, year and period, ``value_usd`` with its valuation basis, and ``quantity_kg``
where the quantity is in kilograms.

* UN Comtrade: China's imports of HS 2846 by partner of origin, one JSON file per year
  (public preview API responses, CIF values, net weight often estimated).
* USITC DataWeb: U.S. imports for consumption (customs value) and domestic exports (FAS
  value) by HTS-4 heading for 18 selected partners -- there is no world total, so partner
  shares are shares of trade with these 18 partners only. The annual sheets' 2026 column
  is empty (the year had not ended); January-April of every year is in the YTD sheets.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pandas as pd

from reelib.exceptions import MissingColumnError, SourceFormatError, TruncatedFileError
from reelib.io import read_json
from reelib.sources import load_registry, source_path

COMTRADE_ID = "un-comtrade-china-imports-hs2846"
USITC_ID = "usitc-dataweb-us-trade-1993-2026"
#: HS headings the rare-earth reports use, and what each covers.
HS_LABELS = {
    "2846": "Rare-earth compounds (incl. yttrium and scandium)",
    "2805": "Alkali/alkaline-earth and rare-earth metals (broader than rare earths)",
    "8505": "Permanent magnets and electromagnets (broader than NdFeB magnets)",
}

_TRADE_COLUMNS: dict[str, str] = {
    "source_id": "string", "edition": "string", "file": "string", "reporter_iso3": "string",
    "reporter": "string", "partner": "string", "partner_code_source": "string",
    "flow": "string", "hs_code": "string", "hs_description": "string",
    "classification": "string", "year": "Int64", "period": "string",
    "value_usd": "Float64", "value_basis": "string", "quantity_kg": "Float64",
    "value_usd_kg_measured": "Float64", "is_quantity_estimated": "boolean",
    "is_quantity_suppressed": "boolean", "partner_scope": "string",
}


def make_trade(df: pd.DataFrame) -> pd.DataFrame:
    """Return trade rows in the standard columns and dtypes."""
    missing = [c for c in _TRADE_COLUMNS if c not in df.columns]
    if missing:
        raise KeyError(f"trade rows lack columns {missing}")
    out = df.loc[:, list(_TRADE_COLUMNS)].reset_index(drop=True)
    return out.astype(_TRADE_COLUMNS)


# --- UN Comtrade ---------------------------------------------------------------------

_COMTRADE_FIELDS = ["refYear", "reporterISO", "reporterDesc", "flowCode", "partnerISO",
                    "partnerDesc", "classificationCode", "cmdCode", "cmdDesc", "primaryValue",
                    "netWgt", "isNetWgtEstimated", "qtyUnitAbbr", "qty", "partner2Code",
                    "customsCode", "motCode"]


def read_comtrade_year(path: Path) -> pd.DataFrame:
    """Read one Comtrade preview API response (one year) into trade rows."""
    doc = read_json(path)
    if not isinstance(doc, dict) or "data" not in doc:
        raise MissingColumnError(path, "no 'data' list in the API response", column="data")
    if doc.get("error"):
        raise SourceFormatError(path, "the API response reports an error", value=doc["error"])
    data = doc["data"]
    if doc.get("count") is not None and doc["count"] != len(data):
        raise TruncatedFileError(path, f"'count' says {doc['count']} records, file has "
                                 f"{len(data)}")
    rows = []
    for i, rec in enumerate(data):
        missing = [f for f in _COMTRADE_FIELDS if f not in rec]
        if missing:
            raise MissingColumnError(path, f"record {i} lacks {missing[0]!r}", row=i,
                                     column=missing[0])
        if (rec["flowCode"], rec["cmdCode"], rec["partner2Code"], rec["customsCode"],
                rec["motCode"]) != ("M", "2846", 0, "C00", 0):
            raise SourceFormatError(path, "record is not an all-modes, all-customs import of "
                                    "HS 2846", row=i, column="flowCode/cmdCode",
                                    value=(rec["flowCode"], rec["cmdCode"]))
        weight = rec["netWgt"]
        if weight is None and rec["qtyUnitAbbr"] == "kg":
            weight = rec["qty"]
        rows.append(dict(
            year=rec["refYear"], reporter_iso3=rec["reporterISO"], reporter=rec["reporterDesc"],
            flow="import", partner=rec["partnerDesc"].strip(),
            partner_code_source=rec["partnerISO"].strip(),
            classification=rec["classificationCode"], hs_code=rec["cmdCode"],
            hs_description=rec["cmdDesc"], value_usd=rec["primaryValue"],
            quantity_kg=weight, value_usd_kg_measured=rec["primaryValue"] if weight else None,
            is_quantity_estimated=bool(rec["isNetWgtEstimated"]),
        ))
    return pd.DataFrame(rows).assign(
        source_id=COMTRADE_ID, edition="Comtrade preview API, retrieved 2026-07-10",
        file=Path(path).name, period="annual", value_basis="CIF",
        is_quantity_suppressed=False, partner_scope="all partners of origin, plus World")


def read_comtrade(raw_dir: Path | None = None) -> pd.DataFrame:
    """Read every registered Comtrade year file (1993-2024) into one trade frame."""
    source = load_registry()[COMTRADE_ID]
    frames = []
    for sf in source.files:
        if not re.fullmatch(r"\d{4}\.json", sf.name):
            continue  # manifest.json and publication_metadata.json are not trade rows
        path = raw_dir / sf.name if raw_dir else source_path(COMTRADE_ID, sf.name)
        frames.append(read_comtrade_year(path))
    return make_trade(pd.concat(frames, ignore_index=True))


# --- USITC DataWeb -------------------------------------------------------------------

_USITC_FILES = {
    "import": ("us_imports_for_consumption_1993-2026.xlsx", "Customs Value", "customs value"),
    "export": ("us_domestic_exports_1993-2026.xlsx", "FAS Value", "FAS (free alongside ship)"),
}
_USITC_KEYS = ["Data Type", "Country", "HTS Number", "Description", "Quantity Description"]


def _read_sheets(path: Path, sheets: list[str]) -> dict[str, pd.DataFrame]:
    """Read the named sheets of a DataWeb workbook in one pass (cells as objects)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        try:
            with pd.ExcelFile(path) as book:
                missing = [s for s in sheets if s not in book.sheet_names]
                if missing:
                    raise MissingColumnError(path, f"sheet {missing[0]!r} is missing",
                                             column=missing[0])
                return pd.read_excel(book, sheet_name=sheets, header=None, dtype=object)
        except MissingColumnError:
            raise
        except Exception as exc:
            raise TruncatedFileError(path, f"not a readable .xlsx workbook ({exc})") from exc


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
    sheets = _read_sheets(path, [name + suffix for suffix, _ in periods
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
        grouped = both.groupby(["Country", "HTS Number", "Description", "year", "period"],
                               as_index=False).agg(
            value_usd=("value", lambda v: v.sum(min_count=1)),
            quantity_kg=("quantity_kg", lambda v: v.sum(min_count=1)),
            value_usd_kg_measured=("value_usd_kg_measured", lambda v: v.sum(min_count=1)),
            is_quantity_suppressed=("is_quantity_suppressed", "any"),
        )
        frames.append(grouped)
    df = pd.concat(frames, ignore_index=True)
    df = df[~((df["period"] == "annual") & (df["year"] == 2026))]
    return make_trade(df.assign(
        source_id=USITC_ID, edition="USITC DataWeb download, 2026-07-10", file=file_name,
        reporter_iso3="USA", reporter="United States", partner=df["Country"].str.strip(),
        partner_code_source="", flow=flow, hs_code=df["HTS Number"].astype(str),
        hs_description=df["Description"], classification="HTS", value_basis=basis,
        is_quantity_estimated=False, partner_scope="18 selected partners (no world total)",
    ))
