"""Numbers for prose and pages, without pandas: p-values, percentages, values with units.

Kept free of the data stack so the build can write the index page without importing
pandas; ``reelib.present.text`` re-exports these for notebooks.
"""

from __future__ import annotations

import math

#: count nouns a fact may carry as its unit, with their singular ("1 claim", "2 claims")
SINGULAR = {"years": "year", "claims": "claim", "countries": "country", "partners": "partner",
            "editions": "edition", "events": "event", "reports": "report", "months": "month",
            "changes": "change", "dates": "date", "days": "day", "commodities": "commodity",
            "quotes": "quote", "sources": "source"}


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


def format_value(value, unit: str = "", decimals: int | None = None) -> str:
    """A value with its unit, the one way every page writes a number.

    ``decimals`` is the precision the value was recorded to (None: by size).

    >>> format_value(71.05263, "%", 1), format_value(380000.0, "t"), format_value(None, "%")
    ('71.1%', '380,000 t', 'not available')
    >>> format_value(1386613152, "USD"), format_value(-2.5, "pp", 1), format_value(3, "years")
    ('USD 1.39 billion', '-2.5 percentage points', '3 years')
    >>> format_value(1, "claims"), format_value(1.0, "years", 0), format_value(2, "claims")
    ('1 claim', '1 year', '2 claims')
    >>> format_value(1950), format_value(1950, "t")
    ('1950', '1,950 t')
    """
    if value is None or _missing(value):
        return "not available"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return f"{value}{(' ' + unit) if unit else ''}"
    if unit in ("%", "pct"):
        d = 1 if decimals is None else decimals
        return f"{value:.{d}f}%"
    if unit in ("pp", "percentage points"):
        d = 1 if decimals is None else decimals
        return f"{value:+.{d}f} percentage points"
    if unit == "USD" and abs(value) >= 1e6:
        scale, word = (1e9, "billion") if abs(value) >= 1e9 else (1e6, "million")
        return f"USD {value / scale:,.2f} {word}"
    if not unit and decimals is None and float(value).is_integer() and 1000 <= value <= 2200:
        return str(int(value))  # a calendar year (a count or amount would carry a unit)
    if decimals is not None:
        text = f"{value:,.{decimals}f}"
    elif value != 0 and abs(value) < 0.01:
        text = f"{value:.2g}"
    else:
        text = f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}".rstrip("0").rstrip(".")
    if text == "1" and unit in SINGULAR:
        unit = SINGULAR[unit]
    return f"{text} {unit}".strip()


def format_fact(fact: dict) -> str:
    """Format a recorded fact: its value with its unit, to the precision it was recorded."""
    return format_value(fact.get("value"), fact.get("unit", "") or "", fact.get("decimals"))


def range_text(low: str, high: str, *, reads: tuple[str, str] | None = None) -> str:
    """Two written bounds as 'low-high', or the one number when both read the same: the
    project's one rule for an interval (``reads``: what each bound reads as, when ``low``
    and ``high`` carry markup around the text).

    >>> range_text("3,282", "3,282"), range_text("5,054", "5,072")
    ('3,282', '5,054-5,072')
    """
    low_reads, high_reads = reads or (low, high)
    return low if low_reads == high_reads else f"{low}-{high}"


def fmt_range(low: float, high: float, unit: str = "", decimals: int = 0) -> str:
    """'5,054-5,072', or one number when the two round to the same ('4,924').

    >>> fmt_range(4923.6, 4924.2), fmt_range(5054.4, 5072.4), fmt_range(60, 75.2, "%")
    ('4,924', '5,054-5,072', '60-75%')
    >>> fmt_range(380000, 380000, "t")
    '380,000 t'
    """
    lo, hi = format_value(low, unit, decimals), format_value(high, unit, decimals)
    suffix = next((s for s in (f" {unit}", unit) if unit and lo.endswith(s) and hi.endswith(s)),
                  "")  # the unit, written once after the range
    bare = [t[:len(t) - len(suffix)] for t in (lo, hi)]
    return range_text(*bare, reads=(lo, hi)) + suffix
