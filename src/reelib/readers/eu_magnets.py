"""Reader for EU imports of sintered NdFeB magnets (CN 85051110) by origin, 2023-2025.

``secondary-materials-atlas-eu-magnet-imports-2023-2025`` re-types a third party's extract of
Eurostat Comext: EU-27 extra-EU imports of CN 85051110 (the clean NdFeB magnet code), the 8
largest origins a year with EUR value and tonnes, and each year's totals (2025 provisional).
The listed origins fall short of the totals; the gap is kept as a residual row ("Other
origins (not listed)"), never dropped. This is the EU's import market only, not world
production or trade.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from reelib.exceptions import SourceFormatError
from reelib.readers.decode import read_csv_text, read_json, read_text, require_columns
from reelib.readers.shapes import EU_IMPORTS, shaped
from reelib.readers.values import non_negative_number
from reelib.reference.countries import iso3_codes
from reelib.sources.fetch import source_path
from reelib.sources.registry import edition_of

SOURCE_ID = "secondary-materials-atlas-eu-magnet-imports-2023-2025"
FILE = "eu_imports_cn85051110_by_origin.csv"
NOTES = "eu_imports_cn85051110_notes.json"
COLUMNS = ["year", "origin", "value_eur", "tonnes", "value_share", "total_eur", "total_tonnes"]
ORIGINS_PER_YEAR = 8
#: shares are printed to 4 decimals
SHARE_TOLERANCE = 0.00051


def provisional_years(path: Path | None = None) -> list[int]:
    """Years the notes call provisional (the latest: 2025)."""
    doc = read_json(path or source_path(SOURCE_ID, NOTES))
    coverage = str(doc.get("coverage", "")) if isinstance(doc, dict) else ""
    years = [int(s["year"]) for s in doc.get("series", [])] if isinstance(doc, dict) else []
    return [max(years)] if "latest year provisional" in coverage and years else []


def read_eu_magnet_imports(path: Path | None = None, notes: Path | None = None
                           ) -> pd.DataFrame:
    """One row per year and origin (entity 'country'), the year's total ('world': all
    origins, WLD) and the unlisted rest ('residual', XOT): value_eur, quantity_t."""
    path = path or source_path(SOURCE_ID, FILE)
    raw = read_csv_text(read_text(path, "utf-8"), path)
    require_columns(raw, COLUMNS, path)
    rows, totals = [], {}
    for i, r in enumerate(raw.to_dict("records"), start=2):
        year = int(non_negative_number(r["year"], path, i, "year", integer=True))
        value = non_negative_number(r["value_eur"], path, i, "value_eur")
        tonnes = non_negative_number(r["tonnes"], path, i, "tonnes")
        total = (non_negative_number(r["total_eur"], path, i, "total_eur"),
                 non_negative_number(r["total_tonnes"], path, i, "total_tonnes"))
        if totals.setdefault(year, total) != total:
            raise SourceFormatError(path, f"the totals of {year} change within the year",
                                    row=i, column="total_eur", value=r["total_eur"])
        share = non_negative_number(r["value_share"], path, i, "value_share")
        if abs(share - value / total[0]) > SHARE_TOLERANCE:
            raise SourceFormatError(path, f"value_share {share} is not value / total",
                                    row=i, column="value_share", value=r["value_share"])
        rows.append({"year": year, "origin_iso2": r["origin"].strip(), "row": i,
                     "value_eur": value, "quantity_t": tonnes})
    df = pd.DataFrame(rows)
    df["origin_iso3"] = iso3_codes(df["origin_iso2"].set_axis(df["row"]), "iso2", file=path,
                                   column="origin").to_numpy()
    counts = df.groupby("year").size()
    if (counts != ORIGINS_PER_YEAR).any():
        year = int(counts[counts != ORIGINS_PER_YEAR].index[0])
        raise SourceFormatError(path, f"{int(counts[year])} origins listed for {year}; the "
                                f"extract lists {ORIGINS_PER_YEAR}", column="year", value=year)
    if df.duplicated(["year", "origin_iso3"]).any():
        r = df[df.duplicated(["year", "origin_iso3"])].iloc[0]
        raise SourceFormatError(path, "an origin listed twice in one year", row=int(r["row"]),
                                column="origin", value=r["origin_iso2"])
    listed = df.groupby("year")[["value_eur", "quantity_t"]].sum()
    extra = []
    for year, (eur, tonnes) in totals.items():
        rest_eur, rest_t = eur - listed.loc[year, "value_eur"], tonnes - listed.loc[year,
                                                                                  "quantity_t"]
        if rest_eur < -1 or rest_t < -0.5:
            raise SourceFormatError(path, f"the listed origins of {year} exceed the total",
                                    column="total_eur", value=eur)
        extra += [{"year": year, "origin_iso3": "WLD", "entity": "world",
                   "value_eur": eur, "quantity_t": tonnes},
                  {"year": year, "origin_iso3": "XOT", "entity": "residual",
                   "value_eur": rest_eur, "quantity_t": max(rest_t, 0.0)}]
    provisional = provisional_years(notes or path.with_name(NOTES))
    out = pd.concat([df.assign(entity="country"), pd.DataFrame(extra)], ignore_index=True)
    out = out.assign(is_provisional=out["year"].isin(provisional),
                     reporter="EU-27 (extra-EU imports)", cn_code="85051110",
                     source_id=SOURCE_ID, edition=edition_of(SOURCE_ID))
    out = out.sort_values(["year", "entity", "value_eur"], ascending=[True, True, False],
                          kind="mergesort")
    return shaped(out, EU_IMPORTS)
