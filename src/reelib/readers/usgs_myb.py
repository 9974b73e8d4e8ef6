"""Readers for the USGS Minerals Yearbook 2022 rare-earth tables (advance release).

* ``read_myb2022_world_production`` (table T8): world mine production by country,
  2018-2022, t REO. Country cells carry footnote digits and an ``e`` (estimated, whole
  row) glued to the name (``Burmae``, ``China3``, ``Thailande, 5``); per-value ``e``/``r``
  flags or footnote digits sit in the cell to the right of each value; ``--`` is zero.
* ``read_myb2022_prices`` (table T3): average oxide prices 2021-2022, USD/kg, with the
  purity and the price source from the table's footnotes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from reelib.readers.shapes import element_code, OBSERVATIONS, PRICES, shaped
from reelib.readers.decode import open_workbook, require_sheets
from reelib.reference.countries import split_country_label
from reelib.exceptions import MissingColumnError, SourceFormatError, TruncatedFileError
from reelib.readers.values import parse_value
from reelib.sources.fetch import source_path
from reelib.sources.registry import edition_of

SOURCE_ID = "usgs-myb-2022-rare-earths"
FILE = "myb1-2022-raree-ert.xlsx"

def _load_sheet(path: Path, sheet: str) -> list[list]:
    wb = open_workbook(path)
    require_sheets(wb.sheetnames, [sheet], path)
    return [list(r) for r in wb[sheet].iter_rows(values_only=True)]


def _find_row(rows: list[list], predicate, path: Path, what: str) -> int:
    for i, r in enumerate(rows):
        if r and predicate(r):
            return i
    raise MissingColumnError(path, f"cannot find the {what}", column=what)


def _flag_cell(cell) -> tuple[bool, bool, str]:
    """Return (is_estimate, is_revised, footnotes) from the cell right of a value."""
    text = "" if cell is None else str(cell).strip()
    return text == "e", text == "r", text if text.isdigit() else ""


def read_myb2022_world_production(path: Path | None = None) -> pd.DataFrame:
    """Read table T8 (world mine production by country, 2018-2022) as observations."""
    path = path or source_path(SOURCE_ID, FILE)
    rows = _load_sheet(path, "T8")
    head = _find_row(rows, lambda r: str(r[0] or "").startswith("Country or locality"),
                     path, "T8 header row 'Country or locality'")
    year_cols = {j: int(v) for j, v in enumerate(rows[head]) if isinstance(v, int)}
    if sorted(year_cols.values()) != [2018, 2019, 2020, 2021, 2022]:
        raise MissingColumnError(path, "T8 year columns are not 2018-2022", row=head + 1,
                                 value=sorted(year_cols.values()))
    legend = _find_row(rows, lambda r: str(r[0] or "").startswith("eEstimated"), path,
                       "T8 legend row 'eEstimated.'")
    footnote_text = {m.group(1): m.group(2).strip() for r in rows[legend + 1:]
                     if (m := re.match(r"^(\d+)(.*)$", str(r[0] or "")))}
    out = []
    for i in range(head + 1, legend):
        r = rows[i]
        if r[0] is None:
            continue
        name, row_est, country_fns, _ = split_country_label(r[0])
        for j, year in year_cols.items():
            p = parse_value(r[j], file=path, row=i + 1, column=f"T8 {year}")
            est, rev, fn = _flag_cell(r[j + 1] if j + 1 < len(r) else None)
            fns = country_fns + ([fn] if fn else [])
            out.append(dict(
                source_row=i + 1, country=name, year=year, value=p.value, value_low=p.low,
                value_high=p.high, qualifier=p.qualifier,
                value_raw="" if r[j] is None else str(r[j]),
                is_estimate=row_est or est, is_revised=rev, is_rounded=name == "Total",
                notes=" -- ".join(footnote_text.get(f, f"footnote {f}") for f in fns),
            ))
    if not out:
        raise TruncatedFileError(path, "T8 has no data rows")
    return shaped(pd.DataFrame(out).assign(
        source_id=SOURCE_ID, edition=edition_of(SOURCE_ID), file=f"{FILE}#T8",
        commodity="Rare earths", statistic="production", measure="Mine production",
        unit_original="metric tons", basis="rare-earth-oxide (REO) equivalent",
        is_reported=False, correction_id=""), OBSERVATIONS)


_T3_SOURCES = {"2": "Stanford Materials Corp. (five-kilogram lot)",
               "4": "Argus Media group - Argus Metals International, China free on board"}


def read_myb2022_prices(path: Path | None = None) -> pd.DataFrame:
    """Read table T3 (average rare-earth oxide prices, 2021-2022, USD/kg)."""
    path = path or source_path(SOURCE_ID, FILE)
    rows = _load_sheet(path, "T3")
    head = _find_row(rows, lambda r: str(r[0] or "").startswith("Product (oxide)"), path,
                     "T3 header row 'Product (oxide)'")
    year_cols = {j: int(v) for j, v in enumerate(rows[head]) if str(v or "").isdigit()}
    if sorted(year_cols.values()) != [2021, 2022]:
        raise MissingColumnError(path, "T3 year columns are not 2021-2022", row=head + 1,
                                 value=sorted(year_cols.values()))
    out = []
    for i in range(head + 1, len(rows)):
        r = rows[i]
        label = str(r[0] or "").strip()
        if not label or re.match(r"^\d", label):
            break  # footnotes start
        name, _, fns, _ = split_country_label(label)  # same 'Name4, 5' footnote pattern
        purity = r[2]
        if not isinstance(purity, (int, float)):
            raise SourceFormatError(path, "purity is not a number", row=i + 1,
                                    column="T3 Purity", value=purity)
        product = f"{name} oxide"
        for j, year in year_cols.items():
            p = parse_value(r[j], file=path, row=i + 1, column=f"T3 {year}")
            out.append(dict(
                source_row=i + 1, element=element_code(product), product=product,
                purity_pct=float(purity), year=year, price_usd_per_kg=p.value,
                price_low_usd_per_kg=p.low, price_high_usd_per_kg=p.high,
                qualifier=p.qualifier, value_raw=str(r[j]),
                market="FOB China" if "5" in fns else "ex-works (supplier quote)",
                price_source="; ".join(_T3_SOURCES[f] for f in fns if f in _T3_SOURCES),
            ))
    return shaped(pd.DataFrame(out).assign(
        source_id=SOURCE_ID, edition=edition_of(SOURCE_ID), file=f"{FILE}#T3",
        price_basis="annual_average", is_estimate=False, dollar_year=pd.NA,
        correction_id=""), PRICES)
