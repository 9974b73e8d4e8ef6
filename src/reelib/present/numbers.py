"""Numbers for prose and pages, without pandas: p-values, percentages, values with units.

Kept free of the data stack so the build can write the index page without importing
pandas; ``reelib.present.text`` re-exports these for notebooks.
"""

from __future__ import annotations

import math


def _missing(x) -> bool:
    if x is None:
        return True
    try:
        return math.isnan(float(x))
    except (TypeError, ValueError):
        return False


def fmt_p(p: float) -> str:
    """A p-value for prose: ``p = 0.012``, or ``p < 0.001`` rather than ``p = 0.000``.

    >>> fmt_p(0.0123), fmt_p(5.96e-31), fmt_p(float("nan"))
    ('p = 0.012', 'p < 0.001', 'p = n/a')
    """
    if _missing(p) or math.isinf(float(p)):
        return "p = n/a"
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def fmt_pct(x: float | None, decimals: int = 0) -> str:
    """Format a percentage for prose: 71.05 -> '71%'; missing -> 'n/a'."""
    return "n/a" if _missing(x) else f"{x:.{decimals}f}%"


def fmt_num(x: float | None, decimals: int = 0) -> str:
    """Format a number with thousands separators for prose; missing -> 'n/a'."""
    return "n/a" if _missing(x) else f"{x:,.{decimals}f}"


def format_fact(fact: dict) -> str:
    """Format a recorded fact for prose: value with its unit ('71%', '380,000 t')."""
    value, unit = fact.get("value"), fact.get("unit", "")
    if value is None:
        return "not available"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"{value}{(' ' + unit) if unit else ''}"
    if unit in ("%", "pct"):
        return f"{value:.1f}%" if abs(value) < 10 else f"{value:.0f}%"
    if unit in ("pp", "percentage points"):
        return f"{value:+.1f} percentage points"
    if value != 0 and abs(value) < 0.01:
        text = f"{value:.2g}"
    else:
        text = f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{text} {unit}".strip()
