"""The common shapes readers return, so every source lands in the same columns.

* observations: one printed production or reserves number (``make_observations``);
* prices: one printed price (``make_prices``);
* salient: one U.S. salient statistic or import-source share (``make_salient``);
* trade: one reporter-partner-flow-heading-year amount (``make_trade``);
* daily prices: one quote per source, element and day (``make_daily_prices``).

Each ``make_*`` selects, orders and types the columns and fills optional ones, so readers
only supply what their source has. Values stay in the unit the source prints
(``unit_original``); conversion to tonnes happens in ``reelib.tables``.
"""

from __future__ import annotations

import pandas as pd

from reelib.exceptions import UnparseableValueError
from reelib.readers.values import QUALIFIERS

#: Metric tons per unit for the mass units USGS prints (others are not masses).
TONNES_PER_UNIT: dict[str, float] = {
    "metric tons": 1.0,
    "tons": 1.0,  # one MCS 2026 row; USGS data are metric
    "thousand metric tons": 1e3,
    "thousand metric dry tons": 1e3,
    "million metric tons": 1e6,
    "kilograms": 1e-3,
}

#: The qualifiers a value can carry (defined once, in ``reelib.readers.values``).
QUALIFIER_CATEGORIES = QUALIFIERS

_ELEMENTS = {
    "scandium": "Sc", "yttrium": "Y", "lanthanum": "La", "cerium": "Ce",
    "praseodymium": "Pr", "neodymium": "Nd", "promethium": "Pm", "samarium": "Sm",
    "europium": "Eu", "gadolinium": "Gd", "terbium": "Tb", "dysprosium": "Dy",
    "holmium": "Ho", "erbium": "Er", "thulium": "Tm", "ytterbium": "Yb", "lutetium": "Lu",
}


def element_code(product: str, file: str = "<price label>") -> str:
    """Map a product name to an element symbol, 'NdPr' or 'Mischmetal'.

    'Neodymium oxide' -> 'Nd'; 'Neodymium-praseodymium (NdPr) oxide' -> 'NdPr'. An unknown
    name is an ``UnparseableValueError`` naming ``file``.
    """
    low = product.lower()
    if "ndpr" in low or "neodymium-praseodymium" in low:
        return "NdPr"
    if low.startswith("mischmetal"):
        return "Mischmetal"
    first = low.replace("-", " ").split()[0] if low.strip() else ""
    if first in _ELEMENTS:
        return _ELEMENTS[first]
    raise UnparseableValueError(file, "no rare-earth element in the product name",
                                value=product, fix="add the element to reelib.readers.shapes")


_STR = "string"
_OBS_COLUMNS: dict[str, str] = {
    "source_id": _STR, "edition": _STR, "file": _STR, "source_row": "Int64",
    "commodity": _STR, "statistic": _STR, "measure": _STR, "country": _STR, "year": "Int64",
    "value": "Float64", "value_low": "Float64", "value_high": "Float64",
    "qualifier": _STR, "value_raw": _STR, "unit_original": _STR, "basis": _STR,
    "is_estimate": "boolean", "is_reported": "boolean", "is_revised": "boolean",
    "is_rounded": "boolean", "notes": _STR, "correction_id": _STR,
}

_PRICE_COLUMNS: dict[str, str] = {
    "source_id": _STR, "edition": _STR, "file": _STR, "source_row": "Int64",
    "element": _STR, "product": _STR, "purity_pct": "Float64", "price_basis": _STR,
    "market": _STR, "price_source": _STR, "year": "Int64", "dollar_year": "Int64",
    "price_usd_per_kg": "Float64", "price_low_usd_per_kg": "Float64",
    "price_high_usd_per_kg": "Float64", "qualifier": _STR, "value_raw": _STR,
    "is_estimate": "boolean", "correction_id": _STR,
}

_SALIENT_COLUMNS: dict[str, str] = {
    "source_id": _STR, "edition": _STR, "file": _STR, "source_row": "Int64",
    "chapter": _STR, "statistic": _STR, "item": _STR, "country": _STR, "year": "Int64",
    "year_label": _STR, "value": "Float64", "value_low": "Float64", "value_high": "Float64",
    "qualifier": _STR, "value_raw": _STR, "unit_original": _STR, "is_estimate": "boolean",
    "notes": _STR, "correction_id": _STR,
}

_DEFAULTS = {"is_estimate": False, "is_reported": False, "is_revised": False,
             "is_rounded": False, "notes": "", "correction_id": "", "basis": "",
             "value_low": pd.NA, "value_high": pd.NA, "year_label": pd.NA,
             "dollar_year": pd.NA, "purity_pct": pd.NA, "price_source": ""}


def _shape(df: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    missing = [c for c in columns if c not in df.columns and c not in _DEFAULTS]
    if missing:  # a reader bug, not a data fault: the reader must supply these
        raise TypeError(f"reader output lacks columns {missing}")
    out = df.assign(**{c: _DEFAULTS[c] for c in columns if c not in df.columns})
    out = out.loc[:, list(columns)].reset_index(drop=True)
    for col, dtype in columns.items():
        if dtype == "boolean":
            out[col] = out[col].fillna(False).astype("boolean")
        elif dtype == _STR:
            out[col] = out[col].astype(_STR).fillna("")
        else:
            out[col] = pd.to_numeric(out[col], errors="raise").astype(dtype)
    return out


def make_observations(df: pd.DataFrame) -> pd.DataFrame:
    """Return production/reserves observations in the standard columns and dtypes."""
    return _shape(df, _OBS_COLUMNS)


def make_prices(df: pd.DataFrame) -> pd.DataFrame:
    """Return annual price observations in the standard columns and dtypes."""
    return _shape(df, _PRICE_COLUMNS)


def make_salient(df: pd.DataFrame) -> pd.DataFrame:
    """Return U.S. salient statistics in the standard columns and dtypes."""
    return _shape(df, _SALIENT_COLUMNS)


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
    if missing:  # a reader bug, not a data fault
        raise TypeError(f"trade rows lack columns {missing}")
    out = df.loc[:, list(_TRADE_COLUMNS)].reset_index(drop=True)
    return out.astype(_TRADE_COLUMNS)


_DAILY_COLUMNS = {
    "source_id": "string", "edition": "string", "file": "string", "source_row": "Int64",
    "element": "string", "product": "string", "grade": "string", "market": "string",
    "date": "datetime64[s]", "price_cny_per_kg": "Float64", "price_low_cny_per_kg": "Float64",
    "price_high_cny_per_kg": "Float64", "price_usd_per_kg": "Float64",
    "unit_original": "string", "is_unit_inferred": "boolean",
    "is_range_inconsistent": "boolean",
}


def make_daily_prices(df: pd.DataFrame) -> pd.DataFrame:
    """Return daily price rows in the standard columns and dtypes."""
    return df.loc[:, list(_DAILY_COLUMNS)].reset_index(drop=True).astype(_DAILY_COLUMNS)
