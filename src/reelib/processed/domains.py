"""What a report parameter may be: the values the processed tables actually hold.

``check_parameters({"element": "Ndd"})`` raises ``ParameterError`` naming the parameter,
the table it is checked against, a did-you-mean suggestion (case-insensitive first, then
by spelling) and the valid values. The build calls it before a report starts; every
report notebook calls it through its ``Report`` first thing, so a run by papermill or in
JupyterLab is checked the same way.
"""

from __future__ import annotations

import difflib
from functools import lru_cache
from pathlib import Path

from reelib import config
from reelib.exceptions import ParameterError

#: notebook parameter name -> what its value must be
PARAMETER_KINDS = {
    "element": "element", "commodity": "commodity", "usgs_commodity": "commodity",
    "measure": "measure", "vintage": "vintage", "edition": "reserves edition",
    "focus_countries": "country", "mineral": "mineral", "hs_codes": "trade heading",
}
#: what the values are read from (for the message)
_TABLES = {"element": "prices_annual, prices_daily", "commodity": "production",
           "measure": "production", "vintage": "production", "reserves edition": "reserves",
           "country": "production", "mineral": "supply_stages", "trade heading": "trade"}
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
    if kind == "reserves edition":
        res = _read("reserves", ("commodity", "edition"), processed_dir)
        if commodity in _distinct(res["commodity"]):
            res = res[res["commodity"] == commodity]
        return sorted(_distinct(res["edition"]))
    prod = _read("production", ("commodity", "measure", "edition", "country_iso3", "entity"),
                 processed_dir)
    if kind == "commodity":
        return sorted(_distinct(prod["commodity"]))
    if commodity in _distinct(prod["commodity"]):
        prod = prod[prod["commodity"] == commodity]
    if kind == "measure":
        return sorted(_distinct(prod["measure"]))
    if kind == "vintage":
        return ["latest", *sorted(_distinct(prod["edition"]))]
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


def check_parameters(parameters: dict, processed_dir: Path | None = None) -> None:
    """Raise ``ParameterError`` for the first parameter value the data do not hold."""
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
            hint = suggest(v, allowed)
            shown = ", ".join(map(repr, allowed[:60])) + (" ..." if len(allowed) > 60 else "")
            raise ParameterError(
                f"parameter {name}={v!r}: no such {kind} in data/processed "
                f"({_TABLES[kind]}).{f' Did you mean {hint!r}?' if hint else ''} "
                f"Valid values: {shown}")
