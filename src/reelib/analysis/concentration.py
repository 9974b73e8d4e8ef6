"""Concentration measures shared by every share table: ranks, HHI bounds, HHI bands.

Production, supply-chain stages and trade partners all have named rows plus an
unallocated remainder ("Other countries", "Rest of world", "Areas, nes"). The remainder
hides producers, so the Herfindahl-Hirschman index is an interval:

* lower bound: the remainder is spread over many tiny producers (adds nothing);
* upper bound: the remainder is one producer (adds its share squared).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: U.S. merger-guidelines (2023) bands of the HHI (0-10,000).
HHI_HIGHLY_CONCENTRATED = 1800
HHI_MODERATELY_CONCENTRATED = 1000


def hhi_bounds(shares: pd.Series, remainder: float) -> tuple[float, float]:
    """(lower, upper) HHI on the 0-10,000 scale from named shares and a remainder.

    ``shares`` and ``remainder`` are fractions of the total (0-1). Shares of a rounded
    published total can sum past 1 (gallium: China's rounded output above the rounded
    world total); the index is capped at its maximum, 10,000 (one producer).

    >>> hhi_bounds(pd.Series([0.5, 0.25]), 0.25), hhi_bounds(pd.Series([1.004]), 0.0)
    ((3125.0, 3750.0), (10000.0, 10000.0))
    """
    low = 10_000 * float((shares**2).sum())
    return min(low, 10_000.0), min(low + 10_000 * remainder**2, 10_000.0)


def ranks_desc(values: np.ndarray) -> np.ndarray:
    """Rank of each value of one group (1 = largest, ties share the best rank), as
    ``rank_within`` ranks; for a loop over small groups that already holds arrays.

    >>> ranks_desc(np.array([5.0, 9.0, 5.0])).tolist()
    [2, 1, 2]
    """
    return 1 + (values[None, :] > values[:, None]).sum(axis=1)


def rank_within(df: pd.DataFrame, by: str | list[str], value: str,
                mask: pd.Series) -> pd.Series:
    """Rank of ``value`` (1 = largest, ties share the best rank) within each ``by`` group,
    for the rows where ``mask`` holds; missing elsewhere (``Int64``)."""
    ranks = (df[mask].groupby(by)[value].rank(ascending=False, method="min")
             .astype("Int64"))
    return ranks.reindex(df.index)


def hhi_band(hhi: float) -> str:
    """Classify an HHI (0-10,000) by the U.S. merger-guidelines bands (2023)."""
    if hhi > HHI_HIGHLY_CONCENTRATED:
        return "highly concentrated"
    if hhi >= HHI_MODERATELY_CONCENTRATED:
        return "moderately concentrated"
    return "unconcentrated"
