"""reelib.present.hover: values on hover for time-series figures."""

import pandas as pd

from reelib.present.hover import hover_svg


def test_each_point_of_a_time_series_carries_its_value():
    data = pd.DataFrame({"panel": ["p"] * 3, "series": ["Nd oxide"] * 3,
                         "kind": ["line"] * 3, "x": [2023, 2024, 2025],
                         "y": [80.0, 58.5, 73.0]})
    svg = hover_svg(data, title="Nd <price>")
    assert svg.count("<circle") == 3 and "<title>Nd oxide: 2024: 58.50</title>" in svg
    assert 'aria-label="Nd &lt;price&gt;"' in svg  # escaped


def test_no_layer_for_charts_that_are_not_time_series():
    bars = pd.DataFrame({"panel": ["p"] * 2, "series": ["bars"] * 2, "kind": ["bar"] * 2,
                         "x": [98.0, 30.0], "y": ["Gallium", "Tin"]})
    assert hover_svg(bars) is None
