"""The shapes readers return: every reader declares its output here, one way.

Each shape is a mapping of column -> dtype, and ``shaped(df, SHAPE)`` selects, orders and
types the columns and fills the optional ones (``OPTIONAL``), so a reader supplies only
what its source has, and a column it forgets is a reader bug, named at once. The shared
shapes:

* ``OBSERVATIONS``: one printed production or reserves number;
* ``PRICES``: one printed annual price;
* ``SALIENT``: one U.S. salient statistic or import-source share;
* ``TRADE``: one reporter-partner-flow-heading-year amount;
* ``DAILY_PRICES``: one quote per source, element and day;

and the shapes of the sources read by one reader each (``SUPPLY_STAGES``, ``CPI``,
``CHAIN_SHARES``, ``COMPILERS``, ``BGS_COUNTRIES``). Values stay in the unit the source prints
(``unit_original``); conversion to tonnes happens in ``reelib.processed.tables``.
"""

from __future__ import annotations

import pandas as pd

from reelib.exceptions import UnparseableValueError

#: Metric tons per unit for the mass units USGS prints (others are not masses).
TONNES_PER_UNIT: dict[str, float] = {
    "metric tons": 1.0,
    "tons": 1.0,  # one MCS 2026 row; USGS data are metric
    "thousand metric tons": 1e3,
    "thousand metric dry tons": 1e3,
    "million metric tons": 1e6,
    "kilograms": 1e-3,
}

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
OBSERVATIONS: dict[str, str] = {
    "source_id": _STR, "edition": _STR, "file": _STR, "source_row": "Int64",
    "commodity": _STR, "statistic": _STR, "measure": _STR, "form": _STR, "country": _STR,
    "year": "Int64",
    "value": "Float64", "value_low": "Float64", "value_high": "Float64",
    "qualifier": _STR, "value_raw": _STR, "unit_original": _STR, "basis": _STR,
    "is_estimate": "boolean", "is_reported": "boolean", "is_revised": "boolean",
    "is_rounded": "boolean", "notes": _STR, "correction_id": _STR,
}

PRICES: dict[str, str] = {
    "source_id": _STR, "edition": _STR, "file": _STR, "source_row": "Int64",
    "element": _STR, "product": _STR, "purity_pct": "Float64", "price_basis": _STR,
    "market": _STR, "price_source": _STR, "year": "Int64", "dollar_year": "Int64",
    "price_usd_per_kg": "Float64", "price_low_usd_per_kg": "Float64",
    "price_high_usd_per_kg": "Float64", "qualifier": _STR, "value_raw": _STR,
    "is_estimate": "boolean", "correction_id": _STR,
}

SALIENT: dict[str, str] = {
    "source_id": _STR, "edition": _STR, "file": _STR, "source_row": "Int64",
    "chapter": _STR, "statistic": _STR, "item": _STR, "country": _STR, "year": "Int64",
    "year_label": _STR, "value": "Float64", "value_low": "Float64", "value_high": "Float64",
    "qualifier": _STR, "value_raw": _STR, "unit_original": _STR, "is_estimate": "boolean",
    "notes": _STR, "correction_id": _STR,
}

TRADE: dict[str, str] = {
    "source_id": _STR, "edition": _STR, "file": _STR, "reporter_iso3": _STR,
    "reporter": _STR, "partner": _STR, "partner_code_source": _STR,
    "flow": _STR, "hs_code": _STR, "hs_description": _STR,
    "classification": _STR, "year": "Int64", "period": _STR,
    "value_usd": "Float64", "value_basis": _STR, "quantity_kg": "Float64",
    "value_usd_kg_measured": "Float64", "is_quantity_estimated": "boolean",
    "is_quantity_suppressed": "boolean", "partner_scope": _STR,
}

DAILY_PRICES: dict[str, str] = {
    "source_id": _STR, "edition": _STR, "file": _STR, "source_row": "Int64",
    "element": _STR, "product": _STR, "grade": _STR, "market": _STR,
    "date": "datetime64[s]", "price_cny_per_kg": "Float64", "price_low_cny_per_kg": "Float64",
    "price_high_cny_per_kg": "Float64", "price_usd_per_kg": "Float64",
    "unit_original": _STR, "is_unit_inferred": "boolean",
    "is_range_inconsistent": "boolean",
}

SUPPLY_STAGES: dict[str, str] = {
    "source_id": _STR, "edition": _STR, "file": _STR, "mineral": _STR, "stage": _STR,
    "country": _STR, "year": "Int64", "scenario": _STR, "production_kt": "Float64",
    "iea_total_kt": "Float64", "iea_top3_share_pct": "Float64", "scope": _STR,
}

CPI: dict[str, str] = {
    "source_id": _STR, "edition": _STR, "series_id": _STR, "month": "datetime64[s]",
    "cpi_index_1982_84": "Float64", "is_missing": "boolean", "is_seasonally_adjusted": "boolean",
}

CHAIN_SHARES: dict[str, str] = {
    "stage": _STR, "stage_label": _STR, "year": "Int64", "china_share_pct": "Float64",
    "source_id": _STR, "edition": _STR,
}

COMPILERS: dict[str, str] = {
    "year": "Int64", "compiler": _STR, "compiler_name": _STR, "country_iso3": _STR,
    "production_t": "Float64", "countries_reporting": "Int64", "commodity": _STR,
    "measure": _STR, "source_id": _STR, "edition": _STR,
}

BGS_COUNTRIES: dict[str, str] = {
    "year": "Int64", "country": _STR, "country_iso3": _STR, "country_published": _STR,
    "entity": _STR, "production_t": "Float64", "commodity": _STR, "measure": _STR,
    "compiler": _STR, "source_id": _STR, "edition": _STR,
}

#: columns a reader may leave out, and what they then hold
OPTIONAL = {"is_estimate": False, "is_reported": False, "is_revised": False,
            "is_rounded": False, "notes": "", "correction_id": "", "basis": "",
            "value_low": pd.NA, "value_high": pd.NA, "year_label": pd.NA,
            "dollar_year": pd.NA, "purity_pct": pd.NA, "price_source": "", "form": ""}


def shaped(df: pd.DataFrame, shape: dict[str, str]) -> pd.DataFrame:
    """``df`` in the columns of ``shape``, in its order and dtypes: optional columns filled
    (``OPTIONAL``), missing flags False, missing text ''. A required column the reader did
    not supply is a ``TypeError`` (a reader bug, not a data fault)."""
    missing = [c for c in shape if c not in df.columns and c not in OPTIONAL]
    if missing:
        raise TypeError(f"reader output lacks columns {missing}")
    out = df.assign(**{c: OPTIONAL[c] for c in shape if c not in df.columns})
    out = out.loc[:, list(shape)].reset_index(drop=True)
    for col, dtype in shape.items():
        if dtype == "boolean":
            out[col] = out[col].fillna(False).astype("boolean")
        elif dtype == _STR:
            out[col] = out[col].astype(_STR).fillna("")
        elif dtype.startswith("datetime"):
            out[col] = out[col].astype(dtype)
        else:
            out[col] = pd.to_numeric(out[col], errors="raise").astype(dtype)
    return out

#: bilateral flows of the BACI extract (one row per year, material, exporter, importer)
TRADE_FLOWS: dict[str, str] = {
    "year": "Int64", "material": _STR, "hs_code": _STR, "hs_vintage": _STR,
    "exporter_iso3": _STR, "importer_iso3": _STR, "value_usd": "Float64",
    "quantity_t": "Float64", "lacks_taiwan_namibia": "boolean", "file": _STR, "source_id": _STR,
    "edition": _STR,
}

#: UN Comtrade lines after the duplicate rules (one row per year, reporter, partner, code, flow)
TRADE_LINES: dict[str, str] = {
    "year": "Int64", "reporter_iso3": _STR, "partner_iso3": _STR, "entity": _STR,
    "hs_code": _STR, "flow": _STR, "value_usd": "Float64", "net_weight_kg": "Float64",
    "value_basis": _STR, "lines_in_key": "Int64", "is_ambiguous": "boolean", "file": _STR,
    "source_id": _STR, "edition": _STR,
}

#: EU imports of NdFeB magnets by origin (one row per year and origin)
EU_IMPORTS: dict[str, str] = {
    "year": "Int64", "reporter": _STR, "cn_code": _STR, "origin_iso3": _STR, "entity": _STR,
    "value_eur": "Float64", "quantity_t": "Float64", "is_provisional": "boolean",
    "source_id": _STR, "edition": _STR,
}

#: governance scores (one row per economy)
GOVERNANCE: dict[str, str] = {
    "country_iso3": _STR, "country_iso2": _STR, "wgi_mean": "Float64", "score_year": _STR,
    "source_id": _STR, "edition": _STR,
}
