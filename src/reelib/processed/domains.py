"""What a report parameter may be: the values the processed tables actually hold.

``check_parameters({"element": "Ndd"})`` raises ``ParameterError`` naming the parameter,
the table it is checked against, a did-you-mean suggestion (case-insensitive first, then
by spelling) and the valid values. The build calls it before a report starts; every
report notebook calls it through its ``Report`` first thing, so a run by papermill or in
JupyterLab is checked the same way.
"""

from __future__ import annotations

import csv
import datetime
import difflib
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reelib import config
from reelib.exceptions import ParameterError, RegistryError

#: notebook parameter name -> what its value must be
PARAMETER_KINDS = {
    "element": "element", "commodity": "commodity", "usgs_commodity": "commodity",
    "measure": "measure", "vintage": "vintage", "edition": "reserves edition",
    "focus_countries": "country", "mineral": "mineral", "hs_codes": "trade heading",
    "year": "trade year", "usgs_year": "production year", "base_year": "CPI year",
}
#: the kinds whose values are years (shown as spans, no did-you-mean)
_YEAR_KINDS = {"trade year", "production year", "CPI year"}
#: what the values are read from (for the message)
_TABLES = {"element": "prices_annual, prices_daily", "commodity": "production",
           "measure": "production", "vintage": "production", "reserves edition": "reserves",
           "country": "production", "mineral": "supply_stages", "trade heading": "trade",
           "trade year": "trade_flows", "production year": "production",
           "CPI year": "cpi: a year of 12 monthly values"}
#: aggregates that are not an element of their own
_NOT_ELEMENTS = {"REO"}


@lru_cache(maxsize=32)
def _columns(path_text: str, stamp: int, columns: tuple[str, ...]):
    import pyarrow.parquet as pq

    return pq.read_table(path_text, columns=list(columns)).to_pandas()


def _read(table: str, columns: tuple[str, ...], processed_dir: Path | None):
    path = (processed_dir or config.PROCESSED_DIR) / f"{table}.parquet"
    if not path.exists():
        raise ParameterError(f"cannot check parameters: {path} does not exist; build the "
                             "processed tables first (`make data` or `reelib clean`)")
    return _columns(str(path), path.stat().st_mtime_ns, columns)


def _distinct(values) -> set:
    """The distinct values of a column (``unique`` first: iterating a pyarrow-backed
    column value by value, as ``set(column)`` does, is a hundred times slower)."""
    return set(values.unique())


def valid_values(kind: str, parameters: dict | None = None,
                 processed_dir: Path | None = None) -> list[str]:
    """The values a parameter of ``kind`` may take (some depend on ``commodity``)."""
    parameters = parameters or {}
    commodity = parameters.get("commodity") or parameters.get("usgs_commodity")
    if kind == "element":
        annual = _read("prices_annual", ("element",), processed_dir)["element"]
        daily = _read("prices_daily", ("element",), processed_dir)["element"]
        return sorted((_distinct(annual) | _distinct(daily)) - _NOT_ELEMENTS)
    if kind == "mineral":
        return sorted(_distinct(_read("supply_stages", ("mineral",), processed_dir)["mineral"]))
    if kind == "trade heading":
        return sorted(_distinct(_read("trade", ("hs_code",), processed_dir)["hs_code"]))
    if kind == "trade year":
        return sorted(int(y) for y in _distinct(_read("trade_flows", ("year",),
                                                      processed_dir)["year"]))
    if kind == "CPI year":
        cpi = _read("cpi", ("month", "is_missing"), processed_dir)
        months = cpi.loc[~cpi["is_missing"].fillna(True).astype(bool), "month"].dt.year
        counts = months.value_counts()
        return sorted(int(y) for y, n in counts.items() if n == 12)
    if kind == "reserves edition":
        res = _read("reserves", ("commodity", "edition"), processed_dir)
        if commodity in _distinct(res["commodity"]):
            res = res[res["commodity"] == commodity]
        return sorted(_distinct(res["edition"]))
    prod = _read("production", ("commodity", "measure", "edition", "country_iso3", "entity",
                                "year"), processed_dir)
    if kind == "commodity":
        return sorted(_distinct(prod["commodity"]))
    if commodity in _distinct(prod["commodity"]):
        prod = prod[prod["commodity"] == commodity]
    if kind == "measure":
        return sorted(_distinct(prod["measure"]))
    if kind == "vintage":
        return ["latest", *sorted(_distinct(prod["edition"]))]
    if kind == "production year":
        return sorted(int(y) for y in _distinct(prod["year"]))
    if kind == "country":
        return sorted(_distinct(prod.loc[prod["entity"] == "country", "country_iso3"]))
    raise ParameterError(f"unknown parameter kind {kind!r}")


def suggest(value: str, allowed: list[str]) -> str | None:
    """The allowed value a mistyped one most likely meant (case first, then spelling).

    >>> suggest("nd", ["Ce", "Nd", "Pr"]), suggest("Ndd", ["Ce", "Nd", "Pr"])
    ('Nd', 'Nd')
    """
    folded = {a.casefold(): a for a in allowed}
    if str(value).casefold() in folded:
        return folded[str(value).casefold()]
    close = difflib.get_close_matches(str(value).casefold(), list(folded), n=1, cutoff=0.6)
    return folded[close[0]] if close else None


def years_text(years: list[int]) -> str:
    """'2002-2024', or '1990-1995, 1998-2024' when years are missing between.

    >>> years_text([1990, 1991, 1992, 1995, 1996])
    '1990-1992, 1995-1996'
    """
    spans: list[list[int]] = []
    for y in sorted(years):
        if spans and y == spans[-1][1] + 1:
            spans[-1][1] = y
        else:
            spans.append([y, y])
    return ", ".join(f"{a}-{b}" if b > a else f"{a}" for a, b in spans)


RANGES_FILE = Path(__file__).resolve().parent / "parameter_ranges.csv"
#: parameters that span years: the first may not come after the last (0: the newest)
ORDERED = (("start_year", "end_year"), ("coverage_start", "coverage_end"))


@dataclass(frozen=True)
class Range:
    """What a numeric parameter may be: ``minimum`` to ``maximum`` (None: this year), or
    0 when ``zero_means`` says what 0 stands for."""

    minimum: float
    maximum: float | None
    zero_means: str
    what: str


def _number(text: str, where: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise RegistryError(f"{where}: {text!r} is not a number") from None
    if not math.isfinite(value):
        raise RegistryError(f"{where}: {text!r} is not a finite number")
    return value


@lru_cache(maxsize=1)
def parameter_ranges(path: Path = RANGES_FILE) -> dict[str, Range]:
    """``parameter_ranges.csv``: numeric parameter -> its range (kept as data)."""
    out: dict[str, Range] = {}
    with open(path, encoding="utf-8", newline="") as f:
        for row_number, row in enumerate(csv.DictReader(f), start=2):
            where = f"{path.name} row {row_number}"
            name = (row.get("parameter") or "").strip()
            if not name or name in out:
                raise RegistryError(f"{where}: parameter {name!r} is blank or listed twice")
            low = _number(row["minimum"], f"{where}, minimum")
            top = row["maximum"].strip()
            high = None if top == "this year" else _number(top, f"{where}, maximum")
            if high is not None and high < low:
                raise RegistryError(f"{where}: maximum {top} is below the minimum")
            out[name] = Range(low, high, (row.get("zero_means") or "").strip(),
                              (row.get("what") or "").strip())
    return out


def _shown(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def check_ranges(parameters: dict) -> None:
    """Raise ``ParameterError`` for the first numeric parameter outside its range in
    ``parameter_ranges.csv`` (needs no data: the build checks it before fetch and clean)."""
    ranges = parameter_ranges()
    for name, value in parameters.items():
        r = ranges.get(name)
        if r is None or isinstance(value, bool) or not isinstance(value, (int, float)):
            continue  # not ranged, or the wrong type (the type check names that)
        if r.zero_means and value == 0:
            continue
        high = datetime.date.today().year if r.maximum is None else r.maximum
        if not (math.isfinite(value) and r.minimum <= value <= high):
            zero = f"0 ({r.zero_means}) or " if r.zero_means else ""
            raise ParameterError(
                f"parameter {name}={value!r}: must be {zero}from {_shown(r.minimum)} to "
                f"{_shown(high)}, {r.what} (src/reelib/processed/{RANGES_FILE.name})")
    for first, last in ORDERED:
        a, b = parameters.get(first), parameters.get(last)
        if isinstance(a, int) and isinstance(b, int) and b != 0 and a > b:
            raise ParameterError(f"parameter {first}={a} is after {last}={b}: give a "
                                 f"{first} up to {b}, or {last}=0 for the newest year")


def check_parameters(parameters: dict, processed_dir: Path | None = None) -> None:
    """Raise ``ParameterError`` for the first parameter out of its range or holding a value
    the data do not hold."""
    check_ranges(parameters)
    for name, value in parameters.items():
        kind = PARAMETER_KINDS.get(name)
        if kind is None:
            continue
        if name in ("measure", "edition") and value in ("", None):
            continue  # blank: the only measure / the newest edition (resolved from the data)
        allowed = valid_values(kind, parameters, processed_dir)
        for v in value if isinstance(value, list) else [value]:
            if v in allowed:
                continue
            if kind in _YEAR_KINDS:
                raise ParameterError(
                    f"parameter {name}={v!r}: no such {kind} in data/processed "
                    f"({_TABLES[kind]}). Valid values: {years_text(allowed)}")
            hint = suggest(v, allowed)
            shown = ", ".join(map(repr, allowed[:60])) + (" ..." if len(allowed) > 60 else "")
            raise ParameterError(
                f"parameter {name}={v!r}: no such {kind} in data/processed "
                f"({_TABLES[kind]}).{f' Did you mean {hint!r}?' if hint else ''} "
                f"Valid values: {shown}")
