"""Tables for the executive summary, assembled only from the reports' recorded facts."""

from __future__ import annotations

import html
import re

import pandas as pd

from reelib.present.facts import fact, fact_field


def china_by_stage(facts: pd.DataFrame) -> pd.DataFrame:
    """China's share at each stage, as the reports recorded it (value, source, edition)."""
    mine_year = fact(facts, "production-shares-rare-earths", "china_share_year")
    trade_year = fact(facts, "trade-dependence", "china_share_us_2846_year")
    partners = fact(facts, "trade-dependence", "usitc_n_partners")
    rows = [
        ("Reserves (USGS, upper bound)", "reserves", "china_reserves_share_pct"),
        (f"Mining, all rare earths (USGS, {mine_year})", "production-shares-rare-earths",
         "china_share_pct"),
        ("Mining, magnet rare earths (IEA, 2024)", "supply-chain-stages",
         "china_mining_share_2024_pct"),
        ("Refining, magnet rare earths (IEA, 2024)", "supply-chain-stages",
         "china_refining_share_2024_pct"),
        ("Refining, IEA base case 2030", "supply-chain-stages", "china_refining_share_2030_pct"),
        ("Magnets (secondary compilation, 2024)", "supply-chain-stages",
         "secondary_china_magnets_share_pct"),
        ("Magnet exports, HS 850511 value (BACI extract, 2024)", "magnets-and-trade",
         "china_magnet_export_share_pct"),
        ("EU imports of NdFeB magnets, value (Eurostat, 2024)", "magnets-and-trade",
         "eu_ndfeb_china_value_share_pct"),
        (f"U.S. imports of RE compounds (USITC, {trade_year}, {partners} partners)",
         "trade-dependence", "china_share_us_2846_imports_pct"),
    ]
    out = [{"stage": stage, "share_pct": float(fact(facts, report, key)),
            **{k: fact_field(facts, report, key, k) for k in ("label", "source", "edition")},
            "report": report} for stage, report, key in rows]
    return pd.DataFrame(out)


def sources_text(stages: pd.DataFrame) -> str:
    """The distinct 'source edition' pairs of ``china_by_stage`` rows, in order, for a caption.

    >>> sources_text(pd.DataFrame({"source": ["USGS", "USGS", "IEA"],
    ...                            "edition": ["MCS 2026", "MCS 2026", None]}))
    'USGS MCS 2026; IEA'
    """
    seen: list[str] = []
    for source, edition in zip(stages["source"], stages["edition"]):
        text = " ".join(str(x) for x in (source, edition) if x is not None and not pd.isna(x)
                        and str(x))
        if text and text not in seen:
            seen.append(text)
    return "; ".join(seen)


def price_moves(facts: pd.DataFrame, reports: list[str]) -> pd.DataFrame:
    """Per price report: latest annual average, real change since the first year, trend."""
    out = []
    for r in reports:
        out.append({
            "element": fact(facts, r, "element"), "first_year": fact(facts, r, "first_year"),
            "latest_year": fact(facts, r, "latest_year"),
            "latest_usd_per_kg": fact(facts, r, "latest_price_usd_per_kg"),
            "real_change_pct": fact(facts, r, "real_change_pct"),
            "trend_pct_per_year": fact(facts, r, "trend_pct_per_year"),
            "trend_p_value": fact(facts, r, "trend_p_value"),
            "volatility_pct_per_month": fact(facts, r, "volatility_latest_pct"),
            "report": r,
        })
    return pd.DataFrame(out)


def report_links(reports: list[tuple[str, str]], facts: pd.DataFrame | None = None):
    """A Markdown list linking each report's page (``[(name, title)]``, from the reports
    file), with the number of facts it recorded. The names are checked plain names and
    the titles are escaped: nothing from data becomes markup."""
    from IPython.display import Markdown

    lines = []
    for name, title in reports:
        if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name):
            raise ValueError(f"not a report name: {name!r}")
        n = int((facts["report"] == name).sum()) if facts is not None else None
        count = f" ({n} recorded fact{'s' * (n != 1)})" if n is not None else ""
        lines.append(f"- [{html.escape(title)}](../{name}/{name}.html){count}")
    return Markdown("\n".join(lines))
