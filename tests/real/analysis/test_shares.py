"""reelib.analysis.shares on the real processed production table."""

import pandas as pd
import pytest

from reelib.analysis import shares


def _rows(values: dict[str, float | None], year=2024, edition="MCS 2026", basis="REO"):
    entity = {"WLD": "world", "XOT": "residual"}
    return pd.DataFrame({
        "year": year, "country": list(values), "country_iso3": list(values),
        "entity": [entity.get(k, "country") for k in values],
        "value": pd.array(list(values.values()), dtype="Float64"),
        "edition": edition, "is_estimate": False, "basis": basis,
    })


def test_real_rare_earth_concentration_2024(processed):
    rows = shares.select_series(processed("production"), "Rare earths", years=(2024, 2024))
    s = shares.compute_shares(rows)
    china = s[s["country_iso3"] == "CHN"].iloc[0]
    assert china["share_pct"] == pytest.approx(100 * 270000 / 380000)
    c = shares.concentration(s).iloc[0]
    assert c["hhi_lower"] < c["hhi_upper"] and c["top_country"] == "China"

