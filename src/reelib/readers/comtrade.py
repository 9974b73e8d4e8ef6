"""Reader for UN Comtrade: China's imports of HS 2846 (rare-earth compounds) by origin.

One JSON file per year (public preview API responses, 1993-2024): CIF values in USD, net
weight in kg (often estimated by Comtrade), a ``World`` partner, so shares are of world
imports. These are China's imports, not its exports.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from reelib.exceptions import MissingColumnError, SourceFormatError, TruncatedFileError
from reelib.readers.decode import read_json
from reelib.readers.shapes import shaped, TRADE
from reelib.sources.fetch import source_path
from reelib.sources.registry import edition_of, load_registry

COMTRADE_ID = "un-comtrade-china-imports-hs2846"

_COMTRADE_FIELDS = ["refYear", "reporterISO", "reporterDesc", "flowCode", "partnerISO",
                    "partnerDesc", "classificationCode", "cmdCode", "cmdDesc", "primaryValue",
                    "netWgt", "isNetWgtEstimated", "qtyUnitAbbr", "qty", "partner2Code",
                    "customsCode", "motCode"]


def read_comtrade_year(path: Path) -> pd.DataFrame:
    """Read one Comtrade preview API response (one year) into trade rows."""
    doc = read_json(path)
    if not isinstance(doc, dict) or "data" not in doc:
        raise MissingColumnError(path, "no 'data' list in the API response", column="data")
    if doc.get("error"):
        raise SourceFormatError(path, "the API response reports an error", value=doc["error"])
    data = doc["data"]
    if doc.get("count") is not None and doc["count"] != len(data):
        raise TruncatedFileError(path, f"'count' says {doc['count']} records, file has "
                                 f"{len(data)}")
    rows = []
    for i, rec in enumerate(data):
        missing = [f for f in _COMTRADE_FIELDS if f not in rec]
        if missing:
            raise MissingColumnError(path, f"record {i} lacks {missing[0]!r}", row=i,
                                     column=missing[0])
        if (rec["flowCode"], rec["cmdCode"], rec["partner2Code"], rec["customsCode"],
                rec["motCode"]) != ("M", "2846", 0, "C00", 0):
            raise SourceFormatError(path, "record is not an all-modes, all-customs import of "
                                    "HS 2846", row=i, column="flowCode/cmdCode",
                                    value=(rec["flowCode"], rec["cmdCode"]))
        weight = rec["netWgt"]
        if weight is None and rec["qtyUnitAbbr"] == "kg":
            weight = rec["qty"]
        rows.append(dict(
            year=rec["refYear"], reporter_iso3=rec["reporterISO"], reporter=rec["reporterDesc"],
            flow="import", partner=rec["partnerDesc"].strip(),
            partner_code_source=rec["partnerISO"].strip(),
            classification=rec["classificationCode"], hs_code=rec["cmdCode"],
            hs_description=rec["cmdDesc"], value_usd=rec["primaryValue"],
            quantity_kg=weight, value_usd_kg_measured=rec["primaryValue"] if weight else None,
            is_quantity_estimated=bool(rec["isNetWgtEstimated"]),
        ))
    return pd.DataFrame(rows).assign(
        source_id=COMTRADE_ID, edition=edition_of(COMTRADE_ID),
        file=Path(path).name, period="annual", value_basis="CIF",
        is_quantity_suppressed=False, partner_scope="all partners of origin, plus World")


def read_comtrade(raw_dir: Path | None = None) -> pd.DataFrame:
    """Read every registered Comtrade year file (1993-2024) into one trade frame."""
    source = load_registry()[COMTRADE_ID]
    frames = []
    for sf in source.files:
        if not re.fullmatch(r"\d{4}\.json", sf.name):
            continue  # manifest.json and publication_metadata.json are not trade rows
        path = raw_dir / sf.name if raw_dir else source_path(COMTRADE_ID, sf.name)
        frames.append(read_comtrade_year(path))
    return shaped(pd.concat(frames, ignore_index=True), TRADE)
