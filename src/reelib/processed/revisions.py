"""How each edition revised the previous one: the revisions table.

For every series reported by two or more editions, consecutive editions (by publication
date) are compared. Each pair gets the old and new value, the absolute and relative
change, and a ``change_kind``:

* ``basis_change``: the two editions describe the number differently -- a basis note
  differs (e.g. China's figure marked or no longer marked as a production quota; a
  country estimated from China's import data in one edition and not the other; U.S.
  output counting bastnaesite only), or a price's purity or basis differs. Such a change
  is a change of reporting basis, not news about the world, and is flagged separately;
* ``estimate_to_reported``: an estimate replaced by a reported figure;
* ``revision``: same basis, different number; ``unchanged``: same number;
* ``now_available`` / ``no_longer_available``: a number appears or disappears (NA);
* ``bound_not_value``: one of the two is a bound or a range (">90,000,000"), not a
  value, so no change is computed.

Production is compared per (commodity, measure, country, year). Reserves carry the year
their edition reports them for, so consecutive editions are compared per country
regardless of that year: ``year_old`` and ``year`` are then the two editions' years
(MCS 2025 reports reserves at the end of 2024, MCS 2026 at the end of 2025).
"""

from __future__ import annotations

import math
import re

import pandas as pd

#: Note text -> basis tag. Two editions whose tags differ describe a number differently.
BASIS_TAGS: dict[str, str] = {
    r"production quota": "production quota",
    r"import data for China": "estimated from China's import data",
    r"content of exports": "REO content of exports",
    r"bastnaesite only|excludes monazite": "bastnaesite only (monazite excluded)",
    r"did not disclose monazite": "monazite output undisclosed",
    r"Joint Ore Reserves Committee|JORC": "JORC-compliant reserves reported separately",
}


def basis_tags(notes: str) -> str:
    """Return the sorted basis tags found in a notes text, joined by '; '."""
    tags = {tag for pattern, tag in BASIS_TAGS.items()
            if re.search(pattern, notes or "", flags=re.IGNORECASE)}
    return "; ".join(sorted(tags))


def _decimals(printed: str) -> int | None:
    """Digits after the decimal point of a printed number ('1.51' -> 2, '2' -> 0)."""
    text = str(printed or "").replace(",", "").strip()
    if not re.fullmatch(r"-?\d+(\.\d+)?", text):
        return None
    return len(text.split(".")[1]) if "." in text else 0


def _round_half_up(x: float, decimals: int) -> float:
    return math.floor(x * 10**decimals + 0.5) / 10**decimals


def classify_change(old: pd.Series, new: pd.Series) -> tuple[str, str]:
    """Return (change_kind, detail) for one pair of consecutive rows of a series."""
    v_old, v_new = old["value"], new["value"]
    if old["basis"] != new["basis"]:
        return "basis_change", f"basis: {old['basis'] or 'none'} -> {new['basis'] or 'none'}"
    bounds = ("lower_bound", "upper_bound", "range")
    if old["qualifier"] in bounds or new["qualifier"] in bounds:
        return "bound_not_value", (f"{old['value_raw'] or old['qualifier']} -> "
                                   f"{new['value_raw'] or new['qualifier']}: a bound is not a "
                                   "value, no change computed")
    if pd.isna(v_old) and pd.notna(v_new):
        return "now_available", f"{old['qualifier']} -> reported value"
    if pd.notna(v_old) and pd.isna(v_new):
        return "no_longer_available", f"value -> {new['qualifier']}"
    if pd.isna(v_old) and pd.isna(v_new):
        return "unchanged", f"{old['qualifier']} in both"
    if v_old == v_new and old["qualifier"] == new["qualifier"]:
        return "unchanged", ""
    d_old, d_new = _decimals(old["value_raw"]), _decimals(new["value_raw"])
    if d_old is not None and d_new is not None and d_old != d_new:
        coarse = min(d_old, d_new)
        if _round_half_up(float(v_old), coarse) == _round_half_up(float(v_new), coarse):
            return "unchanged", f"same value printed to {coarse} decimal(s) in one edition"
    if bool(old["is_estimate"]) and not bool(new["is_estimate"]):
        return "estimate_to_reported", "estimate replaced by a reported or final figure"
    return "revision", ""


def _pairs(df: pd.DataFrame, series_key: list[str]) -> pd.DataFrame:
    df = df.sort_values([*series_key, "edition_published"], kind="mergesort").reset_index(
        drop=True)
    group = df.groupby(series_key, dropna=False, sort=False).ngroup()
    has_next = (group.shift(-1) == group).to_numpy()
    old = df[has_next]
    new = df.iloc[[i + 1 for i in range(len(df)) if has_next[i]]].set_index(old.index)
    kinds = [classify_change(o, n) for (_, o), (_, n) in zip(old.iterrows(), new.iterrows())]
    is_bound = pd.Series([k[0] == "bound_not_value" for k in kinds], index=old.index)
    abs_change = (new["value"] - old["value"]).mask(is_bound)
    rel = (abs_change / old["value"].where(old["value"] != 0)) * 100
    return pd.DataFrame({
        "commodity": old["commodity"], "measure": old["measure"], "series": old["series"],
        "country_iso3": old["country_iso3"], "country": new["country"],
        "year": new["year"], "year_old": old["year"], "edition_old": old["edition"],
        "edition_new": new["edition"],
        "source_id_old": old["source_id"], "source_id_new": new["source_id"],
        "value_old": old["value"], "value_new": new["value"], "unit": old["unit"],
        "qualifier_old": old["qualifier"], "qualifier_new": new["qualifier"],
        "abs_change": abs_change, "rel_change_pct": rel,
        "change_kind": [k[0] for k in kinds], "basis_old": old["basis"],
        "basis_new": new["basis"], "detail": [k[1] for k in kinds],
    })


def _prepare_quantities(table: pd.DataFrame, value: str) -> pd.DataFrame:
    return table.assign(value=table[value], unit="t", series="",
                        basis=table["notes"].map(basis_tags))


def compute_revisions(production: pd.DataFrame, reserves: pd.DataFrame,
                      prices: pd.DataFrame) -> pd.DataFrame:
    """Return the revisions table for production, reserves and annual prices."""
    prod = _prepare_quantities(production, "production_t")
    # Totals are compared too (country_iso3 WLD); 'Other countries' (XOT) is compared as a
    # residual, whose changes mostly mirror the named countries'.
    p = _pairs(prod, ["commodity", "measure", "country_iso3", "year"]).assign(
        table="production")
    res = _prepare_quantities(reserves, "reserves_t")
    r = _pairs(res, ["commodity", "measure", "country_iso3"]).assign(
        table="reserves")
    pr = prices[prices["dollar_year"].isna()]
    pr = pr.assign(
        value=pr["price_usd_per_kg"], unit="USD/kg", commodity="Rare earths",
        measure=pr["price_basis"], series=pr["element"] + " | " + pr["product"],
        country_iso3="", country=pr["market"],
        basis=("purity " + pr["purity_pct"].astype("string").fillna("n/a") + "%; "
               + pr["price_basis"]),
    )
    # Annual averages and year-end ranges are different statistics: compared within a
    # basis only; purity differences show up as basis changes.
    q = _pairs(pr, ["element", "measure", "year"]).assign(table="prices_annual")
    out = pd.concat([p, r, q], ignore_index=True)
    columns = ["table", "commodity", "measure", "series", "country_iso3", "country", "year",
               "year_old", "edition_old", "edition_new", "source_id_old", "source_id_new",
               "value_old", "value_new", "unit", "qualifier_old", "qualifier_new", "abs_change",
               "rel_change_pct", "change_kind", "basis_old", "basis_new", "detail"]
    dtypes = {c: "string" for c in columns}
    dtypes.update({"year": "Int64", "year_old": "Int64", "value_old": "Float64",
                   "value_new": "Float64", "abs_change": "Float64", "rel_change_pct": "Float64"})
    out = out.loc[:, columns].astype(dtypes)
    for c in ("series", "country_iso3", "basis_old", "basis_new", "detail"):
        out[c] = out[c].fillna("")
    return out.reset_index(drop=True)
