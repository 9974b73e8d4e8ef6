"""The mine-and-export table as the page shows it (``analysis.supply_risk`` computes it)."""

from __future__ import annotations

import pandas as pd

from reelib.present.numbers import fmt_pct, fmt_range


def _hhi_wgi(low: float, high: float) -> str:
    """An HHI_WGI interval to two decimals, one number when both ends read the same."""
    return "" if pd.isna(low) else fmt_range(low, high, decimals=2)


def _china_share(value: float) -> str:
    """China's export share: missing is 'not in the extract', never 0%."""
    if pd.isna(value):
        return "not in the extract"
    return "<0.5%" if value < 0.5 else fmt_pct(value)


def stages_table(stages: pd.DataFrame) -> pd.DataFrame:
    """One row per commodity-measure with a trade code (``supply_risk.stage_comparison``
    rows): miner beside exporter, China's export share, each stage's HHI_WGI, and the
    traded form with its relation to the measure. Notes and unscored countries are in
    ``supply_risk.stage_notes``."""
    d = stages[stages["material"].notna()]
    measure = d["measure"].where(d["measure"] != "Mine production", "")
    return pd.DataFrame({
        "commodity": d["commodity"] + measure.map(lambda m: f" ({m.lower()})" if m else ""),
        "top miner": d["top_miner"] + " " + d["top_miner_share_pct"].map(fmt_pct),
        "top exporter": d["top_exporter"] + " " + d["top_exporter_share_pct"].map(fmt_pct),
        "China's export share": d["china_export_share_pct"].map(_china_share),
        "mine HHI_WGI": [_hhi_wgi(a, b) for a, b in zip(d["mine_hhi_wgi_low"],
                                                       d["mine_hhi_wgi_high"])],
        "export HHI_WGI": [_hhi_wgi(a, b) for a, b in zip(d["export_hhi_wgi_low"],
                                                         d["export_hhi_wgi_high"])],
        "traded form": d["traded_form"] + " - " + d["relation"],
    }).reset_index(drop=True)
