"""Reader for the World Bank governance scores (WGI mean, latest year per economy; secondary).

``secondary-wgi-governance-mean-latest/wgi.json`` gives, for each of about 200 economies
(ISO2), the mean of the six Worldwide Governance Indicators estimates (each about -2.5 to
+2.5, higher = better governance) in the latest year 2015-2024 with at least four of the six.
One year per economy: it cannot be matched to the year of older production or trade.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from reelib.exceptions import MissingColumnError, SourceFormatError, UnparseableValueError
from reelib.readers.decode import read_json
from reelib.readers.shapes import GOVERNANCE, shaped
from reelib.reference.countries import iso3_codes
from reelib.sources.fetch import source_path
from reelib.sources.registry import edition_of

SOURCE_ID = "secondary-wgi-governance-mean-latest"
FILE = "wgi.json"
#: the WGI estimates are standard-normal units, about -2.5 to 2.5
RANGE = (-2.5, 2.5)
MIN_ECONOMIES = 190


def read_wgi(path: Path | None = None) -> pd.DataFrame:
    """country_iso3, wgi_mean (the mean of the six estimates), source_id, edition."""
    path = path or source_path(SOURCE_ID, FILE)
    doc = read_json(path)
    if not isinstance(doc, dict) or not isinstance(doc.get("wgi"), dict):
        raise MissingColumnError(path, "no 'wgi' object of scores", column="wgi")
    scores = doc["wgi"]
    if len(scores) < MIN_ECONOMIES:
        raise SourceFormatError(path, f"{len(scores)} economies; the file has more than "
                                f"{MIN_ECONOMIES}", column="wgi", value=len(scores),
                                fix="re-fetch it: `reelib fetch` checks the sha256")
    codes = pd.Series(list(scores), index=list(scores), dtype="string")
    values = pd.to_numeric(pd.Series(list(scores.values()), index=list(scores)),
                           errors="coerce")
    bad = values.isna() | ~values.between(*RANGE)
    if bad.any():
        raise UnparseableValueError(path, f"score outside {RANGE[0]}..{RANGE[1]}",
                                    row=str(values.index[bad.argmax()]), column="wgi",
                                    value=scores[values.index[bad.argmax()]])
    df = pd.DataFrame({"country_iso3": iso3_codes(codes, "iso2", file=path,
                                                  column="wgi").to_numpy(),
                       "country_iso2": codes.to_numpy(), "wgi_mean": values.to_numpy()})
    if df["country_iso3"].duplicated().any():
        raise SourceFormatError(path, "two codes name one economy", column="wgi",
                                value=df.loc[df["country_iso3"].duplicated(), "country_iso2"]
                                .iloc[0])
    return shaped(df.assign(source_id=SOURCE_ID, edition=edition_of(SOURCE_ID),
                            score_year="latest 2015-2024 with at least 4 of the 6"),
                  GOVERNANCE)
