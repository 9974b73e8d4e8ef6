"""Pandera schemas for every processed table, plus the one-row-per-key check.

``validate_table(name, df)`` checks the key first (``DuplicateKeyError`` with examples),
then the schema lazily, and raises ``SchemaValidationError`` listing every failure.
"""

from __future__ import annotations

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from reelib.exceptions import DuplicateKeyError, SchemaValidationError
from reelib.readers.values import QUALIFIERS

S, F, INT, B = "string", "Float64", "Int64", "boolean"


def _col(dtype: str, *checks: pa.Check, nullable: bool = False) -> pa.Column:
    return pa.Column(dtype, list(checks), nullable=nullable)


_PROVENANCE = {
    "source_id": _col(S), "edition": _col(S), "edition_published": _col(S),
    "file": _col(S), "source_row": _col(INT, nullable=True),
}
_QUALIFIER = _col(S, pa.Check.isin(QUALIFIERS))
_ENTITY = _col(S, pa.Check.isin(["country", "world", "residual"]))
_ISO = _col(S, pa.Check.str_matches(r"^[A-Z]{3}$"))
_NONNEG = pa.Check.ge(0)


def _quantity_table(value: str) -> dict[str, pa.Column]:
    return {
        **_PROVENANCE,
        "commodity": _col(S), "measure": _col(S), "form": _col(S), "country": _col(S),
        "country_published": _col(S), "country_iso3": _ISO, "entity": _ENTITY,
        "year": _col(INT, pa.Check.in_range(1900, 2030)),
        value: _col(F, _NONNEG, nullable=True),
        value.replace("_t", "_low_t"): _col(F, _NONNEG, nullable=True),
        value.replace("_t", "_high_t"): _col(F, _NONNEG, nullable=True),
        "qualifier": _QUALIFIER, "value_raw": _col(S), "unit_original": _col(S),
        "basis": _col(S), "is_estimate": _col(B), "is_reported": _col(B),
        "is_revised": _col(B), "is_rounded": _col(B), "is_withheld": _col(B),
        "is_zero": _col(B), "is_lower_bound": _col(B), "caveats": _col(S), "notes": _col(S),
        "correction_id": _col(S),
    }


#: U.S. salient-statistics rows as the MCS prints them (us_salient; us_indicators adds
#: the commodity and narrows the statistics)
_SALIENT: dict[str, pa.Column] = {
    **_PROVENANCE, "chapter": _col(S), "statistic": _col(S), "item": _col(S),
    "country": _col(S), "year": _col(INT, nullable=True), "year_label": _col(S),
    "value": _col(F, nullable=True), "value_low": _col(F, nullable=True),
    "value_high": _col(F, nullable=True), "qualifier": _QUALIFIER, "value_raw": _col(S),
    "unit_original": _col(S), "is_estimate": _col(B), "notes": _col(S),
    "correction_id": _col(S),
}


KEYS: dict[str, list[str]] = {
    "production": ["commodity", "measure", "country_iso3", "country", "year", "source_id",
                   "edition"],
    "reserves": ["commodity", "measure", "country_iso3", "country", "year", "source_id",
                 "edition"],
    "prices_annual": ["element", "product", "purity_pct", "price_basis", "market",
                      "dollar_year", "year", "source_id", "edition"],
    "prices_daily": ["source_id", "element", "date"],
    "trade": ["source_id", "reporter_iso3", "flow", "hs_code", "partner", "year", "period"],
    "supply_stages": ["mineral", "stage", "country", "year", "source_id"],
    "cpi": ["series_id", "month"],
    "us_salient": ["source_id", "edition", "chapter", "statistic", "item", "country",
                   "year_label"],
    "chain_shares": ["source_id", "stage", "year"],
    # some chapters print two unlabelled rows for one item (mica): the file row is the key
    "us_indicators": ["source_id", "file", "source_row", "item"],
    "production_compilers": ["source_id", "commodity", "measure", "year", "compiler",
                             "country_iso3"],
    "production_bgs": ["source_id", "year", "country_iso3"],
    "trade_flows": ["source_id", "year", "material", "exporter_iso3", "importer_iso3"],
    "trade_materials": ["source_id", "year", "reporter_iso3", "partner_iso3", "hs_code",
                        "flow"],
    "eu_magnet_imports": ["source_id", "year", "origin_iso3"],
    "governance": ["source_id", "country_iso3"],
    "revisions": ["table", "commodity", "measure", "series", "country_iso3", "country",
                  "year", "edition_old", "edition_new"],
}

SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "production": pa.DataFrameSchema(_quantity_table("production_t"), strict=True),
    "reserves": pa.DataFrameSchema(_quantity_table("reserves_t"), strict=True),
    "prices_annual": pa.DataFrameSchema({
        **_PROVENANCE,
        "element": _col(S), "product": _col(S),
        "purity_pct": _col(F, pa.Check.in_range(0, 100), nullable=True),
        "price_basis": _col(S, pa.Check.isin(["annual_average", "yearend_range",
                                              "annual_unit_value"])),
        "market": _col(S), "price_source": _col(S),
        "year": _col(INT, pa.Check.in_range(1900, 2030)),
        "dollar_year": _col(INT, nullable=True),
        "price_usd_per_kg": _col(F, _NONNEG, nullable=True),
        "price_low_usd_per_kg": _col(F, _NONNEG, nullable=True),
        "price_high_usd_per_kg": _col(F, _NONNEG, nullable=True),
        "qualifier": _QUALIFIER, "value_raw": _col(S), "is_estimate": _col(B),
        "correction_id": _col(S),
    }, strict=True),
    "prices_daily": pa.DataFrameSchema({
        "source_id": _col(S), "edition": _col(S), "file": _col(S),
        "source_row": _col(INT, nullable=True), "element": _col(S), "product": _col(S),
        "grade": _col(S), "market": _col(S), "date": _col("datetime64[s]"),
        "price_cny_per_kg": _col(F, pa.Check.gt(0), nullable=True),
        "price_low_cny_per_kg": _col(F, pa.Check.gt(0), nullable=True),
        "price_high_cny_per_kg": _col(F, pa.Check.gt(0), nullable=True),
        "price_usd_per_kg": _col(F, pa.Check.gt(0), nullable=True),
        "unit_original": _col(S), "is_unit_inferred": _col(B),
        "is_range_inconsistent": _col(B),
    }, strict=True, checks=pa.Check(
        lambda d: d["price_cny_per_kg"].notna() | d["price_usd_per_kg"].notna(),
        error="every row has a CNY or a USD price")),
    "trade": pa.DataFrameSchema({
        "source_id": _col(S), "edition": _col(S), "file": _col(S), "reporter_iso3": _ISO,
        "reporter": _col(S), "partner": _col(S), "partner_published": _col(S),
        "partner_code_source": _col(S),
        "partner_iso3": _ISO, "partner_entity": _ENTITY,
        "flow": _col(S, pa.Check.isin(["import", "export"])), "hs_code": _col(S),
        "hs_description": _col(S), "classification": _col(S),
        "year": _col(INT, pa.Check.in_range(1990, 2030)),
        "period": _col(S, pa.Check.isin(["annual", "Jan-Apr"])),
        "value_usd": _col(F, _NONNEG, nullable=True), "value_basis": _col(S),
        "quantity_kg": _col(F, _NONNEG, nullable=True),
        "value_usd_kg_measured": _col(F, _NONNEG, nullable=True),
        "is_quantity_estimated": _col(B), "is_quantity_suppressed": _col(B),
        "partner_scope": _col(S),
    }, strict=True),
    "supply_stages": pa.DataFrameSchema({
        "source_id": _col(S), "edition": _col(S), "file": _col(S), "mineral": _col(S),
        "stage": _col(S, pa.Check.isin(["mining", "refining"])), "country": _col(S),
        "country_published": _col(S), "country_iso3": _ISO, "entity": _ENTITY,
        "year": _col(INT, pa.Check.in_range(2020, 2050)),
        "scenario": _col(S, pa.Check.isin(["reported", "base case"])),
        "production_kt": _col(F, _NONNEG, nullable=True),
        "iea_total_kt": _col(F, _NONNEG, nullable=True),
        "iea_top3_share_pct": _col(F, pa.Check.in_range(0, 100), nullable=True),
        "scope": _col(S),
    }, strict=True),
    "cpi": pa.DataFrameSchema({
        "source_id": _col(S), "edition": _col(S), "series_id": _col(S),
        "month": _col("datetime64[s]"),
        "cpi_index_1982_84": _col(F, pa.Check.gt(0), nullable=True),
        "is_missing": _col(B), "is_seasonally_adjusted": _col(B),
    }, strict=True),
    "us_indicators": pa.DataFrameSchema({
        "commodity": _col(S), "sub_commodity": _col(S), **_SALIENT,
        "statistic": _col(S, pa.Check.isin(["Net import reliance", "Price"])),
    }, strict=True),
    "us_salient": pa.DataFrameSchema(_SALIENT, strict=True),
    "chain_shares": pa.DataFrameSchema({
        "source_id": _col(S), "edition": _col(S),
        "stage": _col(S, pa.Check.isin(["mining", "refining", "magnets"])),
        "stage_label": _col(S), "year": _col(INT, pa.Check.in_range(1900, 2030)),
        "china_share_pct": _col(F, pa.Check.in_range(0, 100)),
    }, strict=True),
    "production_compilers": pa.DataFrameSchema({
        "source_id": _col(S), "edition": _col(S), "commodity": _col(S), "measure": _col(S),
        "year": _col(INT, pa.Check.in_range(1990, 2030)),
        "compiler": _col(S, pa.Check.isin(["USGS", "BGS"])), "compiler_name": _col(S),
        "country_iso3": _col(S, pa.Check.isin(["WLD", "CHN"])),
        "production_t": _col(F, _NONNEG),
        "china_share_pct": _col(F, pa.Check.in_range(0, 100), nullable=True),
        "countries_reporting": _col(INT, nullable=True),
    }, strict=True),
    "production_bgs": pa.DataFrameSchema({
        "year": _col(INT, pa.Check.in_range(1990, 2030)), "country": _col(S),
        "country_iso3": _col(S, pa.Check.str_matches(r"^[A-Z]{3}$")),
        "country_published": _col(S),
        "entity": _col(S, pa.Check.isin(["country", "world", "residual"])),
        "production_t": _col(F, _NONNEG), "commodity": _col(S), "measure": _col(S),
        "compiler": _col(S, pa.Check.isin(["BGS"])), "source_id": _col(S),
        "edition": _col(S),
    }, strict=True),
    "trade_flows": pa.DataFrameSchema({
        "year": _col(INT, pa.Check.in_range(1990, 2030)), "material": _col(S),
        "hs_code": _col(S, pa.Check.str_matches(r"^\d{6}$")),
        "hs_vintage": _col(S, pa.Check.str_matches(r"^HS\d\d$")),
        "exporter_iso3": _ISO, "importer_iso3": _ISO, "value_usd": _col(F, _NONNEG),
        "quantity_t": _col(F, _NONNEG, nullable=True), "lacks_taiwan_namibia": _col(B),
        "file": _col(S), "source_id": _col(S), "edition": _col(S),
    }, strict=True),
    "trade_materials": pa.DataFrameSchema({
        "year": _col(INT, pa.Check.in_range(1990, 2030)), "reporter_iso3": _ISO,
        "partner_iso3": _ISO, "entity": _ENTITY,
        "hs_code": _col(S, pa.Check.str_matches(r"^\d{6}$")),
        "flow": _col(S, pa.Check.isin(["import", "export"])), "value_usd": _col(F, _NONNEG),
        "net_weight_kg": _col(F, _NONNEG, nullable=True),
        "value_basis": _col(S, pa.Check.isin(["CIF", "FOB"])),
        "lines_in_key": _col(INT, pa.Check.ge(1)), "is_ambiguous": _col(B), "file": _col(S),
        "source_id": _col(S), "edition": _col(S),
    }, strict=True),
    "eu_magnet_imports": pa.DataFrameSchema({
        "year": _col(INT, pa.Check.in_range(2000, 2030)), "reporter": _col(S),
        "cn_code": _col(S), "origin_iso3": _ISO, "entity": _ENTITY,
        "value_eur": _col(F, _NONNEG), "quantity_t": _col(F, _NONNEG),
        "is_provisional": _col(B), "source_id": _col(S), "edition": _col(S),
    }, strict=True),
    "governance": pa.DataFrameSchema({
        "country_iso3": _ISO, "country_iso2": _col(S),
        "wgi_mean": _col(F, pa.Check.in_range(-2.5, 2.5)), "score_year": _col(S),
        "source_id": _col(S), "edition": _col(S),
    }, strict=True),
    "revisions": pa.DataFrameSchema({
        "table": _col(S, pa.Check.isin(["production", "reserves", "prices_annual"])),
        "commodity": _col(S), "measure": _col(S), "series": _col(S),
        "country_iso3": _col(S), "country": _col(S), "year": _col(INT),
        "year_old": _col(INT), "edition_old": _col(S), "edition_new": _col(S),
        "source_id_old": _col(S), "source_id_new": _col(S),
        "value_old": _col(F, nullable=True), "value_new": _col(F, nullable=True),
        "unit": _col(S), "qualifier_old": _QUALIFIER, "qualifier_new": _QUALIFIER,
        "abs_change": _col(F, nullable=True), "rel_change_pct": _col(F, nullable=True),
        "change_kind": _col(S, pa.Check.isin(
            ["unchanged", "revision", "estimate_to_reported", "basis_change",
             "now_available", "no_longer_available", "bound_not_value"])),
        "basis_old": _col(S), "basis_new": _col(S), "detail": _col(S),
    }, strict=True),
}


def assert_unique(df: pd.DataFrame, key: list[str], table: str) -> None:
    """Raise ``DuplicateKeyError`` if any ``key`` combination occurs twice in ``df``."""
    dup = df.duplicated(key, keep=False)
    if dup.any():
        examples = list(df.loc[dup, key].drop_duplicates().itertuples(index=False, name=None))
        raise DuplicateKeyError(table, key, examples)


def validate_table(name: str, df: pd.DataFrame) -> pd.DataFrame:
    """Check one row per key and the pandera schema of processed table ``name``."""
    assert_unique(df, KEYS[name], name)
    try:
        return SCHEMAS[name].validate(df, lazy=True)
    except SchemaErrors as exc:
        cases = exc.failure_cases
        lines = [f"  column {r.column!r}: check {r.check!r} failed at row {r.index} "
                 f"(value {r.failure_case!r})" for r in cases.head(20).itertuples()]
        more = f"\n  ... and {len(cases) - 20} more" if len(cases) > 20 else ""
        raise SchemaValidationError(name, "\n".join(lines) + more) from exc
