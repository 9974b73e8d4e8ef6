"""Reader for the IEA Critical Minerals dataset extract (GCMO 2025, base year 2024).

``supply[<mineral>][mining|refining]`` holds production by country in kt for 2024 and the
base case for 2030, 2035 and 2040, a total and the top-3 share. For "Rare Earth
Elements" this covers the magnet rare earths (Nd, Pr, Dy, Tb). Two note sentences were
parsed into the country list with null values by the extraction; they are dropped here
(and only such null-valued long labels may be dropped, so real rows cannot vanish).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from reelib.exceptions import MissingColumnError, SourceFormatError
from reelib.readers.decode import read_json
from reelib.readers.shapes import SUPPLY_STAGES, shaped
from reelib.sources.fetch import source_path
from reelib.sources.registry import edition_of

SOURCE_ID = "iea-critical-minerals-dataset-2025-extract"
FILE = "iea.json"
#: The IEA's label for the rare earths in its supply tables, and what it covers.
RARE_EARTHS = "Rare Earth Elements"
RARE_EARTHS_SCOPE = "magnet rare earths (Nd, Pr, Dy, Tb)"


def _is_note(label: str, values: dict) -> bool:
    return all(v is None for v in values.values()) and len(label) > 60


def read_iea_supply(path: Path | None = None) -> pd.DataFrame:
    """Return IEA supply by mineral, stage (mining/refining), country and year, in kt.

    ``scenario`` is 'reported' for 2024 and 'base case' for the projections; the IEA's own
    total and top-3 share are kept on every row so they can be checked against the sum.
    """
    path = path or source_path(SOURCE_ID, FILE)
    doc = read_json(path)
    if "supply" not in doc:
        raise MissingColumnError(path, "no 'supply' section", column="supply")
    rows = []
    for mineral, stages in doc["supply"].items():
        for stage, block in stages.items():
            for key in ("countries", "total", "top3Share"):
                if key not in block:
                    raise MissingColumnError(path, f"supply/{mineral}/{stage} lacks {key!r}",
                                             column=key)
            for country, series in block["countries"].items():
                if _is_note(country, series):
                    continue
                for year, value in series.items():
                    if value is not None and not isinstance(value, (int, float)):
                        raise SourceFormatError(path, "not a number",
                                                row=f"{mineral}/{stage}/{country}", column=year,
                                                value=value)
                    rows.append(dict(
                        mineral=mineral, stage=stage, country=country.strip(), year=int(year),
                        scenario="reported" if int(year) <= 2024 else "base case",
                        production_kt=value, iea_total_kt=block["total"].get(year),
                        iea_top3_share_pct=(100 * block["top3Share"][year]
                                            if block["top3Share"].get(year) is not None
                                            else None),
                    ))
    df = pd.DataFrame(rows).assign(
        source_id=SOURCE_ID, edition=edition_of(SOURCE_ID), file=FILE,
        scope=lambda d: d["mineral"].map({RARE_EARTHS: RARE_EARTHS_SCOPE}).fillna(d["mineral"]))
    return shaped(df, SUPPLY_STAGES)
