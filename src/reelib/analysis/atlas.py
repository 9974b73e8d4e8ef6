"""The critical-minerals atlas: the same lens on every commodity with production by country.

One row per commodity and measure of an MCS edition (``processed.tables.
country_production_pairs``): the world total, China's share, the largest producer and its
share, CR3, the HHI interval (``analysis.shares.concentration``), China's share of
reserves, U.S. net import reliance, the change of the first U.S. price the chapter
prints, and China's export controls that cover the commodity (``reference.events``).
Every value is read from the rows of that edition; where the edition gives none the cell
is empty, never filled in.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from reelib.analysis import editions, shares
from reelib.analysis.concentration import hhi_band
from reelib.exceptions import SelectionError
from reelib.reference.export_controls import covering, shorts_on, status_on
from reelib.reference.reserves_basis import reserves_basis


def _reserves_share(reserves: pd.DataFrame, commodity: str, measure: str,
                    edition: str) -> tuple[float | None, bool, str]:
    """(China's share of world reserves %, whether it is an upper bound, the reserves
    measure used). China and the world come from one reserves measure: the chapter's only
    one, or the one ``reference.reserves_basis`` pairs with the production measure (potash
    in K2O with K2O reserves, not recoverable ore); several without a pairing give none.
    A world total printed as a lower bound ('>4,400,000') makes the share an upper bound."""
    rows = reserves[(reserves["commodity"] == commodity) & (reserves["edition"] == edition)]
    kinds = rows["measure"].dropna().unique()
    if len(kinds) > 1:
        paired = reserves_basis().get((commodity, measure))
        if paired is None:
            return None, False, ""
        rows = rows[rows["measure"] == paired[0]]
    world_rows = rows[rows["entity"] == "world"].dropna(subset=["reserves_t"])
    china = rows.loc[rows["country_iso3"] == "CHN", "reserves_t"].dropna()
    if world_rows.empty or china.empty or float(world_rows["reserves_t"].iloc[0]) <= 0:
        return None, False, ""
    world = world_rows.iloc[0]
    at_most = bool(world["is_lower_bound"]) if not pd.isna(world["is_lower_bound"]) else False
    return (100 * float(china.iloc[0]) / float(world["reserves_t"]), at_most,
            str(world["measure"]))


def _bounded(value: float | None, at_most: bool) -> str:
    """A share as a page prints it: '≤ 58.7' when it is an upper bound."""
    if value is None:
        return ""
    return f"{'≤ ' if at_most else ''}{value:.1f}"


def _pick(rows: pd.DataFrame, measure: str) -> pd.DataFrame:
    """The rows of the item the measure names, else of the chapter's first item: a
    sub-commodity (bauxite and alumina) or an item's own name after its colon ("...:
    Ferrosilicon, all grades" for the ferrosilicon measure, "...: Silicon metal" for silicon
    metal) counts as named when the measure contains it."""
    subs = rows["sub_commodity"].dropna().unique()
    if len(subs) > 1:
        named = [s for s in subs if str(s).lower() in measure.lower()]
        if named:
            rows = rows[rows["sub_commodity"] == named[0]]
    items = rows["item"].dropna().unique()
    if len(items) > 1:
        own = {i: str(i).rsplit(":", 1)[-1].split(",")[0].strip().lower() for i in items
               if ":" in str(i)}
        named = [i for i, name in own.items() if name and name in measure.lower()]
        if named:
            return rows[rows["item"] == named[0]].sort_values("year")
    first = rows["item"].iloc[rows["source_row"].to_numpy(dtype="float64",
                                                          na_value=np.inf).argmin()]
    return rows[rows["item"] == first].sort_values("year")


#: the number a printed bound stands at: '<25' at 25, '>75' at 75 (the qualifier says which)
_BOUND_AT = {"upper_bound": "value_high", "lower_bound": "value_low",
             "less_than_half": "value_high"}


def _import_reliance(rows: pd.DataFrame, measure: str) -> tuple[float | None, str, str, str]:
    """(value, qualifier, item, as printed) of the latest U.S. net import reliance
    (``rows``: the chapter's net import reliance rows). A bound keeps its qualifier and
    its printed text ('<25', '>75'); its number is the bound, never the other end of the
    interval (0 for '<25')."""
    if rows.empty:
        return None, "", "", ""
    item = _pick(rows, measure).dropna(subset=["year"])
    if item.empty:
        return None, "", "", ""
    last = item.iloc[-1]
    qualifier = str(last["qualifier"])
    if qualifier in _BOUND_AT:
        found = [last[_BOUND_AT[qualifier]]]
    elif qualifier == "range":
        found = [(float(last["value_low"]) + float(last["value_high"])) / 2]
    else:
        found = [last["value"]]
    found = [f for f in found if not pd.isna(f)]
    value = float(found[0]) if found else None
    return (value, qualifier, f"{last['item']} ({int(last['year'])})",
            str(last["value_raw"]).strip())


def _price_change(rows: pd.DataFrame,
                  measure: str) -> tuple[float | None, str, int | None, int | None]:
    """(change %, item, first year, last year) of the chapter's first price series
    (``rows``: the chapter's price rows)."""
    if rows.empty:
        return None, "", None, None
    item = _pick(rows, measure).dropna(subset=["year", "value"])
    item = item[item["value"] > 0]
    if len(item) < 2:
        return None, "", None, None
    first, last = item.iloc[0], item.iloc[-1]
    change = 100 * (float(last["value"]) / float(first["value"]) - 1)
    return change, str(first["item"]), int(first["year"]), int(last["year"])


class _Split(dict):
    """Rows of a table by commodity (or by ``keys``); a key without rows gets the empty
    table."""

    def __init__(self, table: pd.DataFrame, keys: str | list[str] = "commodity"):
        super().__init__(iter(table.groupby(keys, sort=False, observed=True)))
        self.empty = table.iloc[0:0]

    def __missing__(self, key) -> pd.DataFrame:
        return self.empty


#: the first year of the trend the atlas shows (the first year the MCS 2022 release gives)
TREND_FROM = 2020


def _trend(history: pd.DataFrame, commodity: str, measure: str,
           year: int) -> tuple[int | None, float | None]:
    """(first year, China's share then) over the newest edition of each year from
    ``TREND_FROM``: the start of the trend the atlas compares the edition's year with."""
    try:
        series = shares.select_series(history, commodity, measure=measure, vintage="latest",
                                      years=(TREND_FROM, year))
    except SelectionError:
        return None, None
    first = int(series["year"].min())
    if first >= year:
        return None, None
    rows = shares.compute_shares(series[series["year"] == first])
    china = rows.loc[rows["country_iso3"] == "CHN", "share_pct"]
    return first, (float(china.iloc[0]) if len(china) else 0.0)


def _revised(revisions: pd.DataFrame, commodity: str, measure: str) -> tuple[int | None, str]:
    """(country-years revised, 'old -> new') for the newest pair of editions that give the
    measure for a common year: a revision exists only where two editions print the same
    year (MCS 2026 prints 2024-2025; for most commodities the edition before it here is
    MCS 2024, with 2022-2023, because MCS 2025 is mirrored for rare earths only)."""
    r, pair = editions.newest_pair(revisions, commodity, measure)
    if not pair:
        return None, ""
    return int((r["change_kind"] != "unchanged").sum()), pair


def atlas_table(production: pd.DataFrame, reserves: pd.DataFrame, indicators: pd.DataFrame,
                controls: pd.DataFrame, pairs: list[dict], edition: str,
                revisions: pd.DataFrame | None = None, as_of=None) -> pd.DataFrame:
    """One row per commodity and measure in ``pairs`` (see the module doc), with the trend
    since ``TREND_FROM`` (China's share in the first year the editions give, newest edition
    per year), how many country-years ``edition`` revised (``revisions``' production
    rows; empty without them), and China's export controls (``reference.export_controls``)
    covering the commodity: in force at the end of the data's year and on ``as_of`` (the
    build date; blank without it)."""
    # split each table by commodity once: filtering the whole tables again for each of
    # ~75 pairs was most of the atlas's time
    production_of = _Split(production[production["edition"] == edition])
    history_of = _Split(production)
    revised_of = _Split(revisions[revisions["table"] == "production"]
                        if revisions is not None else production.iloc[0:0])
    reserves_of = _Split(reserves[reserves["edition"] == edition])
    indicators_of = _Split(indicators[indicators["edition"] == edition],
                           ["commodity", "statistic"])
    statuses: dict[str, pd.Series] = {}

    def status_at(day) -> pd.Series:  # each date's statuses once, not once per commodity
        key = str(day)
        if key not in statuses:
            statuses[key] = status_on(controls, day).set_index("control_id")["status"]
        return statuses[key]

    rows = []
    for pair in pairs:
        commodity, measure = pair["commodity"], pair["measure"]
        series = shares.select_series(production_of[commodity], commodity, measure=measure,
                                      vintage=edition)
        year = int(series["year"].max())
        latest = series[series["year"] == year]
        country_shares = shares.compute_shares(latest)
        conc = shares.concentration(country_shares)
        head = shares.summarise_year(country_shares, conc, year)
        nir, nir_qualifier, nir_item, nir_printed = _import_reliance(
            indicators_of[commodity, "Net import reliance"], measure)
        price, price_item, p0, p1 = _price_change(indicators_of[commodity, "Price"], measure)
        first_year, china_first = _trend(history_of[commodity], commodity, measure, year)
        revised = (_revised(revised_of[commodity], commodity, measure)
                   if revisions is not None else (None, ""))
        reserves_share, reserves_at_most, reserves_measure = _reserves_share(
            reserves_of[commodity], commodity, measure, edition)
        cover = covering(controls, commodity)
        at_data = shorts_on(controls, None, commodity, status=status_at(f"{year}-12-31"))
        rows.append({
            "commodity": commodity, "measure": measure, "year": year,
            "world_production_t": head["world_total"],
            "china_share_pct": head["country_share_pct"],
            "top_country": head["top_country"], "top_share_pct": head["cr1_pct"],
            "cr3_pct": head["cr3_pct"], "hhi_lower": head["hhi_lower"],
            "share_basis": head["denominator_kind"],
            "rounding_gap_pct": float(conc.loc[conc["year"] == year,
                                               "rounding_gap_pct"].iloc[0]),
            "hhi_upper": head["hhi_upper"], "countries": int(pair.get("countries", 0)),
            "china_reserves_share_pct": reserves_share,
            "china_reserves_share_is_upper_bound": reserves_at_most,
            "china_reserves_share_printed": _bounded(reserves_share, reserves_at_most),
            "china_reserves_measure": reserves_measure,
            "us_import_reliance_pct": nir, "us_import_reliance_qualifier": nir_qualifier,
            "us_import_reliance_item": nir_item, "us_import_reliance_printed": nir_printed,
            "price_change_pct": price, "price_item": price_item,
            "price_first_year": p0, "price_last_year": p1,
            "export_controlled": bool(at_data),
            "controls_in_force_end_of_year": at_data,
            "controls_in_force_build_date": (
                shorts_on(controls, None, commodity, status=status_at(as_of))
                if as_of is not None else ""),
            "export_controls": "; ".join(f"{s} (announced {a:%Y-%m-%d}, in force {f:%Y-%m-%d})"
                                         for s, a, f in zip(cover["short"], cover["announced"],
                                                            cover["in_force"])),
            "china_share_first_year": first_year, "china_share_first_pct": china_first,
            "revised_country_years": revised[0], "revised_editions": revised[1],
            "edition": edition, "source_id": str(latest["source_id"].iloc[0]),
        })
    out = pd.DataFrame(rows)
    if out.empty:
        return out
    return out.astype({
        "year": "Int64", "countries": "Int64", "price_first_year": "Int64",
        "price_last_year": "Int64", "world_production_t": "Float64",
        "china_share_pct": "Float64", "top_share_pct": "Float64", "cr3_pct": "Float64",
        "hhi_lower": "Float64", "hhi_upper": "Float64", "rounding_gap_pct": "Float64",
        "china_reserves_share_pct": "Float64", "us_import_reliance_pct": "Float64",
        "china_reserves_share_is_upper_bound": "bool",
        "price_change_pct": "Float64", "export_controlled": "bool",
        "china_share_first_year": "Int64", "china_share_first_pct": "Float64",
        "revised_country_years": "Int64",
    }).sort_values(["china_share_pct", "commodity"], ascending=[False, True],
                   na_position="last", kind="mergesort").reset_index(drop=True)


def china_share_summary(atlas: pd.DataFrame) -> dict[str, object]:
    """Counts for the atlas's lead: commodities covered, China largest producer, China
    above half of world output, export-controlled among them."""
    top = atlas["top_country"].eq("China")
    return {"n": int(len(atlas)), "n_commodities": int(atlas["commodity"].nunique()),
            "china_top": int(top.sum()),
            "china_over_half": int((atlas["china_share_pct"] > 50).sum()),
            "controlled": int(atlas["export_controlled"].sum()),
            "controlled_china_top": int((top & atlas["export_controlled"]).sum())}


#: a change of China's share (percentage points) the trend sentence counts as a rise or fall
TREND_POINTS = 5.0


def trend_summary(atlas: pd.DataFrame) -> dict[str, int]:
    """Counts for the trend sentence: rows with a trend, China's share up or down by at
    least ``TREND_POINTS`` points since the first year, the country-years revised by the
    newest pair of editions with a common year, and the rows revised by the newest
    edition itself (``newest``)."""
    t = atlas.dropna(subset=["china_share_first_pct", "china_share_pct"])
    change = t["china_share_pct"] - t["china_share_first_pct"]
    return {"n": int(len(t)), "up": int((change >= TREND_POINTS).sum()),
            "down": int((change <= -TREND_POINTS).sum()),
            "revised": int(atlas["revised_country_years"].fillna(0).sum()),
            "revised_rows": int((atlas["revised_country_years"].fillna(0) > 0).sum()),
            "pairs": atlas["revised_editions"].fillna("").loc[lambda s: s.ne("")]
                     .value_counts().to_dict()}


#: U.S. net import reliance (%) from which a commodity counts as mostly imported
MOSTLY_IMPORTED_PCT = 50.0


def exposed(atlas: pd.DataFrame) -> pd.DataFrame:
    """Commodity-measures whose production is highly concentrated even at the HHI's lower
    bound (``concentration.hhi_band``, the 2023 U.S. merger guidelines) and that the United
    States mostly imports (net import reliance at least ``MOSTLY_IMPORTED_PCT``); rows
    without a reliance figure are left out."""
    both = atlas.dropna(subset=["us_import_reliance_pct", "hhi_lower"])
    high = both["hhi_lower"].map(lambda h: hhi_band(float(h)) == "highly concentrated")
    # '<50' or 'less than half' never shows at least half; '>50' and exact values can
    at_least = both["us_import_reliance_qualifier"].isin(["exact", "lower_bound", "estimate"])
    return both[high.astype(bool) & at_least
                & (both["us_import_reliance_pct"] >= MOSTLY_IMPORTED_PCT)]


#: the atlas columns a page shows, in order (the CSV keeps them all)
DISPLAY = ["commodity", "measure", "year", "world_production_t", "china_share_pct",
           "china_share_first_year", "china_share_first_pct", "revised_country_years",
           "revised_editions",
           "top_country", "top_share_pct", "cr3_pct", "hhi_lower", "hhi_upper",
           "china_reserves_share_printed", "us_import_reliance_printed", "price_change_pct",
           "controls_in_force_end_of_year", "controls_in_force_build_date"]


def display_columns(atlas: pd.DataFrame) -> pd.DataFrame:
    """The atlas as a page shows it (``DISPLAY`` columns)."""
    return atlas.loc[:, [c for c in DISPLAY if c in atlas.columns]]
