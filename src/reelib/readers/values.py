"""Parse the value strings USGS tables print: numbers, bounds, ranges and codes.

``parse_value("1,500")`` gives ``ParsedValue(1500.0, 1500.0, 1500.0, "exact")``; the codes
USGS documents become a qualifier instead of a number, so the flag survives as data:

========================  =================  ===========================================
printed                   qualifier          value / low / high
========================  =================  ===========================================
``1,500`` ``0.5``         exact              the number
``—`` ``--`` (and 0)      zero               0
``NA``                    not_available      missing
``W``                     withheld           missing (withheld to avoid disclosing data)
``E``                     net_exporter       missing (net import reliance of a net exporter)
``XX``                    not_applicable     missing
``>85,000,000``           lower_bound        value = low = 85e6, high missing
``<50``                   upper_bound        value missing, high = 50
``50–300`` ``330 - 390``  range              value missing, low and high
``s``                     less_than_half     value missing, high = 0.5 (less than ½ unit)
``Large`` ``Small`` ...   qualitative        missing
``Included with ...``     included_elsewhere missing (counted in another row: world, other)
========================  =================  ===========================================

Anything else raises ``UnparseableValueError`` naming the file, row, column and value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from reelib.exceptions import UnparseableValueError

QUALIFIERS = (
    "exact", "zero", "not_available", "withheld", "net_exporter", "not_applicable",
    "lower_bound", "upper_bound", "range", "less_than_half", "qualitative",
    "included_elsewhere",
)

_NUMBER = r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?|-?\d+(?:\.\d+)?|-?\.\d+"
_NUMBER_RE = re.compile(rf"^(?:{_NUMBER})$")
_RANGE_RE = re.compile(rf"^({_NUMBER})\s*[–—-]\s*({_NUMBER})$")
_CODES = {
    "—": "zero", "–": "zero", "--": "zero", "-": "zero",
    "NA": "not_available", "W": "withheld", "E": "net_exporter", "XX": "not_applicable",
    "s": "less_than_half", "Less than ½ unit.": "less_than_half",
    "Less than 1/2 unit.": "less_than_half",
}
_INCLUDED_RE = re.compile(r"^included (?:in|with)\b.*$", re.IGNORECASE)
_QUALITATIVE_RE = re.compile(r"^(?:categorized as )?\"?(large|small|moderate|very small|"
                             r"moderate to large|variable\b.*)\"?$",
                             re.IGNORECASE)


@dataclass(frozen=True)
class ParsedValue:
    """A parsed cell: central value, bounds and the qualifier that explains them."""

    value: float | None
    low: float | None
    high: float | None
    qualifier: str


def to_number(text: str) -> float:
    """Convert ``"1,500"`` or ``"0.5"`` to a float (thousands commas removed)."""
    return float(text.replace(",", ""))


def parse_value(raw: object, *, file: str | Path | None = None, row: object = None,
                column: str | None = None) -> ParsedValue:
    """Parse one printed value; see the module docstring for the codes."""
    if raw is None or (isinstance(raw, float) and raw != raw):
        return ParsedValue(None, None, None, "not_available")
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        v = float(raw)
        return ParsedValue(v, v, v, "zero" if v == 0 else "exact")
    text = str(raw).strip().replace("\u2212", "-")
    if text == "":
        return ParsedValue(None, None, None, "not_available")
    if text in _CODES:
        q = _CODES[text]
        if q == "zero":
            return ParsedValue(0.0, 0.0, 0.0, "zero")
        if q == "less_than_half":
            return ParsedValue(None, 0.0, 0.5, q)
        return ParsedValue(None, None, None, q)
    if _NUMBER_RE.match(text):
        v = to_number(text)
        return ParsedValue(v, v, v, "zero" if v == 0 else "exact")
    if text[0] in "><" and _NUMBER_RE.match(text[1:].strip()):
        v = to_number(text[1:].strip())
        if text[0] == ">":
            return ParsedValue(v, v, None, "lower_bound")
        return ParsedValue(None, 0.0, v, "upper_bound")
    m = _RANGE_RE.match(text)
    if m:
        low, high = to_number(m.group(1)), to_number(m.group(2))
        return ParsedValue(None, low, high, "range")
    if _QUALITATIVE_RE.match(text):
        return ParsedValue(None, None, None, "qualitative")
    if _INCLUDED_RE.match(text):
        return ParsedValue(None, None, None, "included_elsewhere")
    raise UnparseableValueError(
        file or "<value>", "not a number or a documented USGS code", row=row, column=column,
        value=raw,
        fix="If the publisher uses a new code, add it to src/reelib/readers/values.py; if "
            "the cell is a known error, add a correction to "
            "src/reelib/reference/corrections.yaml",
    )


def non_negative_number(text: str, path: Path, row: int, column: str, *,
                        integer: bool = False) -> float:
    """A plain printed number (``parse_value``) in a file that holds nothing else: a code,
    bound, range, negative value (or, with ``integer``, a fraction) is an
    ``UnparseableValueError`` naming the file, row, column and value."""
    parsed = parse_value(text, file=path, row=row, column=column)
    value = parsed.value
    if (parsed.qualifier not in ("exact", "zero") or value is None or value < 0
            or (integer and not float(value).is_integer())):
        raise UnparseableValueError(path, "not a non-negative number", row=row, column=column,
                                    value=text)
    return float(value)
