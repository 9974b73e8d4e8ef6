"""Build the tidy processed tables from the readers' output.

Each ``build_*`` is pure: frames in, one tidy table out, with units in column names,
ISO3 codes from ``reelib.reference.countries``, flags kept as data, and the source id, edition and
the edition's publication date on every row. Every vintage is kept; ``latest_view``
derives the newest edition per commodity-year from them.
"""

from __future__ import annotations

import re

import pandas as pd

from reelib.exceptions import RegistryError, SelectionError, UnparseableValueError
from reelib.readers.shapes import TONNES_PER_UNIT
from reelib.reference.countries import harmonise_countries, with_display_names
from reelib.sources.registry import edition_dates


def add_edition_published(df: pd.DataFrame) -> pd.DataFrame:
    """Add ``edition_published`` (YYYY-MM[-DD]) after ``edition``; unknown editions fail.

    The dates come from the source registry; they order vintages, so the "latest" view
    and the revisions table depend on them.
    """
    dates = edition_dates()
    unknown = sorted(set(df["edition"]) - set(dates))
    if unknown:
        raise RegistryError(f"no publication date for edition(s) {unknown}; give the edition "
                            "a 'published' date (or 'edition_dates') in data/raw/registry.yaml")
    out = df.assign(edition_published=df["edition"].map(dates).astype("string"))
    cols = list(df.columns)
    cols.insert(cols.index("edition") + 1, "edition_published")
    return out.loc[:, cols]


#: Note text -> caveat. A caveat changes what a number means; it travels with the number
#: into every table and sentence that uses it.
CAVEAT_PATTERNS: dict[str, str] = {
    r"production quota": "production quota",
    r"does not include undocumented|illegal production could not be quantified":
        "excludes undocumented production",
    r"import data for China": "estimated from China's import data",
    r"content of exports": "REO content of exports",
    r"bastnaesite only": "bastnaesite only",
    r"did not disclose monazite": "monazite output undisclosed",
}
_QUALIFIER_CAVEATS = {"lower_bound": "lower bound", "upper_bound": "upper bound",
                      "range": "range", "withheld": "withheld",
                      "included_elsewhere": "included in another row"}


def caveats(notes: pd.Series, qualifier: pd.Series, is_estimate: pd.Series,
            form: pd.Series | None = None) -> pd.Series:
    """The caveats of each row, '; '-joined: estimate, bound, the form the figure is
    printed in (crude, processed, ...), basis notes.

    >>> caveats(pd.Series(["Production quota; does not include undocumented production"]),
    ...         pd.Series(["exact"]), pd.Series([True])).iloc[0]
    'estimate; production quota; excludes undocumented production'
    """
    out = []
    forms = form.fillna("") if form is not None else pd.Series("", index=notes.index)
    for note, qual, est, shape in zip(notes.fillna(""), qualifier.fillna(""),
                                      is_estimate.fillna(False), forms):
        tags = ["estimate"] if bool(est) else []
        if qual in _QUALIFIER_CAVEATS:
            tags.append(_QUALIFIER_CAVEATS[qual])
        if shape:
            tags.append(f"form: {shape}")
        tags += [tag for pattern, tag in CAVEAT_PATTERNS.items()
                 if re.search(pattern, note, flags=re.IGNORECASE)]
        out.append("; ".join(dict.fromkeys(tags)))
    return pd.Series(out, index=notes.index, dtype="string")


def _quantity_table(observations: pd.DataFrame, statistic: str, value: str) -> pd.DataFrame:
    rows = observations[observations["statistic"] == statistic]
    factor = rows["unit_original"].map(TONNES_PER_UNIT)
    if factor.isna().any():
        bad = rows.loc[factor.isna()].iloc[0]
        raise UnparseableValueError(bad["file"], "unit has no tonnes factor",
                                    row=bad["source_row"], column="unit",
                                    value=bad["unit_original"],
                                    fix="add it to reelib.readers.shapes.TONNES_PER_UNIT")
    dry = rows["unit_original"].str.contains("dry", regex=False)
    rows = rows.assign(basis=rows["basis"].where(~dry, (rows["basis"] + ", dry weight")
                                                 .str.lstrip(", ")))
    out = harmonise_countries(rows, "country", file="observations").assign(**{
        value: rows["value"] * factor,
        value.replace("_t", "_low_t"): rows["value_low"] * factor,
        value.replace("_t", "_high_t"): rows["value_high"] * factor,
        "is_withheld": rows["qualifier"].eq("withheld"),
        "is_zero": rows["qualifier"].eq("zero"),
        "is_lower_bound": rows["qualifier"].eq("lower_bound"),
        "caveats": caveats(rows["notes"], rows["qualifier"], rows["is_estimate"], rows["form"]),
    })
    out = with_display_names(add_edition_published(out))
    columns = ["source_id", "edition", "edition_published", "file", "source_row", "commodity",
               "measure", "form", "country", "country_published", "country_iso3", "entity",
               "year", value,
               value.replace("_t", "_low_t"), value.replace("_t", "_high_t"), "qualifier",
               "value_raw", "unit_original", "basis", "is_estimate", "is_reported", "is_revised",
               "is_rounded", "is_withheld", "is_zero", "is_lower_bound", "caveats", "notes",
               "correction_id"]
    out = out.loc[:, columns].astype({
        "entity": "string", "is_withheld": "boolean", "is_zero": "boolean",
        "is_lower_bound": "boolean", value: "Float64", value.replace("_t", "_low_t"): "Float64",
        value.replace("_t", "_high_t"): "Float64"})
    return out.sort_values(["commodity", "measure", "year", "edition_published",
                            "country_iso3", "country"], kind="mergesort").reset_index(drop=True)


def build_production(observations: pd.DataFrame) -> pd.DataFrame:
    """Production in metric tons (``production_t``), every source and edition kept."""
    return _quantity_table(observations, "production", "production_t")


def build_reserves(observations: pd.DataFrame) -> pd.DataFrame:
    """Reserves in metric tons (``reserves_t``); ``year`` is the year the edition reports
    reserves for (MCS YYYY -> YYYY-1)."""
    return _quantity_table(observations, "reserves", "reserves_t")


def build_prices_annual(prices: pd.DataFrame) -> pd.DataFrame:
    """Annual prices (USD/kg) of every edition, with their basis, purity and market."""
    out = add_edition_published(prices)
    return out.sort_values(["element", "price_basis", "year", "edition_published", "source_id",
                            "product"], kind="mergesort").reset_index(drop=True)


def build_prices_daily(daily: pd.DataFrame) -> pd.DataFrame:
    """Daily prices: Chinese domestic (CNY/kg) and FOB China (USD/kg)."""
    return daily.sort_values(["source_id", "element", "date"], kind="mergesort").reset_index(
        drop=True)


def build_trade(trade: pd.DataFrame) -> pd.DataFrame:
    """Trade by partner with ISO3 partner codes (``partner_iso3``, ``partner_entity``)."""
    out = harmonise_countries(trade, "partner", file="trade", row_column=None).rename(
        columns={"country_iso3": "partner_iso3", "entity": "partner_entity"})
    out = with_display_names(out, "partner", iso3="partner_iso3", entity="partner_entity")
    cols = list(trade.columns)
    cols.insert(cols.index("partner") + 1, "partner_published")
    cut = cols.index("partner_code_source") + 1
    order = cols[:cut] + ["partner_iso3", "partner_entity"] + cols[cut:]
    out = out.loc[:, order].astype({"partner_entity": "string"})
    return out.sort_values(["source_id", "flow", "hs_code", "period", "year", "partner"],
                           kind="mergesort").reset_index(drop=True)


def build_supply_stages(supply: pd.DataFrame) -> pd.DataFrame:
    """IEA supply by stage with ISO3 country codes."""
    out = with_display_names(harmonise_countries(supply, "country", file="iea.json",
                                                 row_column=None))
    cols = list(supply.columns)
    order = cols[: cols.index("country") + 1] + ["country_published", "country_iso3",
                                                  "entity"] + cols[
        cols.index("country") + 1:]
    return out.loc[:, order].astype({"entity": "string"}).sort_values(
        ["mineral", "stage", "year", "country"], kind="mergesort").reset_index(drop=True)


def build_us_salient(salient: pd.DataFrame) -> pd.DataFrame:
    """U.S. salient statistics and import sources of every edition."""
    out = add_edition_published(salient).assign(
        year_label=lambda d: d["year_label"].where(d["year_label"] != "",
                                                   d["year"].astype("string")).fillna(""))
    return out.sort_values(["chapter", "statistic", "item", "year_label", "edition_published"],
                           kind="mergesort").reset_index(drop=True)


def build_us_indicators(indicators: pd.DataFrame) -> pd.DataFrame:
    """U.S. net import reliance and prices of every MCS chapter (``commodity`` as in the
    production table), for the critical-minerals atlas."""
    out = add_edition_published(indicators)
    cols = ["commodity", "sub_commodity"] + [c for c in out.columns
                                             if c not in ("commodity", "sub_commodity")]
    return out.loc[:, cols].sort_values(["commodity", "sub_commodity", "statistic", "item",
                                         "year_label"],
                                        kind="mergesort").reset_index(drop=True)


def build_chain_shares(chain: pd.DataFrame) -> pd.DataFrame:
    """China's share per stage as a secondary compilation cites it (``china_share_pct``).

    The project's only figure for magnets; reports quote it as a cited figure, never as
    measured data, and draw it apart from the measured stages.
    """
    cols = ["source_id", "edition", "stage", "stage_label", "year", "china_share_pct"]
    return chain.loc[:, cols].sort_values(["stage", "year"], kind="mergesort").reset_index(
        drop=True)


def latest_view(table: pd.DataFrame, group: list[str] | None = None) -> pd.DataFrame:
    """Keep, per ``group`` (default commodity, measure, year), only the newest edition.

    The whole table of that edition is kept for the year, so country rows and the world
    total of one year always come from the same edition (never a patchwork).
    """
    group = group or ["commodity", "measure", "year"]
    newest = table.groupby(group, dropna=False)["edition_published"].transform("max")
    return table[table["edition_published"] == newest].reset_index(drop=True)


def build_production_compilers(compilers: pd.DataFrame) -> pd.DataFrame:
    """Rare-earth mine production, world and China, as two compilers give it (secondary),
    with China's share of each compiler's own world total (``china_share_pct``)."""
    keys = ["commodity", "measure", "year", "compiler"]
    world = compilers[compilers["country_iso3"] == "WLD"].set_index(keys)
    china = compilers[compilers["country_iso3"] == "CHN"].set_index(keys)
    share = (100 * china["production_t"] / world["production_t"]).rename("china_share_pct")
    out = compilers.merge(share.reset_index(), on=keys, how="left")
    out["china_share_pct"] = out["china_share_pct"].where(out["country_iso3"] == "CHN")
    cols = ["source_id", "edition", "commodity", "measure", "year", "compiler",
            "compiler_name", "country_iso3", "production_t", "china_share_pct",
            "countries_reporting"]
    return out.loc[:, cols].astype({"china_share_pct": "Float64", "commodity": "string",
                                    "measure": "string"}).sort_values(
        ["commodity", "measure", "year", "compiler", "country_iso3"],
        kind="mergesort").reset_index(drop=True)


#: a commodity-measure needs a world total and this many producing countries
ATLAS_MIN_COUNTRIES = 3
#: an edition "covers every commodity" when it has at least this share of the most
#: commodities any edition has (MCS 2025 here is a rare-earth chapter only)
FULL_EDITION_SHARE = 0.5


def newest_full_edition(production: pd.DataFrame) -> str:
    """The newest edition (by publication date) that gives production for most
    commodities: what "latest" means for the atlas and the matrix of share reports.
    Computed from the data, so a newly registered edition takes over by itself.

    >>> newest_full_edition(pd.DataFrame({
    ...     "edition": ["MCS 2025", "MCS 2026", "MCS 2026", "MCS 2027"],
    ...     "edition_published": ["2025-01", "2026-02", "2026-02", "2027-01"],
    ...     "commodity": ["Rare earths", "Rare earths", "Tin", "Tin"]}))
    'MCS 2027'
    """
    per = production.groupby(["edition", "edition_published"],
                             observed=True)["commodity"].nunique()
    if per.empty:
        raise SelectionError("no edition gives production by commodity")
    full = per[per >= FULL_EDITION_SHARE * per.max()].reset_index()
    return str(full.sort_values("edition_published")["edition"].iloc[-1])


def country_production_pairs(production: pd.DataFrame,
                             edition: str | None = None) -> list[dict[str, object]]:
    """Every commodity and measure of ``edition`` (default: ``newest_full_edition``) with
    production by country: a world total and at least ``ATLAS_MIN_COUNTRIES`` countries
    with a value. Sorted by name."""
    edition = edition or newest_full_edition(production)
    rows = production[(production["edition"] == edition) & production["production_t"].notna()]
    out = []
    for (commodity, measure), g in rows.groupby(["commodity", "measure"], sort=True):
        countries = g.loc[g["entity"] == "country", "country_iso3"].nunique()
        if countries >= ATLAS_MIN_COUNTRIES and (g["entity"] == "world").any():
            out.append({"commodity": str(commodity), "measure": str(measure),
                        "countries": int(countries), "edition": edition})
    return out
