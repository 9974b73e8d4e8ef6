"""reelib.analysis.trade_dependence.import_reliance_by_edition (inline frames)."""

import pandas as pd
import pytest

from reelib.analysis.trade_dependence import import_reliance_by_edition
from reelib.exceptions import SelectionError


def _rows():
    return pd.DataFrame({
        "commodity": ["Rare earths"] * 4 + ["Tin"],
        "statistic": ["Net import reliance"] * 5,
        "item": ["NIR"] * 5, "year": [2022, 2023, 2023, 2024, 2023],
        "edition": ["MCS 2024", "MCS 2024", "MCS 2026", "MCS 2026", "MCS 2026"],
        "edition_published": ["2024-01-31", "2024-01-31", "2026-02-06", "2026-02-06",
                              "2026-02-06"],
        "value_raw": [">95", ">95", ">90", "53", "70"],
        "is_estimate": [False, True, False, True, False]})


def test_each_edition_keeps_its_printed_figure_and_estimate_mark():
    wide = import_reliance_by_edition(_rows(), "Rare earths")
    assert list(wide.columns) == ["item", "year", "MCS 2024", "MCS 2026"]
    row = wide.set_index("year").loc[2023]
    assert (row["MCS 2024"], row["MCS 2026"]) == (">95 (est.)", ">90")
    assert pd.isna(wide.set_index("year").loc[2024, "MCS 2024"])  # never filled in


def test_a_commodity_without_rows_is_named():
    with pytest.raises(SelectionError, match="Gold"):
        import_reliance_by_edition(_rows(), "Gold")
