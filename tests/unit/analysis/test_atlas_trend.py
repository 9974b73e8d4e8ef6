"""reelib.analysis.atlas: the trend and revision columns (inline frames)."""

import pandas as pd

from reelib.analysis import atlas


def test_the_newest_revision_pair_is_ordered_by_publication_not_by_name():
    """'MYB 2022' sorts after 'MCS 2026' by name; by publication it is older."""
    revisions = pd.DataFrame({
        "table": ["production"] * 3, "commodity": ["Rare earths"] * 3,
        "measure": ["Mine production"] * 3,
        "edition_old": ["MCS 2022", "MCS 2025", "MCS 2025"],
        "edition_new": ["MYB 2022", "MCS 2026", "MCS 2026"],
        "change_kind": ["revision", "revision", "unchanged"]})
    assert atlas._revised(revisions, "Rare earths", "Mine production") == (
        1, "MCS 2025 -> MCS 2026")


def test_trend_summary_counts_rises_falls_and_pairs():
    table = pd.DataFrame({
        "china_share_first_pct": [50.0, 50.0, 50.0, None],
        "china_share_pct": [60.0, 40.0, 52.0, 70.0],
        "revised_country_years": [3, 0, None, 2],
        "revised_editions": ["A -> B", "A -> B", None, "C -> D"],
        "edition": ["D"] * 4})
    t = atlas.trend_summary(table)
    assert (t["n"], t["up"], t["down"]) == (3, 1, 1)
    assert (t["revised"], t["revised_rows"]) == (5, 2)
    assert t["pairs"] == {"A -> B": 2, "C -> D": 1}
