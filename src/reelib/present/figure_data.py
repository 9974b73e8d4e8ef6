"""The data a figure draws, read back from the figure itself: every figure ships a CSV of
exactly what is on it (``rep.figure`` writes ``figures/<slug>.csv`` beside the SVG).

Lines, scatter points and bars are read from each axes; a bar's or point's position on a
categorical axis is named by its tick label. Reading the drawn artists, not the frame a
notebook passed, means the CSV cannot disagree with the picture.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.collections import PolyCollection, QuadMesh


def _ticks(axis) -> dict[float, str]:
    labels = {}
    for loc, lab in zip(axis.get_ticklocs(), axis.get_ticklabels()):
        text = lab.get_text()
        if text:
            labels[round(float(loc), 6)] = text
    return labels


def _name(value: object, ticks: dict[float, str], categorical: bool) -> object:
    """A position on a categorical axis as its tick label; anything else (numbers,
    dates) as drawn."""
    if not categorical:
        return value
    try:
        return ticks.get(round(float(value), 6), value)
    except (TypeError, ValueError):
        return value


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", "").replace("%", "").replace("\u2212", "-"))
    except ValueError:
        return None


def _is_categorical(axis) -> bool:
    """True when the tick labels name positions rather than print them: words, or numbers
    that differ from where they stand (pandas' bar charts put '2024' at 0)."""
    pairs = [(float(loc), lab.get_text()) for loc, lab in
             zip(axis.get_ticklocs(), axis.get_ticklabels()) if lab.get_text()]
    if not pairs:
        return False
    for loc, text in pairs:
        value = _number(text)
        if value is None or (abs(value - loc) > 1e-9 and "%" not in text
                             and abs(value * 100 - loc) > 1e-9 and abs(value / 100 - loc) > 1e-9):
            return True
    return False


def figure_data(fig) -> pd.DataFrame:
    """One row per drawn point: panel (axes title), series (legend label), kind, x, y."""
    rows: list[dict] = []
    suptitle = fig._suptitle.get_text() if fig._suptitle is not None else ""
    for i, ax in enumerate(fig.axes):
        title = next((t for loc in ("center", "left", "right")
                      if (t := ax.get_title(loc=loc))), "")  # reelib's theme titles left
        panel = title or (suptitle if len(fig.axes) == 1 else "") or f"panel {i + 1}"
        xt, yt = _ticks(ax.xaxis), _ticks(ax.yaxis)
        xcat, ycat = _is_categorical(ax.xaxis), _is_categorical(ax.yaxis)

        def add(series: str, kind: str, xs, ys) -> None:
            for x, y in zip(np.asarray(xs, dtype=object), np.asarray(ys, dtype=object)):
                try:
                    if y is None or (isinstance(y, float) and np.isnan(y)):
                        continue
                except TypeError:
                    pass
                rows.append({"panel": panel, "series": series, "kind": kind,
                             "x": _name(x, xt, xcat), "y": _name(y, yt, ycat)})

        for n, line in enumerate(ax.get_lines()):
            if line.get_transform() != ax.transData or len(np.atleast_1d(
                    line.get_xdata())) < 1:
                continue  # axhline/axvline: reference lines in axes units, not data
            label = line.get_label()
            add(label if not label.startswith("_") else f"line {n + 1}", "line",
                line.get_xdata(), line.get_ydata())
        for coll in ax.collections:
            label = coll.get_label()
            label = "points" if label.startswith("_") else label
            if isinstance(coll, QuadMesh):  # pcolormesh / seaborn heat map
                coords = coll.get_coordinates()  # (rows + 1, cols + 1, 2) cell corners
                values = np.asarray(coll.get_array()).reshape(coords.shape[0] - 1,
                                                              coords.shape[1] - 1)
                for r in range(values.shape[0]):
                    for c in range(values.shape[1]):
                        xc = float(coords[r, c:c + 2, 0].mean())
                        yc = float(coords[r:r + 2, c, 1].mean())
                        rows.append({"panel": panel, "series": "cell", "kind": "cell",
                                     "x": _name(xc, xt, xcat), "y": _name(yc, yt, ycat),
                                     "value": values[r, c]})
                continue
            if isinstance(coll, PolyCollection) and not coll.get_label().startswith("_"):
                # a stacked or filled area: per x, its top edge and its own thickness
                verts = np.concatenate([p.vertices for p in coll.get_paths()]) \
                    if coll.get_paths() else np.empty((0, 2))
                if len(verts):
                    area = pd.DataFrame(verts, columns=["x", "y"]).groupby("x")["y"].agg(
                        ["min", "max"])
                    for x, r in area.iterrows():
                        rows.append({"panel": panel, "series": label, "kind": "area",
                                     "x": _name(x, xt, xcat), "y": r["max"],
                                     "value": r["max"] - r["min"]})
                continue
            if hasattr(coll, "get_segments") and coll.get_segments():  # hlines, vlines
                for seg in coll.get_segments():
                    seg = np.asarray(seg)
                    if len(seg):
                        add(label, "segment", seg[:, 0], seg[:, 1])
                continue
            if coll.get_offset_transform() != ax.transData:
                continue
            offsets = np.asarray(coll.get_offsets())
            if offsets.ndim == 2 and len(offsets):
                add(label, "point", offsets[:, 0], offsets[:, 1])
        for image in ax.images:  # a heat map: one row per cell, named by its ticks
            grid = np.asarray(image.get_array())
            if grid.ndim != 2:
                continue
            for r in range(grid.shape[0]):
                for c in range(grid.shape[1]):
                    rows.append({"panel": panel, "series": "cell", "kind": "cell",
                                 "x": xt.get(float(c), c), "y": yt.get(float(r), r),
                                 "value": grid[r, c]})
        for container in ax.containers:
            label = container.get_label()
            data_line = getattr(container, "lines", (None,))[0]  # an errorbar's points
            if data_line is not None and not hasattr(container, "patches"):
                add(label if label and not label.startswith("_") else "points", "point",
                    data_line.get_xdata(), data_line.get_ydata())
                continue
            label = "bars" if not label or label.startswith("_") else label
            patches = getattr(container, "patches", [])
            # a bar's thickness is the same for every bar: barh varies widths, bar heights
            widths = {round(p.get_width(), 9) for p in patches}
            heights = {round(p.get_height(), 9) for p in patches}
            horizontal = len(heights) == 1 and len(widths) > 1
            for p in patches:
                if horizontal:
                    rows.append({"panel": panel, "series": label, "kind": "bar",
                                 "x": p.get_x() + p.get_width(),
                                 "y": _name(p.get_y() + p.get_height() / 2, yt, ycat)})
                else:
                    rows.append({"panel": panel, "series": label, "kind": "bar",
                                 "x": _name(p.get_x() + p.get_width() / 2, xt, xcat),
                                 "y": p.get_y() + p.get_height()})
    columns = ["panel", "series", "kind", "x", "y"]
    if any("value" in r for r in rows):
        columns.append("value")
    return pd.DataFrame(rows, columns=columns)
