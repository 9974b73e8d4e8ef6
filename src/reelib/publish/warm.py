"""Imported once by the worker parent (the forkserver) so reports start warm.

Every report's process is forked from a parent that has already imported pandas,
matplotlib, seaborn, statsmodels, papermill, nbconvert and reelib, compiled the HTML
template and drawn a figure, so a report pays for its own work only. It also reads the
processed tables into ``reelib.processed.store``'s cache and parses the sources registry;
a file that changed since (a later build in the same process) is read again, as both
caches check the file.
"""

from __future__ import annotations

import gc
import io
import warnings

import matplotlib
import numpy  # noqa: F401
import pandas  # noqa: F401
import pandas.io.formats.csvs  # noqa: F401  (tables are written as CSV)
import pyarrow.parquet  # noqa: F401
import scipy.stats  # noqa: F401
import seaborn  # noqa: F401
import statsmodels.stats.diagnostic  # noqa: F401  (the statsmodels parts reelib uses)
from statsmodels.tsa.exponential_smoothing.ets import ETSModel  # noqa: F401
from statsmodels.tsa.seasonal import STL  # noqa: F401

import reelib.analysis.atlas  # noqa: F401
import reelib.analysis.claims.evaluate  # noqa: F401
import reelib.analysis.editions  # noqa: F401
import reelib.analysis.magnets  # noqa: F401
import reelib.analysis.prices  # noqa: F401
import reelib.analysis.reserves  # noqa: F401
import reelib.analysis.shares  # noqa: F401
import reelib.analysis.supply_chain  # noqa: F401
import reelib.analysis.supply_risk  # noqa: F401
import reelib.analysis.trade_dependence  # noqa: F401
import reelib.present.claims  # noqa: F401
import reelib.present.facts  # noqa: F401
import reelib.present.plots  # noqa: F401
import reelib.present.price_plots  # noqa: F401
import reelib.present.report  # noqa: F401
import reelib.present.summary  # noqa: F401
import reelib.present.text  # noqa: F401
import reelib.reference.trade_codes  # noqa: F401
import nbformat

from reelib.publish import execute, inprocess_engine, page  # noqa: F401  (execute: each report's run)


def _warm() -> None:
    inprocess_engine.shell()  # IPython shell with the inline backend, as a kernel has
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(2, 1))
        ax.plot([0, 1], [0, 1])
        ax.set_title("warm")
        for fmt in ("png", "svg"):
            fig.savefig(io.BytesIO(), format=fmt)
        plt.close(fig)
    from reelib.processed import store
    from reelib.sources.registry import load_registry

    try:  # every report's fork then finds the tables read (store checks they are current)
        store.preload()
    except Exception:  # no tables yet, or a damaged one: the report that reads it says so
        pass
    try:  # and the sources registry parsed, which every report cites (checked the same way)
        load_registry()
    except Exception:  # a broken registry: the report that cites it says so
        pass
    # compile nbconvert's templates once
    page.notebook_html(nbformat.v4.new_notebook(), {"title": "warm", "commit": "", "built_at": ""})


matplotlib.rcdefaults()
_warm()
# Every object alive now (the imported stack, the tables) is shared by all report
# processes forked from here. Freezing them keeps the children's garbage collector from
# walking, and so copying, those pages of memory on its first full collection.
gc.collect()
gc.freeze()
