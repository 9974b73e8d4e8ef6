"""What USGS's printed text means: the reviewed mappings kept as data beside the
reference tables (``reelib/reference/``):

* ``usgs_measures.csv``: (format, commodity, statistic, printed text) -> canonical
  ``measure`` and ``form`` and a ``note`` with the reason;
  a blank measure means "not read" and the note says why;
* ``usgs_commodity_codes.csv``: the data release's file code -> commodity name (as the
  MCS 2026 release names the chapter);
* ``usgs_field_units.csv``: the unit token of a field name -> the unit in words (which
  ``readers.shapes.TONNES_PER_UNIT`` converts, or leaves out when not a mass);
* ``usgs_unit_corrections.csv``: a file whose printed unit is wrong (a field headed
  ``Prod_t`` whose rows say thousand metric tons), with the evidence; applied by
  ``correct_units`` and flagged on the row (``correction_id``).

The rule for a country's figure is written once, here: a country's figure for a
commodity, measure and year is its one row mapped to that measure, whatever form the
publisher prints it in (crude, beneficiated, processed, ...); the form travels with the
row. Two rows of one country mapped to one measure and year are an error
(``processed.tables``' duplicate check), never summed or dropped silently.
"""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

import pandas as pd

from reelib import config
from reelib.exceptions import StaleCorrectionError, UnmappedTextError

MEASURES_FILE = config.REFERENCE_DIR / "usgs_measures.csv"
CODES_FILE = config.REFERENCE_DIR / "usgs_commodity_codes.csv"
UNITS_FILE = config.REFERENCE_DIR / "usgs_field_units.csv"
UNIT_CORRECTIONS_FILE = config.REFERENCE_DIR / "usgs_unit_corrections.csv"


def _rel(path: Path) -> str:
    return str(path.relative_to(config.PROJECT_ROOT))


@lru_cache(maxsize=1)
def measure_table() -> dict[tuple[str, str, str, str], dict[str, str]]:
    """``{(format, commodity, statistic, printed): row}`` of the measures mapping."""
    with MEASURES_FILE.open(encoding="utf-8", newline="") as fh:
        return {(r["format"], r["commodity"], r["statistic"], r["printed"]): r
                for r in csv.DictReader(fh)}


@lru_cache(maxsize=1)
def _codes() -> dict[str, str]:
    with CODES_FILE.open(encoding="utf-8", newline="") as fh:
        return {r["code"]: r["commodity"] for r in csv.DictReader(fh)}


@lru_cache(maxsize=1)
def _units() -> dict[str, str]:
    with UNITS_FILE.open(encoding="utf-8", newline="") as fh:
        return {r["token"]: r["unit_original"] for r in csv.DictReader(fh)}


def commodity_of_code(code: str, *, file: str | Path) -> str:
    """The commodity a data-release file code names ('raree' -> 'Rare earths')."""
    if code not in _codes():
        raise UnmappedTextError(file, f"commodity code {code!r}", value=code,
                                mapping=_rel(CODES_FILE), line=f"{code},<Commodity name>,")
    return _codes()[code]


def unit_of_token(token: str, *, file: str | Path, field: str) -> str:
    """The unit a field name's token stands for ('kt' -> 'thousand metric tons')."""
    if token not in _units():
        raise UnmappedTextError(file, f"unit token {token!r}", column=field, value=token,
                                mapping=_rel(UNITS_FILE), line=f"{token},<unit in words>,")
    return _units()[token]


def map_measures(df: pd.DataFrame, fmt: str, *, file: str | Path | pd.Series,
                 printed: str = "printed") -> pd.DataFrame:
    """``df`` with ``measure`` and ``form`` from the mapping, keyed by
    (``fmt``, ``commodity``, ``statistic``, ``df[printed]``); rows the mapping marks "not
    read" are dropped. An unmapped text raises ``UnmappedTextError`` with the line to add."""
    table = measure_table()
    keys = list(zip([fmt] * len(df), df["commodity"], df["statistic"], df[printed]))
    files = file if isinstance(file, pd.Series) else pd.Series([file] * len(df))
    for key, row, where in zip(keys, df.itertuples(), files):
        if key not in table:
            raise UnmappedTextError(
                where, f"{key[2]} text {key[3]!r} of {key[1]}",
                row=getattr(row, "source_row", None),
                column=getattr(row, "field", printed), value=key[3], mapping=_rel(MEASURES_FILE),
                line=f'{fmt},{key[1]},{key[2]},"{key[3]}",<measure>,<form>,,<why>')
    hits = [table[k] for k in keys]
    out = df.assign(measure=[h["measure"] for h in hits], form=[h["form"] for h in hits])
    return out[out["measure"] != ""].reset_index(drop=True)


@lru_cache(maxsize=1)
def _unit_corrections() -> list[dict[str, str]]:
    with UNIT_CORRECTIONS_FILE.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def correct_units(df: pd.DataFrame, field: str | None = None) -> pd.DataFrame:
    """``df`` (observations with ``source_id``, ``file``, ``commodity``, ``statistic``,
    ``unit_original`` and, for the data releases, the value ``field``) with the published
    unit replaced where ``usgs_unit_corrections.csv`` records it as wrong; the row is
    flagged ``correction_id = 'unit: <file> <field>'``. A correction that matches no row,
    or a row whose printed unit is not the one the correction expects, stops the clean:
    the file changed under the correction."""
    out = df.copy()
    if "correction_id" not in out.columns:
        out["correction_id"] = ""
    for c in _unit_corrections():
        scope = out["source_id"].eq(c["source_id"]) & out["file"].eq(c["file"])
        if not scope.any():
            continue  # the correction is for a file this call does not hold
        mask = (scope & out["commodity"].eq(c["commodity"])
                & out["statistic"].eq(c["statistic"]))
        if c["field"]:
            mask &= out[field or "field"].eq(c["field"])
        if not mask.any() or not out.loc[mask, "unit_original"].eq(c["printed"]).all():
            raise StaleCorrectionError(
                c["file"], f"the unit correction for {c['commodity']} {c['statistic']} "
                f"{c['field']} expects the printed unit {c['printed']!r} and matches no such "
                "row", column=c["field"] or "unit", value=c["printed"],
                fix=f"check the file, then update or remove the line in "
                    f"{_rel(UNIT_CORRECTIONS_FILE)}")
        out.loc[mask, "unit_original"] = c["unit"]
        out.loc[mask, "correction_id"] = f"unit: {c['file']} {c['field']}".strip()
    return out


NOT_READ_FILE = config.REFERENCE_DIR / "usgs_release_files_not_read.csv"


@lru_cache(maxsize=1)
def _not_read() -> dict[tuple[str, str], str]:
    with NOT_READ_FILE.open(encoding="utf-8", newline="") as fh:
        return {(r["source_id"], r["file"]): r["reason"] for r in csv.DictReader(fh)}


def files_not_read(source_id: str) -> dict[str, str]:
    """``{file: reason}`` of a release's files the readers skip on purpose (a publisher
    error such as a salient file that holds the world table)."""
    return {f: why for (sid, f), why in _not_read().items() if sid == source_id}

