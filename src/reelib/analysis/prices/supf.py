"""The asymptotic distribution of the sup-F (QLR) statistic for one unknown break date.

Andrews (1993): with q coefficients allowed to break and the break fraction searched over
[trim, 1 - trim], sup-F converges to the supremum of ||B(s) - s B(1)||^2 / (s (1 - s)) / q
over that interval, B a q-dimensional standard Brownian motion. ``simulate`` draws it
(fixed seed); ``supf_quantiles.csv`` keeps the quantiles it gave for q = 1-4 and 15%
trimming with 100,000 draws, so reports read a p-value without simulating. The test suite
re-simulates with fewer draws and checks the table against the published 5% values
(Stock and Watson's QLR table: 8.68 for one restriction, 5.86 for two).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

QUANTILES_FILE = Path(__file__).resolve().parent / "supf_quantiles.csv"
PROBS = np.round(np.concatenate([np.arange(0.50, 0.99, 0.01), np.arange(0.99, 0.9995, 0.001)]),
                 4)


def simulate(q: int, trim: float = 0.15, reps: int = 100_000, steps: int = 2_000,
             seed: int = 20261124, chunk: int = 2_000) -> np.ndarray:
    """Draws of the limiting sup-F statistic (see the module doc)."""
    rng = np.random.default_rng(seed)
    s = np.arange(1, steps + 1) / steps
    inside = (s >= trim) & (s <= 1 - trim)
    denom = (s * (1 - s))[inside]
    out = []
    for start in range(0, reps, chunk):
        m = min(chunk, reps - start)
        walk = rng.standard_normal((m, steps, q)).cumsum(axis=1) / np.sqrt(steps)
        bridge = walk - s[None, :, None] * walk[:, -1:, :]
        stat = (bridge[:, inside, :] ** 2).sum(axis=2) / denom / q
        out.append(stat.max(axis=1))
    return np.concatenate(out)


def quantile_table(qs=(1, 2, 3, 4), trim: float = 0.15, **kwargs) -> pd.DataFrame:
    """Quantiles of the simulated distribution: columns prob, q1..q4 (how the CSV is made)."""
    return pd.DataFrame({"prob": PROBS, **{f"q{q}": np.quantile(simulate(q, trim, **kwargs),
                                                                  PROBS) for q in qs}})


@lru_cache(maxsize=1)
def _table() -> pd.DataFrame:
    return pd.read_csv(QUANTILES_FILE)


def critical_value(q: int, level: float = 0.05) -> float:
    """The sup-F critical value at ``level`` (15% trimming)."""
    t = _table()
    return float(np.interp(1 - level, t["prob"], t[f"q{q}"]))


def p_value(stat: float, q: int) -> float:
    """Asymptotic p-value of a sup-F statistic (15% trimming), from the quantile table.

    Beyond the table's ends it is reported as 0.5 or 0.0005 (bounds, not estimates).
    """
    t = _table()
    col = t[f"q{q}"].to_numpy()
    if stat <= col[0]:
        return 0.5
    if stat >= col[-1]:
        return float(1 - t["prob"].iloc[-1])
    return float(1 - np.interp(stat, col, t["prob"]))


def p_bound(stat: float, q: int) -> str:
    """'≥' when ``p_value`` is the table's upper end (0.5: the statistic is below every
    tabulated quantile), '≤' at its lower end, '' inside the table."""
    col = _table()[f"q{q}"].to_numpy()
    return "≥" if stat <= col[0] else "≤" if stat >= col[-1] else ""
