"""Figure captions and figure files: the caption is wrapped once, as matplotlib would wrap
it, and each figure is written as an opaque PNG and a deterministic SVG."""

import io

import matplotlib
import pytest

matplotlib.use("agg")

import matplotlib.pyplot as plt  # noqa: E402
from PIL import Image  # noqa: E402

from reelib.present.plots import CAPTION_FONTSIZE, add_caption, wrap_to_width  # noqa: E402
from reelib.present.report import configure_matplotlib, render_figure  # noqa: E402

CAPTION = ("Sources: USGS MCS 2019, 2021, 2025, 2026 and Minerals Yearbook 2022 (annual "
           "averages, Argus, FOB China; newest edition per year); MCS 2016 year-end ranges. "
           "Real prices in constant 2024 dollars (CPI-U, annual mean of the monthly index). "
           "Events: 1: Jul 2010 quota-cut-2010. 2: Mar 2012 wto-case-filed. 3: Aug 2014 "
           "wto-ruling. 4: May 2015 quotas-abolished.")


@pytest.fixture(autouse=True)
def house_style():
    configure_matplotlib()
    yield
    plt.close("all")


@pytest.mark.parametrize("width_in", [5.0, 6.0, 9.0, 10.0])
def test_caption_lines_fit_the_figure_and_break_about_where_matplotlib_would(width_in):
    fig = plt.figure(figsize=(width_in, 4), dpi=120)  # the resolution figures are drawn at
    renderer = fig.canvas.get_renderer()
    wrapped = wrap_to_width(CAPTION, width_in * 72 * 0.99)
    for line in wrapped.split("\n"):
        t = fig.text(0.01, 0.5, line, fontsize=CAPTION_FONTSIZE)
        assert t.get_window_extent(renderer).x1 <= fig.bbox.x1, line
    # reference: matplotlib's own wrap=True (which measures at every draw)
    text = fig.supxlabel(CAPTION, x=0.01, ha="left", va="bottom",
                         fontsize=CAPTION_FONTSIZE, wrap=True)
    fig.canvas.draw()
    reference = text._get_wrapped_text().count("\n")
    assert reference <= wrapped.count("\n") <= reference + 1


def test_wrapping_keeps_every_word_and_explicit_breaks():
    wrapped = wrap_to_width("first paragraph\n" + CAPTION, 300)
    assert wrapped.split("\n")[0] == "first paragraph"
    assert wrapped.replace("\n", " ").split() == ("first paragraph " + CAPTION).split()
    # a word longer than the width stays whole, on its own line
    assert wrap_to_width("a " + "x" * 80 + " b", 50).split("\n") == ["a", "x" * 80, "b"]


def test_a_figure_is_written_once_per_format_opaque_and_without_dates():
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.plot([2020, 2021, 2022], [1, 3, 2])
    add_caption(fig, CAPTION)
    png, svg = render_figure(fig)
    image = Image.open(io.BytesIO(png))
    assert image.mode == "RGB" and image.size == (720, 360)  # 6 x 3 in at 120 dpi
    assert b"<dc:date>" not in svg and b"wto-ruling" in svg  # caption kept as text
    # the caption's lines are drawn as wrapped, each inside the figure
    assert svg.count(b"Sources: USGS MCS 2019") == 1


def test_a_fixed_title_height_draws_what_automatic_placement_drew():
    """``axes.titley`` is fixed for speed; on the house charts (here the twin-axes monthly
    chart with events) the pixels are those of matplotlib's automatic placement."""
    import pandas as pd

    from reelib.present.price_plots import plot_monthly

    months = pd.date_range("2019-01-01", periods=60, freq="MS")
    monthly = {"China domestic (CNY)": pd.DataFrame(
                   {"month": months, "price": range(300, 360), "currency": "CNY"}),
               "KOMIS FOB China (USD)": pd.DataFrame(
                   {"month": months, "price": range(40, 100), "currency": "USD"})}
    events = pd.DataFrame({"number": [1], "date": [pd.Timestamp("2021-06-01")],
                           "category": ["policy"], "event_id": ["an-event"]})

    def png(titley):
        with plt.rc_context({"axes.titley": titley}):
            return render_figure(plot_monthly(monthly, events, title="Nd oxide, monthly",
                                              caption=CAPTION))[0]

    assert png(1.0) == png(None)


def test_a_figure_is_drawn_exactly_twice_once_per_format(monkeypatch):
    from matplotlib.figure import Figure

    draws = []
    draw = Figure.draw

    def counted(self, renderer):
        draws.append(type(renderer).__name__)
        return draw(self, renderer)

    monkeypatch.setattr(Figure, "draw", counted)
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.plot([2020, 2021, 2022], [1, 3, 2])
    ax.set_title("a title")
    add_caption(fig, CAPTION)
    render_figure(fig)
    # no measuring pass, no dry run before the SVG: one raster draw, one vector draw
    assert draws == ["RendererAgg", "MixedModeRenderer"]
