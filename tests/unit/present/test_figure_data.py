"""reelib.present.figure_data: the data a figure draws, read back from it."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from reelib.present.figure_data import figure_data  # noqa: E402


def test_lines_points_and_named_bars_are_read_back():
    fig, (a, b) = plt.subplots(1, 2)
    a.plot([2020, 2021], [1.0, 2.0], label="China")
    a.axvline(2020.5)  # a seam: no data
    a.scatter([2020], [3.0], label="other edition")
    a.set_title("shares")
    b.barh(["Tin", "Gallium"], [30.0, 98.0])
    b.set_title("ranked")
    fig.canvas.draw()
    d = figure_data(fig)
    assert d[d["series"] == "China"][["x", "y"]].values.tolist() == [[2020, 1.0], [2021, 2.0]]
    assert d[d["series"] == "other edition"]["y"].tolist() == [3.0]
    bars = d[d["panel"] == "ranked"].set_index("y")["x"]
    assert bars.to_dict() == {"Tin": 30.0, "Gallium": 98.0}
    plt.close(fig)


def test_stacked_vertical_bars_stay_vertical():
    fig, ax = plt.subplots()
    ax.bar(["2024", "2025"], [40.0, 45.0], label="China")
    ax.bar(["2024", "2025"], [20.0, 25.5], bottom=[40.0, 45.0], label="others")
    fig.canvas.draw()
    d = figure_data(fig)
    others = d[d["series"] == "others"].set_index("x")["y"]
    assert others.to_dict() == {"2024": 60.0, "2025": 70.5}  # top of each stacked bar
    plt.close(fig)


def test_stacked_areas_give_each_layer_its_top_and_thickness():
    fig, ax = plt.subplots()
    ax.stackplot([2020, 2021], [10.0, 20.0], [5.0, 5.0], labels=["China", "Other"])
    fig.canvas.draw()
    d = figure_data(fig)
    other = d[d["series"] == "Other"].set_index("x")
    assert other["y"].to_dict() == {2020.0: 15.0, 2021.0: 25.0}
    assert other["value"].to_dict() == {2020.0: 5.0, 2021.0: 5.0}
    plt.close(fig)
