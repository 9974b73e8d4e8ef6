"""Reader for a secondary series: rare-earth mine production 2003-2024, USGS beside BGS.

``secondary-materials-atlas-usgs-bgs-rare-earths-2003-2024`` re-types a block of a third party's
machine reading of 150 USGS *Mineral Commodity Summaries* chapters: for each year the
newest edition's world total and China (t REO), beside the British Geological Survey's
*World Mineral Statistics* for the same years (BGS world = the sum of the countries it
reports, counted in ``bgs_countries_reporting``). It is not a USGS file: the project
uses it only for the years no primary file covers with country detail, and labels it.
``reelib clean`` writes it, tidy, to the processed table ``production_compilers``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from reelib.exceptions import UnparseableValueError
from reelib.readers.decode import read_csv_text, read_text, require_columns
from reelib.readers.shapes import COMPILERS, shaped
from reelib.readers.values import non_negative_number
from reelib.sources.fetch import source_path
from reelib.sources.registry import edition_of

SOURCE_ID = "secondary-materials-atlas-usgs-bgs-rare-earths-2003-2024"
FILE = "usgs_vs_bgs_rare_earths_mine_2003_2024.csv"
#: file column -> (compiler, area ISO3-like code)
COLUMNS = {"usgs_world_t": ("USGS", "WLD"), "usgs_china_t": ("USGS", "CHN"),
           "bgs_world_t": ("BGS", "WLD"), "bgs_china_t": ("BGS", "CHN")}
COMPILER_NAMES = {"USGS": "USGS Mineral Commodity Summaries, newest edition per year",
             "BGS": "BGS World Mineral Statistics"}


def read_compilers(path: Path | None = None) -> pd.DataFrame:
    """One row per year, compiler and area: year, compiler, compiler_name, country_iso3,
    production_t, countries_reporting (BGS world rows), commodity and measure (as the
    USGS names them), source_id, edition.

    A year outside 1990-2030, a repeated year or a value that is not a non-negative number
    is an error naming the file, row, column and value.
    """
    path = path or source_path(SOURCE_ID, FILE)
    raw = read_csv_text(read_text(path, "utf-8"), path)
    require_columns(raw, ["year", *COLUMNS, "bgs_countries_reporting"], path)
    rows, seen = [], set()
    for i, r in enumerate(raw.to_dict("records"), start=2):  # row 1 is the header
        year = non_negative_number(r["year"], path, i, "year", integer=True)
        if not 1990 <= year <= 2030 or year in seen:
            raise UnparseableValueError(path, "year outside 1990-2030 or repeated", row=i,
                                        column="year", value=r["year"])
        seen.add(year)
        n_bgs = non_negative_number(r["bgs_countries_reporting"], path, i,
                                    "bgs_countries_reporting", integer=True)
        for column, (compiler, area) in COLUMNS.items():
            rows.append({"year": int(year), "compiler": compiler,
                         "compiler_name": COMPILER_NAMES[compiler], "country_iso3": area,
                         "production_t": non_negative_number(r[column], path, i, column),
                         "countries_reporting": int(n_bgs) if (compiler, area) == ("BGS", "WLD")
                         else pd.NA})
    return shaped(pd.DataFrame(rows).assign(
        commodity="Rare earths", measure="Mine production", source_id=SOURCE_ID,
        edition=edition_of(SOURCE_ID)), COMPILERS)
