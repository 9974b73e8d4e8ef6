"""The magnet and trade stage: who exports permanent magnets, to whom, at what unit value.

Every measure here is trade, not production, and HS 850511 holds every metal permanent
magnet (NdFeB, SmCo, AlNiCo), not only rare-earth magnets. The BACI extract keeps each
country's largest partners only, so its shares lean towards large flows; its 2002-2017
files lack Taiwan and Namibia. Unit values come from UN Comtrade's net weights (2022,
2024): a reporter's own exports to the World, FOB, USD per kg of net weight.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from reelib.reference.countries import display_name

MAGNETS = "magnets"
HS_MAGNETS = "850511"
#: exporters shown by unit value: those above this share of the reporters' world exports
MIN_EXPORT_SHARE_PCT = 1.0


def exporter_shares(flows: pd.DataFrame, material: str = MAGNETS) -> pd.DataFrame:
    """Per year and exporter: value_usd, share_pct of the extract's world exports, rank;
    one row per year and exporter (2002-2024)."""
    rows = flows[flows["material"] == material]
    by = rows.groupby(["year", "exporter_iso3"], sort=True, observed=True)["value_usd"].sum()
    out = by.reset_index().rename(columns={"exporter_iso3": "country_iso3"})
    world = out.groupby("year")["value_usd"].transform("sum")
    out["share_pct"] = 100 * out["value_usd"] / world
    out["rank"] = out.groupby("year")["value_usd"].rank(ascending=False, method="min").astype(
        "Int64")
    out["country"] = out["country_iso3"].map(display_name)
    return out.sort_values(["year", "rank"], kind="mergesort").reset_index(drop=True)


def share_path(exporters: pd.DataFrame, countries: list[str]) -> pd.DataFrame:
    """Wide table year x country of export shares (missing = not among the extract's
    flows that year, shown as missing, not zero), with the world value in USD billions."""
    wide = exporters[exporters["country_iso3"].isin(countries)].pivot(
        index="year", columns="country", values="share_pct")
    order = [display_name(c) for c in countries if display_name(c) in wide.columns]
    wide = wide.loc[:, order]
    wide.insert(0, "World exports (USD bn, extract)", exporters.groupby("year")[
        "value_usd"].sum() / 1e9)
    return wide


def destinations(flows: pd.DataFrame, exporter: str = "CHN", year: int = 2024,
                 material: str = MAGNETS, top: int = 10) -> pd.DataFrame:
    """The exporter's largest customers in ``year``: importer, value_usd, share of the
    exporter's listed exports, tonnes (2024 only), USD per kg where tonnes exist."""
    rows = flows[(flows["material"] == material) & (flows["year"] == year)
                 & (flows["exporter_iso3"] == exporter)]
    total = float(rows["value_usd"].sum())
    out = rows.sort_values("value_usd", ascending=False, kind="mergesort").head(top)
    out = pd.DataFrame({
        "importer": out["importer_iso3"].map(display_name).to_numpy(),
        "importer_iso3": out["importer_iso3"].to_numpy(),
        "value_usd_m": out["value_usd"].to_numpy(dtype="float64") / 1e6,
        "share_pct": 100 * out["value_usd"].to_numpy(dtype="float64") / total,
        "quantity_t": out["quantity_t"].to_numpy(dtype="float64", na_value=np.nan),
    })
    out["usd_per_kg"] = out["value_usd_m"] * 1e6 / (out["quantity_t"] * 1000)
    return out


def unit_values(lines: pd.DataFrame, hs_code: str = HS_MAGNETS,
                min_share_pct: float = MIN_EXPORT_SHARE_PCT) -> pd.DataFrame:
    """Each exporter's unit value (USD per kg, FOB) from its own exports to the World, per
    year: reporters above ``min_share_pct`` of all reporters' world exports that year,
    with net weight. Columns: year, country, value_usd_m, net_weight_t, usd_per_kg,
    share_pct, is_ambiguous (several lines in the source: the largest was taken)."""
    world = lines[(lines["hs_code"] == hs_code) & (lines["flow"] == "export")
                  & (lines["entity"] == "world")]
    total = world.groupby("year")["value_usd"].transform("sum")
    out = pd.DataFrame({
        "year": world["year"].to_numpy(), "country_iso3": world["reporter_iso3"].to_numpy(),
        "value_usd_m": world["value_usd"].to_numpy(dtype="float64") / 1e6,
        "net_weight_t": world["net_weight_kg"].to_numpy(dtype="float64", na_value=np.nan)
        / 1000,
        "share_pct": 100 * (world["value_usd"] / total).to_numpy(dtype="float64"),
        "is_ambiguous": world["is_ambiguous"].to_numpy(dtype=bool),
    })
    out = out[(out["share_pct"] >= min_share_pct) & (out["net_weight_t"] > 0)]
    out["usd_per_kg"] = out["value_usd_m"] * 1e6 / (out["net_weight_t"] * 1000)
    out.insert(1, "country", out["country_iso3"].map(display_name))
    return out.sort_values(["year", "value_usd_m"], ascending=[True, False],
                           kind="mergesort").reset_index(drop=True)


def unit_value_of(unit: pd.DataFrame, iso3: str, year: int) -> float | None:
    """One exporter's unit value (USD/kg) in ``year``, or None."""
    hit = unit[(unit["country_iso3"] == iso3) & (unit["year"] == year)]
    return float(hit["usd_per_kg"].iloc[0]) if len(hit) else None


def mirror_gaps(lines: pd.DataFrame, exporter: str = "CHN", year: int = 2024,
                hs_code: str = HS_MAGNETS, top: int = 10) -> pd.DataFrame:
    """The exporter's figure for each of its largest customers beside that customer's own
    figure for imports from it: exports (FOB, as the exporter reports), imports (CIF, as
    the partner reports), the ratio imports / exports. Imports should exceed exports by
    freight and insurance (a few percent); a ratio far from 1 is a reporting gap (transit,
    valuation, classification), not a fact about trade."""
    code = lines[(lines["hs_code"] == hs_code) & (lines["year"] == year)]
    exports = code[(code["reporter_iso3"] == exporter) & (code["flow"] == "export")
                   & (code["entity"] == "country")]
    imports = code[(code["partner_iso3"] == exporter) & (code["flow"] == "import")]
    merged = exports.merge(imports, left_on="partner_iso3", right_on="reporter_iso3",
                           how="left", suffixes=("_x", "_m"))
    merged = merged.sort_values("value_usd_x", ascending=False, kind="mergesort").head(top)
    out = pd.DataFrame({
        "partner": merged["partner_iso3_x"].map(display_name).to_numpy(),
        "exports_reported_usd_m": merged["value_usd_x"].to_numpy(dtype="float64") / 1e6,
        "imports_mirror_usd_m": merged["value_usd_m"].to_numpy(dtype="float64",
                                                               na_value=np.nan) / 1e6,
    })
    out["ratio"] = out["imports_mirror_usd_m"] / out["exports_reported_usd_m"]
    return out


def eu_import_shares(eu: pd.DataFrame) -> pd.DataFrame:
    """Per year and origin (listed origins and the unlisted rest): EUR million, tonnes,
    shares of the EU total by value and by tonnes, EUR per kg, provisional flag."""
    total = eu[eu["entity"] == "world"].set_index("year")[["value_eur", "quantity_t"]]
    rows = eu[eu["entity"] != "world"].copy()
    rows["origin"] = np.where(rows["entity"] == "residual", "Other origins (not listed)",
                              rows["origin_iso3"].map(display_name))
    rows["value_share_pct"] = 100 * rows["value_eur"] / rows["year"].map(total["value_eur"])
    rows["tonnes_share_pct"] = 100 * rows["quantity_t"] / rows["year"].map(
        total["quantity_t"])
    rows["eur_per_kg"] = rows["value_eur"] / (rows["quantity_t"] * 1000)
    rows["value_eur_m"] = rows["value_eur"] / 1e6
    return rows.loc[:, ["year", "origin", "origin_iso3", "value_eur_m", "quantity_t",
                        "value_share_pct", "tonnes_share_pct", "eur_per_kg",
                        "is_provisional"]].reset_index(drop=True)


def press_vs_customs(press: pd.DataFrame, lines: pd.DataFrame, year: int = 2024
                     ) -> dict[str, float]:
    """How the press-reported 2025 magnet tonnages compare in scale with China's HS 850511
    exports in the customs data: China's reported HS 850511 exports in ``year`` (t), the
    same per month, and the press-reported July 2024 month the press compared July 2025
    with (t), so the page can say the two are different product scopes."""
    china = lines[(lines["reporter_iso3"] == "CHN") & (lines["hs_code"] == HS_MAGNETS)
                  & (lines["flow"] == "export") & (lines["entity"] == "world")
                  & (lines["year"] == year)]
    tonnes = float(china["net_weight_kg"].iloc[0]) / 1000 if len(china) else float("nan")
    months = press[press["used"] & (press["period_kind"] == "month")
                   & (press["destination_iso3"] == "WLD")]
    return {"hs850511_t": tonnes, "hs850511_t_per_month": tonnes / 12,
            "press_monthly_median_t": float(months["quantity_t"].median())}


def implied_mass_g(price_usd: float, count: int, usd_per_kg: float) -> float:
    """Grams of magnet per piece that ``count`` pieces for ``price_usd`` buy at an export
    unit value of ``usd_per_kg`` (a scale check of a retail claim, not a retail price).

    >>> round(implied_mass_g(2.0, 30, 25.0), 2)
    2.67
    """
    return price_usd / usd_per_kg * 1000 / count


def press_table(press: pd.DataFrame) -> pd.DataFrame:
    """The press-reported figures for the page: period ('May 2025', 'Jan-Sep 2025'),
    destination, tonnes (approximate ones marked), change on a year earlier, whether the
    project uses the figure (or why not) and the citation (outlet, title, address)."""
    start, end = press["period_start"], press["period_end"]
    period = [f"{e:%b %Y}" if k == "month" else f"{s:%b}-{e:%b %Y}"
              for s, e, k in zip(start, end, press["period_kind"])]
    return pd.DataFrame({
        "period": period, "destination": press["destination"].to_numpy(),
        "quantity_t": press["quantity_t"].to_numpy(dtype="float64"),
        "approximate": press["is_approximate"].to_numpy(dtype=bool),
        "change_yoy_pct": press["change_yoy_pct"].to_numpy(dtype="float64", na_value=np.nan),
        "used": np.where(press["used"], "yes", "no: " + press["reason"].astype(str)),
        "reported_by": (press["outlet"] + ", " + press["title"] + " " + press["url"]).str.strip()
        .to_numpy(),
    })
