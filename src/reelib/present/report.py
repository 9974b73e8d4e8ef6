"""What a notebook needs to turn results into a report: figures, tables, facts, prose.

``Report(name, report_dir)`` is created once per notebook. With ``report_dir=""`` (the
default when a researcher runs the notebook, and under nbval) nothing is written:
figures and tables are only displayed. The report build passes a folder, and then

* ``figure(fig, "slug")`` writes ``figures/slug.png`` and ``.svg`` without timestamps or
  random ids, so an unchanged rebuild writes identical files;
* ``table(df, "slug")`` writes ``tables/slug.csv``;
* ``fact("key", value, ...)`` records a number in ``facts.json`` with its unit, label,
  source and edition -- the summary report and the index quote facts, never typed text;
* every processed table the notebook loads through it (``rep.load_table("production")``)
  is listed in ``reads.json`` with its sha256, so the build knows what the report
  depends on, and the sources of its rows (``source_id``) in ``sources.json``, which the
  page's header cites. The loader itself keeps no state; the report object records.

Creating a ``Report`` also sets the house style: deterministic matplotlib output, and
DataFrames displayed as readable tables (``reelib.present.tables``).
"""

from __future__ import annotations

import ast
import json
import math
import os
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from reelib.present.figure_data import figure_data
from reelib.present.hover import hover_svg
from reelib import config
from reelib.files.atomic import write_bytes_atomic, write_csv_atomic, write_text_atomic
from reelib.files.hashing import sha256_file
from reelib.present import layout
from reelib.present.numbers import format_fact
from reelib.present.tables import show_tables_styled
from reelib.present.text import fact_range, fact_token, source_ids
from reelib.processed import store
from reelib.exceptions import ParameterError
from reelib.processed.domains import check_parameters
from reelib.sources.registry import source_names

#: environment variable in which the build names the report a notebook is writing
REPORT_ENV = "REELIB_REPORT"


def source_of(df: pd.DataFrame | pd.Series) -> dict[str, str]:
    """``source`` and ``edition`` of the rows a fact comes from, read from the data.

    Uses ``source_id``/``edition`` (and the ``_old``/``_new`` pairs of the revisions
    table); the source is named by the registry's short name. Pass it to ``Report.fact``:
    ``rep.fact("x", value, **source_of(rows))``.
    """
    ids = source_ids(df)
    editions: list[str] = []
    if isinstance(df, pd.Series):
        df = df.to_frame().T
    for col in ("edition", "edition_old", "edition_new"):
        if col in df.columns:
            editions.extend(v for v in pd.unique(df[col].dropna().astype(str))
                            if v not in editions)
    if not ids:
        raise TypeError("source_of needs a frame with a source_id column")
    return {"source": source_names(ids), "edition": "; ".join(editions)}


def _assigned(source: str, annotated: bool) -> list[str] | None:
    """Top-level names a cell assigns (annotated ``x: int = 1`` or plain ``x = 1``), or
    None when the cell is anything but such assignments and comments."""
    try:
        body = ast.parse(source).body
    except SyntaxError:
        return None
    kind = ast.AnnAssign if annotated else ast.Assign
    if not body or not all(isinstance(n, kind) for n in body):
        return None
    if annotated:
        return [n.target.id for n in body if isinstance(n.target, ast.Name)]
    return [t.id for n in body for t in n.targets if isinstance(t, ast.Name)]


def unknown_injected_parameters(history: list[str]) -> tuple[list[str], list[str]]:
    r"""(unknown, declared): names papermill injected (its ``# Parameters`` cell) that the
    notebook's typed parameters cell does not declare, from the kernel's input history.

    >>> unknown_injected_parameters(['element: str = "Nd"\nreport_dir: str = ""',
    ...                              '# Parameters\nelment = "Sm"\n'])
    (['elment'], ['element', 'report_dir'])
    """
    declared: list[str] | None = None
    injected: list[str] | None = None
    # the latest cell of each kind counts; read from the newest back, so a long-lived
    # kernel (JupyterLab, the benchmark's one process) parses a few cells, not all
    for source in reversed(history):
        if not isinstance(source, str) or not source.strip():
            continue
        if source.lstrip().startswith("# Parameters"):
            if injected is None:
                injected = _assigned(source, annotated=False) or []
        elif declared is None:
            declared = _assigned(source, annotated=True)
        if declared is not None and injected is not None:
            break
    if declared is None:
        return [], []
    return [n for n in injected or [] if n not in declared], declared


def _check_injected_parameters() -> None:
    """Refuse a papermill run that passed a parameter the notebook does not have (papermill
    itself only warns and runs the defaults); ``reelib build`` checks before it starts."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover
        return
    shell = get_ipython()
    if shell is None:
        return
    unknown, declared = unknown_injected_parameters(list(shell.user_ns.get("In") or []))
    if unknown:
        raise ParameterError(f"the notebook has no parameter(s) {unknown}; its parameters: "
                             f"{', '.join(declared)} (see `reelib params`)")


def configure_matplotlib() -> None:
    """Deterministic figure files and a calm house style (the backend is left alone, so
    notebooks keep showing figures inline)."""
    import matplotlib.pyplot as plt
    import seaborn as sns

    sns.set_theme(style="whitegrid", context="notebook")
    plt.rcParams.update({
        "svg.hashsalt": "reelib",  # stable element ids in SVG
        "svg.fonttype": "none",  # text stays text: searchable, smaller, drawn 3x faster
        "figure.dpi": 100, "savefig.dpi": 120, "figure.figsize": (9, 4.8),
        "axes.titleweight": "bold", "axes.titlesize": 12, "axes.titlelocation": "left",
        # titles at a fixed height over the axes: no chart puts tick labels or an offset
        # text above its axes, and matplotlib's automatic placement (None) measured every
        # axis of the figure at every draw, a sixth of the drawing time; same pixels
        "axes.titley": 1.0,
        # glyphs drawn as their outlines say, not snapped to the pixel grid by FreeType's
        # auto-hinter: the raster draw is a fifth faster and at 120 dpi the text reads
        # the same; the SVG keeps its text as text either way
        "text.hinting": "none",
        "figure.constrained_layout.use": True,  # laid out once, when first drawn
    })


def render_figure(fig) -> tuple[bytes, bytes]:
    """PNG and SVG bytes of ``fig``, drawing it twice in all (once per format).

    The layout engine places everything, caption included, inside the figure on the first
    (raster) draw; the PNG is encoded from that very raster, and the layout is then frozen
    so the SVG draw does not lay out again. No ``bbox_inches="tight"``: it would draw
    each format once more just to measure. Both files carry no timestamp or random id.
    """
    import io

    import matplotlib.pyplot as plt
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    fig.set_dpi(plt.rcParams["savefig.dpi"])
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    image = Image.fromarray(np.asarray(canvas.buffer_rgba()))
    if image.getextrema()[3][0] == 255:  # opaque (the house style): no alpha channel
        image = image.convert("RGB")
    png = io.BytesIO()
    # zlib level 3: half the encoding time of the default 6; without the alpha channel
    # the file is still smaller than an RGBA one at level 6
    image.save(png, format="png", compress_level=3)
    # keep the positions just computed: no layout engine at all ("none" would leave a
    # placeholder engine, and savefig then draws the whole figure once more before the
    # SVG draw, to let an engine lay it out)
    with plt.rc_context({"figure.autolayout": False, "figure.constrained_layout.use": False}):
        fig.set_layout_engine(None)
    svg = io.BytesIO()
    fig.savefig(svg, format="svg", metadata={"Date": None, "Creator": None})
    return png.getvalue(), svg.getvalue()


class Report:
    """Collects a notebook's figures, tables and facts into its report folder."""

    def __init__(self, name: str, report_dir: str | Path = "", **parameters: Any):
        """``parameters``: the notebook's parameters that name data (element, commodity,
        vintage, a year, ...) or have a range (``processed/parameter_ranges.csv``); they
        are checked against the processed tables and the ranges first thing, so a run by
        papermill or in JupyterLab fails as clearly as ``reelib build`` would."""
        _check_injected_parameters()
        check_parameters(parameters)
        # The build names the report (its folder) in the environment of its process; a
        # notebook run by hand keeps the name it gives.
        self.name = os.environ.get(REPORT_ENV, name)
        self.dir = Path(report_dir) if str(report_dir) else None
        if self.dir is not None and not self.dir.is_absolute():
            self.dir = config.PROJECT_ROOT / self.dir
        self.facts: dict[str, dict[str, Any]] = {}
        self.reads: dict[str, str] = {}
        self.sources: list[str] = []
        if self.dir is not None:
            for sub in (layout.FIGURES, layout.TABLES):
                (self.dir / sub).mkdir(parents=True, exist_ok=True)
        configure_matplotlib()
        pd.set_option("display.max_colwidth", 160)
        pd.set_option("display.max_rows", 60)
        pd.set_option("display.precision", 3)
        show_tables_styled()

    @property
    def writes(self) -> bool:
        """True when the report writes files (built by ``reelib build``)."""
        return self.dir is not None

    def figure(self, fig, slug: str):
        """Save ``fig`` as PNG and SVG (deterministic) and return it for display.

        When writing, the saved PNG itself is shown and the figure closed, so the report
        shows exactly the file it ships and the figure is rendered once, not twice.
        """
        if self.dir is None:
            return fig
        import matplotlib.pyplot as plt

        png, svg = render_figure(fig)
        write_bytes_atomic(layout.figure_path(self.dir, slug, "png"), png)
        write_bytes_atomic(layout.figure_path(self.dir, slug, "svg"), svg)
        data = figure_data(fig)
        write_csv_atomic(data, layout.figure_path(self.dir, slug, "csv"))
        titles = [fig._suptitle.get_text()] if fig._suptitle is not None else []
        titles += [t for ax in fig.axes for loc in ("left", "center", "right")
                   if (t := ax.get_title(loc=loc))]
        plt.close(fig)
        try:
            from IPython.display import Image, display

            from IPython.display import HTML

            display(Image(data=png, width=min(900, int(fig.get_figwidth() * 90)),
                          alt=titles[0] if titles else slug.replace("-", " ")))
            display(HTML(f'<p class="figure-links"><a href="{layout.FIGURES}/{slug}.csv">'
                         f'Data (CSV)</a> &middot; <a href="{layout.FIGURES}/{slug}.svg">'
                         "SVG</a></p>"))
            layer = hover_svg(data, title=titles[0] if titles else "")
            if layer:  # time series: values readable on hover, beside the figure to cite
                display(HTML('<details class="hover"><summary>Read values on hover'
                             f"</summary>{layer}</details>"))
        except ImportError:  # pragma: no cover - outside IPython there is nothing to show
            pass
        return fig

    def table(self, df: pd.DataFrame, slug: str) -> pd.DataFrame:
        """Save ``df`` as CSV and return it for display."""
        if self.dir is not None:
            write_csv_atomic(df, layout.table_path(self.dir, slug))
        return df

    def fact(self, key: str, value: Any, *, unit: str = "", label: str = "",
             source: str = "", edition: str = "", key_finding: bool = False,
             decimals: int | None = None, caveats: str = "") -> Any:
        """Record one number (or short text) the report states; return the value.

        ``decimals`` is the precision it is stated to (the value is rounded to it);
        ``caveats`` what changes its meaning (a production quota, a lower bound).
        """
        if isinstance(value, float) and math.isnan(value):
            value = None
        elif hasattr(value, "item"):
            value = value.item()
        if isinstance(value, float) and decimals is not None:
            value = round(value, decimals)
        self.facts[key] = {"value": value, "unit": unit, "label": label, "source": source,
                           "edition": edition, "key_finding": key_finding,
                           "decimals": decimals, "caveats": caveats}
        self._flush()
        return value

    def ref(self, key: str) -> str:
        """A recorded fact, for a sentence passed to ``say``: it is written the one way every
        page writes it (``numbers.format_fact``) and marked as that fact on the page."""
        return fact_token(f"{self.name}/{key}", format_fact(self.facts[key]))

    def ref_range(self, low_key: str, high_key: str) -> str:
        """Two recorded bounds as 'low-high', or once when they read the same."""
        return fact_range(f"{self.name}/{low_key}", self.facts[low_key],
                          f"{self.name}/{high_key}", self.facts[high_key])

    def load_table(self, name: str) -> pd.DataFrame:
        """Read processed table ``name`` and, when writing, record its sha256 in
        ``reads.json`` (the build rebuilds the report when that table changes)."""
        df = store.load_table(name)
        if self.writes:
            self.reads[name] = sha256_file(store.table_path(name))
            self.sources += [s for s in source_ids(df) if s not in self.sources]
            self._flush()
        return df

    def _flush(self) -> None:
        if self.dir is None:
            return
        # facts in the order the notebook states them: pages list key findings that way
        write_text_atomic(self.dir / layout.FACTS,
                          json.dumps(self.facts, indent=2, default=str) + "\n")
        write_text_atomic(self.dir / layout.READS,
                          json.dumps(self.reads, indent=2, sort_keys=True) + "\n")
        write_text_atomic(self.dir / layout.SOURCES, json.dumps(self.sources, indent=1) + "\n")
