"""Charts for the reports. Each function takes a tidy frame and returns a Figure.

One palette for countries across every report (China always the same red), source and
edition named in every caption, log scales where series span orders of magnitude.
"""

from __future__ import annotations

import functools
import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator, NullFormatter, PercentFormatter

from reelib.analysis.concentration import HHI_HIGHLY_CONCENTRATED
from reelib.present.claims import plotted_evidence

COUNTRY_COLORS = {
    "CHN": "#c8102e", "USA": "#1f4e9c", "AUS": "#e69f00", "MMR": "#009e73", "IND": "#cc79a7",
    "RUS": "#56b4e9", "THA": "#8c6d31", "MYS": "#7f7f7f", "VNM": "#d55e00", "BRA": "#2ca02c",
    "NGA": "#9467bd", "MDG": "#17becf", "LAO": "#bcbd22", "JPN": "#e377c2", "EST": "#8c564b",
    "FRA": "#393b79", "DEU": "#637939", "KOR": "#843c39", "XOT": "#bdbdbd", "WLD": "#000000",
}
KIND_COLORS = {"revision": "#1f77b4", "basis_change": "#d62728",
               "estimate_to_reported": "#2ca02c", "now_available": "#9467bd",
               "no_longer_available": "#7f7f7f", "unchanged": "#bdbdbd"}
_FALLBACK = plt.get_cmap("tab20").colors


def country_color(iso3: str, i: int = 0) -> str:
    """Return the house colour of a country (a fallback from tab20 otherwise)."""
    return COUNTRY_COLORS.get(iso3, _FALLBACK[i % len(_FALLBACK)])


def _thousands(ax, axis: str = "y") -> None:
    fmt = FuncFormatter(lambda v, _: f"{v:,.0f}")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)
    (ax.yaxis if axis == "y" else ax.xaxis).set_minor_formatter(NullFormatter())


def _year_axis(ax) -> None:
    """Whole years on the x axis (never 2021.5)."""
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0f}"))


#: a series spanning more than this ratio (max / min) is drawn on a log scale
LOG_SCALE_RATIO = 20.0


CAPTION_FONTSIZE = 9.5
CAPTION_X = 0.01  # left edge of the caption, as a fraction of the figure's width


@functools.lru_cache(maxsize=4096)
def _word_width_pt(word: str, fontsize: float) -> float:
    """Advance width of ``word`` in points, in the font the caption is drawn in."""
    from matplotlib.font_manager import FontProperties, findfont, get_font

    font = get_font(findfont(FontProperties(size=fontsize, weight="normal")))
    font.set_size(fontsize, 72)  # at 72 dpi one pixel is one point
    font.set_text(word, 0.0)
    return font.get_width_height()[0] / 64  # FreeType reports 1/64 pixel


def wrap_to_width(text: str, width_pt: float, fontsize: float = CAPTION_FONTSIZE) -> str:
    """Break ``text`` into lines no wider than ``width_pt`` points (greedy, by words).

    Matplotlib's own ``wrap=True`` does the same at every draw, measuring each candidate
    line whole, longest first: O(words²) font layouts per caption per draw, which was a
    fifth of the build. Here each distinct word is measured once and the widths summed
    (kerning across a space is nil in the house font). Words are measured at 72 dpi with
    FreeType's default hinting, figures drawn at 120 dpi unhinted, so a drawn line can
    be a little wider than that sum: lines are filled to 98% of ``width_pt``. Explicit
    line breaks are kept.
    """
    width_pt *= 0.98
    space = _word_width_pt(" ", fontsize)
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, width = [], 0.0
        for word in paragraph.split(" "):
            w = _word_width_pt(word, fontsize)
            if line and width + space + w > width_pt:
                lines.append(" ".join(line))
                line, width = [], 0.0
            width = width + (space if line else 0.0) + w
            line.append(word)
        lines.append(" ".join(line))
    return "\n".join(lines)


def legend_below(ax, handles=None, labels=None, ncol: int = 2) -> None:
    """A legend under the axes, where it cannot hide a line."""
    args = (handles, labels) if handles is not None else ()
    ax.legend(*args, fontsize=8.5, loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=ncol,
              frameon=False)


def add_caption(fig: Figure, text: str) -> None:
    """Write a source caption under the figure (left-aligned, wrapped to its width)."""
    # the figure's x label: the layout engine makes room for it inside the figure, so
    # the figure is saved as drawn, without a measuring pass (reelib.present.report)
    width_pt = fig.get_figwidth() * 72 * (1 - CAPTION_X)
    fig.supxlabel(wrap_to_width(text, width_pt), x=CAPTION_X, ha="left", va="bottom",
                  fontsize=CAPTION_FONTSIZE, color="#32383f", linespacing=1.35,
                  fontweight="normal")


def plot_coverage_grid(grid: pd.DataFrame, *, caption: str) -> Figure:
    """Heatmap: how many editions report each country-year."""
    import seaborn as sns

    fig, ax = plt.subplots(figsize=(9, 0.32 * len(grid) + 1.4))
    sns.heatmap(grid, annot=True, fmt="d", cmap="Blues", cbar=False, linewidths=0.5, ax=ax,
                vmin=0, vmax=max(3, int(grid.to_numpy().max())))
    ax.set(xlabel="", ylabel="", title="How many USGS editions report each country-year")
    add_caption(fig, caption)
    return fig


def plot_revisions(summary: pd.DataFrame, *, title: str, caption: str,
                   log: bool = True) -> Figure:
    """Dumbbell chart: old value -> new value per country-year, coloured by change kind."""
    df = summary.dropna(subset=["value_old", "value_new"]).copy()
    year = df["year"] if "year" in df else df["reserves_year_new"]  # reserves: the new year
    df["label"] = df["country"] + " " + year.astype(str) + "  (" + df["edition_old"] + \
        " → " + df["edition_new"] + ")"
    df = df.iloc[::-1]
    fig, ax = plt.subplots(figsize=(9, 0.34 * len(df) + 1.5))
    y = np.arange(len(df))
    for i, r in enumerate(df.itertuples()):
        color = KIND_COLORS.get(r.change_kind, "#333333")
        ax.plot([r.value_old, r.value_new], [i, i], color=color, lw=2, alpha=0.8)
        ax.scatter([r.value_old], [i], color="white", edgecolor=color, zorder=3, s=36)
        ax.scatter([r.value_new], [i], color=color, zorder=3, s=36)
    ax.set_yticks(y, df["label"], fontsize=8)
    if log:
        ax.set_xscale("log")
    _thousands(ax, "x")
    handles = [plt.Line2D([], [], color=c, lw=3, label=k.replace("_", " "))
               for k, c in KIND_COLORS.items() if k in set(df["change_kind"])]
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=len(handles),
              fontsize=8, frameon=False)
    ax.set_title(title, pad=22)
    ax.set(xlabel="metric tons (open circle: older edition, dot: newer)")
    add_caption(fig, caption)
    return fig


def plot_stitched_series(series: pd.DataFrame, overlaps: pd.DataFrame, *, title: str,
                         caption: str, ylabel: str = "t REO") -> Figure:
    """A long series coloured by the edition each year comes from, seams marked, and the
    other editions' values where they overlap."""
    fig, ax = plt.subplots(figsize=(10, 4.8))
    editions = list(dict.fromkeys(series["edition"]))
    palette = dict(zip(editions, plt.get_cmap("Dark2").colors))
    ax.plot(series["year"], series["production_t"], color="#444444", lw=1, zorder=1)
    for ed, g in series.groupby("edition", sort=False):
        ax.scatter(g["year"], g["production_t"], s=12, color=palette[ed], label=ed, zorder=2)
    for y in series.loc[series["is_seam"], "year"]:
        ax.axvline(y - 0.5, color="#999999", ls=":", lw=1)
    other = overlaps.merge(series[["year", "edition"]], on=["year", "edition"], how="left",
                           indicator=True)
    other = other[other["_merge"] == "left_only"]
    if len(other):
        ax.scatter(other["year"], other["production_t"], marker="x", color="#555555", s=30,
                   label="other editions (same year)", zorder=3)
    positive = series.loc[series["production_t"] > 0, "production_t"].astype(float)
    if len(positive) and positive.max() / positive.min() > LOG_SCALE_RATIO:
        ax.set_yscale("log")  # a century of growth: equal ratios at equal heights
        ylabel = f"{ylabel} (log scale)"
    _thousands(ax)
    _year_axis(ax)
    ax.set(title=title, xlabel="", ylabel=ylabel)
    ax.legend(fontsize=8, loc="upper left")
    add_caption(fig, caption)
    return fig


def plot_share_lines(frames: dict[str, pd.DataFrame], *, title: str, caption: str,
                     colors: dict[str, str] | None = None,
                     ylabel: str = "share of world production") -> Figure:
    """Shares over time: {label: frame with year, share_pct (and optionally country_iso3,
    which picks the country's house colour)}."""
    fig, ax = plt.subplots(figsize=(10, 4.4))
    for i, (label, df) in enumerate(frames.items()):
        # Missing years stay gaps: never draw a line across years the sources do not cover.
        years = range(int(df["year"].min()), int(df["year"].max()) + 1)
        df = df.set_index("year").reindex(years).rename_axis("year").reset_index()
        iso = df["country_iso3"].dropna().iloc[0] if "country_iso3" in df and \
            df["country_iso3"].notna().any() else None
        color = (colors or {}).get(label) or (country_color(iso, i) if iso else
                                              _FALLBACK[i % len(_FALLBACK)])
        ax.plot(df["year"], df["share_pct"].astype(float), lw=1.8, label=label, color=color)
    ax.yaxis.set_major_formatter(PercentFormatter(decimals=0))
    ax.set_ylim(0, 100)
    _year_axis(ax)
    ax.set(title=title, xlabel="", ylabel=ylabel)
    ax.legend(fontsize=9)
    add_caption(fig, caption)
    return fig


def _top_groups(df: pd.DataFrame, code: str, name: str, amount: str, entity: str,
                top_n: int) -> tuple[pd.DataFrame, pd.Series]:
    """Year x group table of shares: the ``top_n`` largest countries, the rest as 'XOT'.

    Returns (wide shares, code -> display name).
    """
    top = (df[df[entity] == "country"].groupby(code)[amount].sum()
           .sort_values(ascending=False).head(top_n).index.tolist())
    names = df.drop_duplicates(code).set_index(code)[name]
    grouped = df.assign(group=df[code].where(df[code].isin(top), "XOT"))
    wide = grouped.groupby(["year", "group"])["share_pct"].sum().unstack(fill_value=0)
    cols = [g for g in top if g in wide.columns] + (["XOT"] if "XOT" in wide else [])
    return wide.loc[:, cols], names


def plot_shares_stacked(shares: pd.DataFrame, *, title: str, caption: str,
                        top_n: int = 6) -> Figure:
    """Stacked bars of country shares per year; smaller producers grouped."""
    wide, names = _top_groups(shares[shares["entity"] != "world"], "country_iso3", "country",
                              "value", "entity", top_n)
    fig, ax = plt.subplots(figsize=(10, 4.8))
    bottom = np.zeros(len(wide))
    for i, g in enumerate(wide.columns):
        label = "all others" if g == "XOT" else names.get(g, g)
        ax.bar(wide.index.astype(str), wide[g], bottom=bottom, color=country_color(g, i),
               label=label, width=0.7)
        bottom += wide[g].to_numpy()
    ax.yaxis.set_major_formatter(PercentFormatter(decimals=0))
    ax.set(title=title, xlabel="", ylabel="share of world total")
    ax.legend(fontsize=8, bbox_to_anchor=(1.01, 1), loc="upper left")
    add_caption(fig, caption)
    return fig


def plot_concentration(conc: pd.DataFrame, *, title: str, caption: str) -> Figure:
    """CR1 and CR3 (left) and the HHI band with its bounds (right)."""
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(11, 4.2))
    a1.plot(conc["year"], conc["cr1_pct"], marker="o", label="CR1 (largest producer)",
            color=COUNTRY_COLORS["CHN"])
    a1.plot(conc["year"], conc["cr3_pct"], marker="s", label="CR3 (three largest)",
            color="#444444")
    a1.yaxis.set_major_formatter(PercentFormatter(decimals=0))
    a1.set(ylim=(0, 105), title="Top-1 and top-3 shares", xlabel="")
    a1.legend(fontsize=8)
    a2.fill_between(conc["year"], conc["hhi_lower"], conc["hhi_upper"], color="#c8102e",
                    alpha=0.3, label="HHI bounds")
    a2.plot(conc["year"], conc["hhi_lower"], color="#c8102e", lw=1)
    a2.plot(conc["year"], conc["hhi_upper"], color="#c8102e", lw=1, ls="--")
    a2.axhline(HHI_HIGHLY_CONCENTRATED, color="#555555", ls=":", lw=1)
    a2.text(conc["year"].min(), HHI_HIGHLY_CONCENTRATED + 50,
            f"highly concentrated above {HHI_HIGHLY_CONCENTRATED:,}", fontsize=8,
            color="#555555")
    a2.set(ylim=(0, 10_000), title="Herfindahl-Hirschman index (0-10,000)", xlabel="")
    _thousands(a2)
    fig.suptitle(title, x=0.01, ha="left", fontweight="bold")
    add_caption(fig, caption)
    return fig


def plot_reserves_by_edition(wide: pd.DataFrame, *, title: str, caption: str) -> Figure:
    """Horizontal grouped bars: each country's reserves in each edition (log scale)."""
    df = wide.drop(index=[i for i in ("World", "Other countries") if i in wide.index])
    df = df.loc[df.max(axis=1).sort_values().index]
    fig, ax = plt.subplots(figsize=(10, 0.42 * len(df) + 1.5))
    n = len(df.columns)
    h = 0.8 / n
    for j, ed in enumerate(df.columns):
        ax.barh(np.arange(len(df)) + (j - (n - 1) / 2) * h, df[ed].astype(float), height=h,
                label=ed, color=plt.get_cmap("Blues")(0.4 + 0.5 * j / max(1, n - 1)))
    ax.set_yticks(np.arange(len(df)), df.index)
    ax.set_xscale("log")
    _thousands(ax, "x")
    ax.set(title=title, xlabel="reserves, t REO (log scale; no bar = not available)")
    ax.legend(fontsize=8)
    add_caption(fig, caption)
    return fig


def plot_reserves_vs_production(df: pd.DataFrame, *, title: str, caption: str) -> Figure:
    """Paired bars: share of world reserves vs share of world mine production."""
    d = df.dropna(subset=["reserves_share_pct", "production_share_pct"], how="all").copy()
    d = d.fillna({"reserves_share_pct": 0, "production_share_pct": 0})
    d = d.sort_values("reserves_share_pct")
    fig, ax = plt.subplots(figsize=(10, 0.42 * len(d) + 1.5))
    y = np.arange(len(d))
    ax.barh(y + 0.2, d["reserves_share_pct"], height=0.4, label="share of reserves",
            color="#6baed6")
    ax.barh(y - 0.2, d["production_share_pct"], height=0.4, label="share of mine production",
            color="#c8102e")
    ax.set_yticks(y, d["country"])
    ax.xaxis.set_major_formatter(PercentFormatter(decimals=0))
    ax.set(title=title, xlabel="")
    ax.legend(fontsize=8, loc="lower right")
    add_caption(fig, caption)
    return fig


def plot_stage_shares(stage_shares: pd.DataFrame, *, title: str, caption: str) -> Figure:
    """Stacked horizontal bars: country shares of each stage in each year."""
    d = stage_shares.copy()
    d["row"] = d["stage"] + " " + d["year"].astype(str)
    order = list(dict.fromkeys(d.sort_values(["stage", "year"], ascending=[False, False])["row"]))
    wide = d.pivot_table(index="row", columns="country_iso3", values="share_pct",
                         aggfunc="sum").reindex(order).fillna(0)
    names = d.drop_duplicates("country_iso3").set_index("country_iso3")["country"]
    cols = sorted(wide.columns, key=lambda c: (c == "XOT", -wide[c].sum()))
    fig, ax = plt.subplots(figsize=(10, 0.45 * len(wide) + 1.6))
    left = np.zeros(len(wide))
    for i, c in enumerate(cols):
        ax.barh(wide.index, wide[c], left=left, color=country_color(c, i),
                label=names.get(c, c), height=0.7)
        left += wide[c].to_numpy()
    ax.xaxis.set_major_formatter(PercentFormatter(decimals=0))
    ax.set(title=title, xlabel="")
    ax.legend(fontsize=8, bbox_to_anchor=(1.01, 1), loc="upper left")
    add_caption(fig, caption)
    return fig


def plot_partner_shares(shares: pd.DataFrame, *, title: str, caption: str,
                        top_n: int = 6) -> Figure:
    """Stacked areas: partners' shares of trade per year, smaller partners grouped."""
    wide, names = _top_groups(shares, "partner_iso3", "partner", "amount", "partner_entity",
                              top_n)
    fig, ax = plt.subplots(figsize=(10, 4.6))
    ax.stackplot(wide.index, *[wide[c] for c in wide.columns],
                 labels=["all others" if c == "XOT" else names.get(c, c) for c in wide.columns],
                 colors=[country_color(c, i) for i, c in enumerate(wide.columns)], alpha=0.9)
    ax.yaxis.set_major_formatter(PercentFormatter(decimals=0))
    ax.set(title=title, xlabel="", ylabel="share", ylim=(0, 100))
    ax.legend(fontsize=8, bbox_to_anchor=(1.01, 1), loc="upper left")
    add_caption(fig, caption)
    return fig


def plot_amounts(frames: dict[str, pd.DataFrame], column: str, *, title: str, caption: str,
                 ylabel: str, log: bool = False) -> Figure:
    """Lines of an amount per year: {label: frame with year and ``column``}."""
    fig, ax = plt.subplots(figsize=(10, 4.2))
    for i, (label, df) in enumerate(frames.items()):
        ax.plot(df["year"], df[column], marker="o", ms=3, lw=1.6, label=label,
                color=_FALLBACK[(2 * i) % len(_FALLBACK)])
    if log:
        ax.set_yscale("log")
    _thousands(ax)
    ax.set(title=title, xlabel="", ylabel=ylabel)
    ax.legend(fontsize=8)
    add_caption(fig, caption)
    return fig


VERDICT_COLORS = {"supported": "#2ca02c", "partly supported": "#e69f00",
                  "not supported (proxy)": "#56b4e9", "contradicted": "#c8102e",
                  "not comparable": "#7f7f7f",
                  "not testable": "#bdbdbd"}


def plot_claims(evidence: pd.DataFrame, *, title: str, caption: str) -> Figure:
    """Claimed value (open diamond) against each measurement (dots), for % claims."""
    d = plotted_evidence(evidence)
    labels = list(dict.fromkeys(d["claim_id"]))
    fig, ax = plt.subplots(figsize=(10, 0.75 * len(labels) + 1.6))
    for i, cid in enumerate(labels[::-1]):
        g = d[d["claim_id"] == cid]
        ax.scatter([g["claimed"].iloc[0]], [i], marker="D", facecolors="white",
                   edgecolors="#333333", s=60, zorder=3)
        for j, r in enumerate(g.itertuples()):
            ax.scatter([r.value], [i + 0.12 * (j - (len(g) - 1) / 2)], s=30, zorder=4,
                       color=VERDICT_COLORS.get(r.verdict, "#333333"))
            ax.plot([r.claimed, r.value], [i, i + 0.12 * (j - (len(g) - 1) / 2)],
                    color="#bbbbbb", lw=1, zorder=2)
    names = d.drop_duplicates("claim_id").set_index("claim_id")["claim"]
    # the whole claim, wrapped: a label cut mid-sentence can change what it says
    wrapped = {c: textwrap.fill(f"{c}: {names[c]}", 58) for c in labels}
    ax.set_yticks(range(len(labels)), [wrapped[c] for c in labels[::-1]], fontsize=8.5)
    handles = [plt.Line2D([], [], marker="D", ls="", markerfacecolor="white",
                          markeredgecolor="#333333", label="claimed")] + [
        plt.Line2D([], [], marker="o", ls="", color=c, label=f"measured ({v})")
        for v, c in VERDICT_COLORS.items() if v in set(d["verdict"])]
    ax.legend(handles=handles, fontsize=8, loc="lower left", bbox_to_anchor=(0, 1.0),
              ncol=4, frameon=False)
    ax.xaxis.set_major_formatter(PercentFormatter(decimals=0))
    ax.set_title(title, pad=24)
    add_caption(fig, caption)
    return fig


def plot_stage_bars(stages: pd.DataFrame, *, title: str, caption: str) -> Figure:
    """Horizontal bars of China's share at each stage (value labels on the bars).

    Rows whose ``source`` names a secondary compilation are drawn hatched and pale: a cited
    figure, not one the project measured.
    """
    d = stages.iloc[::-1]
    fig, ax = plt.subplots(figsize=(10, 0.55 * len(d) + 1.4))
    cited = (d["source"].astype("string").str.contains("secondary", case=False).fillna(False)
             .to_numpy(dtype=bool) if "source" in d.columns else [False] * len(d))
    bars = ax.barh(d["stage"], d["share_pct"], color=COUNTRY_COLORS["CHN"], height=0.6)
    for bar, is_cited in zip(bars, cited):
        if is_cited:
            bar.set_alpha(0.45)
            bar.set_hatch("//")
    for bar, v in zip(bars, d["share_pct"]):
        ax.text(bar.get_width() + 1, bar.get_y() + bar.get_height() / 2, f"{v:.0f}%",
                va="center", fontsize=9)
    ax.set_xlim(0, 105)
    ax.xaxis.set_major_formatter(PercentFormatter(decimals=0))
    ax.set(title=title, xlabel="")
    add_caption(fig, caption)
    return fig


def plot_long_china_share(long_share: pd.DataFrame, compared: pd.DataFrame, *, title: str,
                          caption: str) -> Figure:
    """China's share by year: USGS primary editions (solid), the secondary compilation of
    USGS values (dashed), BGS (dotted), and the seams where the USGS series changes source."""
    fig, ax = plt.subplots(figsize=(10, 4.6))
    red = COUNTRY_COLORS["CHN"]
    for basis, style, label in (("secondary", "--", "USGS, newest MCS value per year "
                                 "(secondary compilation)"),
                                ("primary", "-", "USGS primary editions (Minerals Yearbook, "
                                 "MCS)")):
        d = long_share[long_share["basis"] == basis]
        if len(d):
            ax.plot(d["year"].astype(int), d["china_share_pct"].astype(float), ls=style,
                    color=red, marker="o", ms=3.5, lw=1.8, label=label)
    if len(compared):
        ax.plot(compared["year"].astype(int), compared["bgs_share_pct"].astype(float),
                ls=":", color="#1f4e9c", marker="s", ms=3, lw=1.6,
                label="BGS World Mineral Statistics (secondary compilation)")
    if "usgs_printed_quota" in long_share:
        q = long_share[long_share["usgs_printed_quota"]]
        if len(q):
            ax.scatter(q["year"].astype(int), q["china_share_pct"].astype(float), s=70,
                       facecolors="none", edgecolors="#333333", lw=1.1, zorder=4,
                       label="USGS printed China's production quota (output beyond it left out)")
    for year in long_share.loc[long_share["is_seam"], "year"]:
        ax.axvline(int(year) - 0.5, color="#8c959f", ls=":", lw=1)
    ax.yaxis.set_major_formatter(PercentFormatter(decimals=0))
    ax.set(title=title, ylabel="China's share of world production", xlabel="",
           ylim=(0, 105))
    legend_below(ax)
    add_caption(fig, caption)
    return fig


def plot_atlas_ranked(atlas: pd.DataFrame, *, title: str, caption: str,
                      top: int = 40) -> Figure:
    """China's share of world production, commodities ranked; export-controlled ones
    drawn solid red, the others pale; the top producer named where it is not China."""
    d = atlas.dropna(subset=["china_share_pct"]).head(top).iloc[::-1]
    labels = [f"{c} ({m.lower()})" if (atlas["commodity"] == c).sum() > 1 else c
              for c, m in zip(d["commodity"], d["measure"])]
    fig, ax = plt.subplots(figsize=(10, 0.26 * len(d) + 1.6))
    controlled = d["export_controlled"].to_numpy(dtype=bool)
    colors = [COUNTRY_COLORS["CHN"] if c else "#e8a0a8" for c in controlled]
    bars = ax.barh(labels, d["china_share_pct"].astype(float), color=colors, height=0.7)
    for bar, v, who in zip(bars, d["china_share_pct"].astype(float), d["top_country"]):
        note = f"{v:.0f}%" + ("" if who == "China" else f"  (largest: {who})")
        ax.text(bar.get_width() + 1, bar.get_y() + bar.get_height() / 2, note, va="center",
                fontsize=7.5)
    ax.set_xlim(0, 125)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.xaxis.set_major_formatter(PercentFormatter(decimals=0))
    ax.tick_params(axis="y", labelsize=8)
    handles = [plt.Rectangle((0, 0), 1, 1, color=COUNTRY_COLORS["CHN"],
                             label="Chinese export control in force, end of data year"),
               plt.Rectangle((0, 0), 1, 1, color="#e8a0a8", label="none in force then")]
    ax.legend(handles=handles, fontsize=8.5, loc="lower right", frameon=True)
    ax.set(title=title, xlabel="China's share of world production")
    add_caption(fig, caption)
    return fig


def plot_atlas_scatter(atlas: pd.DataFrame, *, title: str, caption: str) -> Figure:
    """Concentration (HHI, midpoint of its bounds; the bar spans them) against U.S. net
    import reliance, one point per commodity; export-controlled ones in red and named."""
    d = atlas.dropna(subset=["us_import_reliance_pct"]).copy()
    d["hhi_mid"] = (d["hhi_lower"].astype(float) + d["hhi_upper"].astype(float)) / 2
    fig, ax = plt.subplots(figsize=(10, 5.6))
    # a printed bound is drawn at the bound, pointing where the true value lies
    shape = d["us_import_reliance_qualifier"].map(
        {"lower_bound": ">", "upper_bound": "<", "less_than_half": "<"}).fillna("o")
    for controlled, color, label in ((False, "#8c959f", "no export control in force"),
                                     (True, COUNTRY_COLORS["CHN"],
                                      "Chinese export control in force")):
        for marker in ("o", ">", "<"):
            g = d[(d["export_controlled"] == controlled) & (shape == marker)]
            if g.empty:
                continue
            ax.errorbar(g["us_import_reliance_pct"].astype(float), g["hhi_mid"],
                        yerr=[g["hhi_mid"] - g["hhi_lower"].astype(float),
                              g["hhi_upper"].astype(float) - g["hhi_mid"]],
                        fmt=marker, ms=6 if marker == "o" else 8, color=color, ecolor=color,
                        alpha=0.85, label=label if marker == "o" else None)
        if controlled:
            for r in d[d["export_controlled"] == controlled].itertuples():
                ax.annotate(r.commodity, (float(r.us_import_reliance_pct), r.hhi_mid),
                            xytext=(4, 3), textcoords="offset points", fontsize=8, color=color)
    ax.plot([], [], ">", color="#555555", label="reliance printed as a lower bound ('>75')")
    ax.plot([], [], "<", color="#555555", label="reliance printed as an upper bound ('<25')")
    ax.axhline(HHI_HIGHLY_CONCENTRATED, color="#999999", ls=":", lw=1)
    ax.text(1, HHI_HIGHLY_CONCENTRATED + 120,
            f"highly concentrated above {HHI_HIGHLY_CONCENTRATED:,}", fontsize=7.5,
            color="#666666")
    ax.set(title=title, xlabel="U.S. net import reliance (% of apparent consumption)",
           ylabel="HHI of world production (0-10,000)", xlim=(-5, 105), ylim=(0, 10_400))
    _thousands(ax)
    ax.xaxis.set_major_formatter(PercentFormatter(decimals=0))
    ax.legend(fontsize=8.5, loc="upper left")
    add_caption(fig, caption)
    return fig


def plot_stage_risk(stages: pd.DataFrame, *, title: str, caption: str) -> Figure:
    """Per commodity-measure, the governance-weighted HHI at the mine stage (circle) and the
    export stage (square) on 0-10, joined by a line; an interval (unscored shares) is drawn
    as a bar around the marker. ``stages``: ``supply_risk.stage_comparison`` rows with both
    stages."""
    d = stages.dropna(subset=["mine_hhi_wgi_low", "export_hhi_wgi_low"]).iloc[::-1]
    labels = [f"{c} ({m.lower()})" if m.lower() not in ("mine production",) else c
              for c, m in zip(d["commodity"], d["measure"])]
    y = np.arange(len(d))
    fig, ax = plt.subplots(figsize=(10, 0.32 * len(d) + 1.8))
    for stage, marker, color in (("mine", "o", "#6b6b6b"), ("export", "s", COUNTRY_COLORS["CHN"])):
        low = d[f"{stage}_hhi_wgi_low"].to_numpy(dtype=float)
        high = d[f"{stage}_hhi_wgi_high"].to_numpy(dtype=float)
        ax.hlines(y, low, high, color=color, lw=3, alpha=0.5)
        ax.plot(low, y, marker, color=color, label=f"{stage} stage", ms=5)
    ax.hlines(y, d["mine_hhi_wgi_low"].to_numpy(dtype=float),
              d["export_hhi_wgi_low"].to_numpy(dtype=float), color="#bbbbbb", lw=0.8, zorder=0)
    ax.set_yticks(y, [label if len(label) <= 60 else label[:58] + '…' for label in labels],
                  fontsize=8)
    ax.set_xlim(0, max(6.0, float(np.nanmax(d[["mine_hhi_wgi_high",
                                                 "export_hhi_wgi_high"]].to_numpy(float))) + 0.5))
    ax.set(title=title, xlabel="governance-weighted HHI (0-10, higher = riskier)")
    legend_below(ax)
    add_caption(fig, caption)
    return fig
