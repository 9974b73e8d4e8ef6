"""Reader for the BACI bilateral-trade extract of 32 critical materials, 2002-2024 (secondary).

``secondary-baci-critical-materials-trade-2002-2024`` holds, per year, one JSON file of flows
``{from, to, value[, qty]}`` per material: CEPII's BACI (UN Comtrade reconciled, values in
USD, FOB), one HS6 code per material (``crosswalk.json``: magnets = HS 850511, every metal
permanent magnet), HS02 to 2016 and HS17 from 2017, tonnes only in 2024.

The extract is **not complete**: for every importer it keeps its 6 largest suppliers and
for every exporter its 6 largest customers (the union), so sums fall below BACI's totals
and shares computed from it lean towards large flows. The 2002-2017 files lack Taiwan and
Namibia (an older builder dropped them): ``lacks_taiwan_namibia`` marks those years'
rows, and the table's description in the data package states the partner cut, so every
page computing a share from it can say so.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from reelib.exceptions import MissingColumnError, SourceFormatError, UnparseableValueError
from reelib.readers.decode import read_json
from reelib.readers.shapes import TRADE_FLOWS, shaped
from reelib.reference.countries import iso3_codes
from reelib.sources.fetch import source_path
from reelib.sources.registry import edition_of

SOURCE_ID = "secondary-baci-critical-materials-trade-2002-2024"
CROSSWALK = "crosswalk.json"
YEARS = range(2002, 2025)
#: flows per material and year in the extract; fewer means a cut file
MIN_FLOWS_PER_YEAR = 10_000
#: the years whose files the older builder made without Taiwan and Namibia
WITHOUT_TWN_NAM = range(2002, 2018)
_VINTAGE = re.compile(r"\bBACI (HS\d\d) (V\d{6})\b")


def read_crosswalk(path: Path | None = None) -> pd.DataFrame:
    """material, hs_code (the one code the flows use: ``title_code``), ore and refined codes
    (space-separated) and the extract's flags."""
    path = path or source_path(SOURCE_ID, CROSSWALK)
    doc = read_json(path)
    if not isinstance(doc, dict) or not doc:
        raise SourceFormatError(path, "expected an object of materials")
    rows = []
    for material, entry in doc.items():
        for key in ("ore_hs", "refined_hs", "title_code", "flags"):
            if key not in entry:
                raise MissingColumnError(path, f"material {material!r} lacks {key!r}",
                                         row=material, column=key)
        code = str(entry["title_code"])
        if not re.fullmatch(r"\d{6}", code):
            raise UnparseableValueError(path, "title_code is not an HS6 code", row=material,
                                        column="title_code", value=code)
        rows.append({"material": material, "hs_code": code,
                     "ore_hs": " ".join(entry["ore_hs"]),
                     "refined_hs": " ".join(entry["refined_hs"]),
                     "flags": " ".join(entry["flags"])})
    return pd.DataFrame(rows).astype("string")


def read_flows_year(path: Path, codes: dict[str, str]) -> pd.DataFrame:
    """One year's flows: year, material, hs_code, exporter/importer ISO3, value_usd,
    quantity_t (2024 only), hs_vintage. Errors name the file, material and flow."""
    doc = read_json(path)
    for key in ("year", "source", "materials"):
        if not isinstance(doc, dict) or key not in doc:
            raise MissingColumnError(path, f"no {key!r} in the file", column=key)
    match = _VINTAGE.search(str(doc["source"]))
    if not match:
        raise SourceFormatError(path, "'source' names no BACI HS vintage and release",
                                column="source", value=doc["source"])
    unknown = sorted(set(doc["materials"]) - set(codes))
    if unknown:
        raise SourceFormatError(path, "material not in the crosswalk", column="materials",
                                value=unknown[0])
    # one pass over the records into flat columns: a frame per material (32 a year) cost
    # pandas' per-call overhead 736 times a clean
    cols: dict[str, list] = {"material": [], "from": [], "to": [], "value": [], "qty": []}
    for material, flows in doc["materials"].items():
        for i, rec in enumerate(flows):
            missing = [c for c in ("from", "to", "value") if c not in rec]
            if missing:
                raise MissingColumnError(path, f"{material} flow {i} lacks {missing[0]!r}",
                                         row=f"{material} flow {i}", column=missing[0])
        cols["material"] += [material] * len(flows)
        cols["from"] += [rec["from"] for rec in flows]
        cols["to"] += [rec["to"] for rec in flows]
        cols["value"] += [rec["value"] for rec in flows]
        cols["qty"] += [rec.get("qty") for rec in flows]
    df = pd.DataFrame(cols)
    if len(df) < MIN_FLOWS_PER_YEAR:
        raise SourceFormatError(path, f"{len(df)} flows; every year of the extract has more "
                                f"than {MIN_FLOWS_PER_YEAR:,} (a cut file?)",
                                fix="re-fetch it: `reelib fetch` checks the sha256")
    value = pd.to_numeric(df["value"], errors="coerce")
    if value.isna().any() or (value < 0).any():
        i = int((value.isna() | (value < 0)).idxmax())
        raise UnparseableValueError(path, "trade value is not a non-negative number",
                                    row=f"{df['material'][i]} flow {i}", column="value",
                                    value=df["value"][i])
    qty = pd.to_numeric(df["qty"], errors="coerce")
    out = pd.DataFrame({
        "year": int(doc["year"]), "material": df["material"],
        "hs_code": df["material"].map(codes),
        "exporter_iso3": iso3_codes(df["from"], "iso2", file=path, column="from"),
        "importer_iso3": iso3_codes(df["to"], "iso2", file=path, column="to"),
        "value_usd": value, "quantity_t": qty,
        "hs_vintage": match.group(1), "file": Path(path).name,
    })
    if (out["exporter_iso3"] == out["importer_iso3"]).any():
        i = int((out["exporter_iso3"] == out["importer_iso3"]).idxmax())
        raise SourceFormatError(path, "a flow from a country to itself", column="from/to",
                                value=f"{out['material'][i]} {out['exporter_iso3'][i]}")
    dup = out.duplicated(["material", "exporter_iso3", "importer_iso3"])
    if dup.any():
        r = out[dup].iloc[0]
        raise SourceFormatError(path, "a flow listed twice", column="from/to",
                                value=f"{r['material']} {r['exporter_iso3']}->"
                                      f"{r['importer_iso3']}")
    return out


def read_baci(raw_dir: Path | None = None) -> pd.DataFrame:
    """Every year 2002-2024 into one flows table (one row per material, year, exporter and
    importer); ``lacks_taiwan_namibia`` marks the years the older builder made."""
    crosswalk = read_crosswalk(raw_dir / CROSSWALK if raw_dir else None)
    codes = dict(zip(crosswalk["material"], crosswalk["hs_code"]))
    frames = []
    for year in YEARS:
        name = f"flows_{year}.json"
        path = raw_dir / name if raw_dir else source_path(SOURCE_ID, name)
        frame = read_flows_year(path, codes)
        if int(frame["year"].iloc[0]) != year:
            raise SourceFormatError(path, f"the file holds year {frame['year'].iloc[0]}",
                                    column="year", value=frame["year"].iloc[0])
        frames.append(frame)
    df = pd.concat(frames, ignore_index=True)
    df["lacks_taiwan_namibia"] = df["year"].isin(list(WITHOUT_TWN_NAM))
    return shaped(df.assign(source_id=SOURCE_ID, edition=edition_of(SOURCE_ID)), TRADE_FLOWS)
