"""Reader for BGS rare-earth oxide mine production by country, 1992-2024 (secondary).

``secondary-materials-atlas-bgs-rare-earths-by-country-1992-2024`` re-types the British
Geological Survey's *World Mineral Statistics* "rare earth oxides" block of a third party's
file: for each year the world total (BGS's sum of the countries it reports) and the up to
8 largest producers, in t REO, with the file's own shares. Where the listed producers add
up to less than the world total (1992-1994, 2018-2024: smaller producers cut), the gap is
kept as a residual row ("Other countries (not listed)"), never dropped or spread. BGS's
own notes: earlier editions tabulated rare earth *minerals*, and U.S. output from
stockpiles (about 2,000 t a year) is not counted.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from reelib.exceptions import SourceFormatError, UnknownCountryError, UnparseableValueError
from reelib.readers.decode import read_csv_text, read_text, require_columns
from reelib.readers.shapes import BGS_COUNTRIES, shaped
from reelib.readers.values import non_negative_number
from reelib.reference.countries import display_name
from reelib.sources.fetch import source_path
from reelib.sources.registry import edition_of

SOURCE_ID = "secondary-materials-atlas-bgs-rare-earths-by-country-1992-2024"
FILE = "bgs_rare_earth_oxides_by_country_1992_2024.csv"
COLUMNS = ["year", "iso3", "country", "tonnes_reo", "share", "world_tonnes_reo"]
#: the file lists 4 to 8 producers a year; fewer or more means a cut or a changed extract
LISTED = (4, 8)
#: its shares are rounded to 4 decimals
SHARE_TOLERANCE = 0.00051


def read_bgs_by_country(path: Path | None = None) -> pd.DataFrame:
    """One row per year and country (entity 'country'), the world total ('world', WLD) and
    the unlisted rest ('residual', XOT, where the world exceeds the listed sum): year,
    country, country_iso3, entity, production_t, country_published, source_id, edition.

    Errors name the file, row, column and value: a year outside 1990-2030, a code that is
    not a country, a world total that changes within a year, a share that does not equal
    tonnes / world, or a year with fewer than 4 or more than 8 producers.
    """
    path = path or source_path(SOURCE_ID, FILE)
    raw = read_csv_text(read_text(path, "utf-8"), path)
    require_columns(raw, COLUMNS, path)
    rows, world_of = [], {}
    for i, r in enumerate(raw.to_dict("records"), start=2):  # row 1 is the header
        year = non_negative_number(r["year"], path, i, "year", integer=True)
        if not 1990 <= year <= 2030:
            raise UnparseableValueError(path, "year outside 1990-2030", row=i, column="year",
                                        value=r["year"])
        iso3 = r["iso3"].strip()
        name = display_name(iso3) if len(iso3) == 3 and iso3.isupper() else iso3
        if name == iso3:
            raise UnknownCountryError(path, "not an ISO 3166 alpha-3 country code", row=i,
                                      column="iso3", value=r["iso3"],
                                      fix="add the code to src/reelib/reference/countries.yaml")
        tonnes = non_negative_number(r["tonnes_reo"], path, i, "tonnes_reo")
        world = non_negative_number(r["world_tonnes_reo"], path, i, "world_tonnes_reo")
        if world_of.setdefault(int(year), world) != world:
            raise SourceFormatError(path, f"the world total of {int(year)} changes within the "
                                    "year", row=i, column="world_tonnes_reo",
                                    value=r["world_tonnes_reo"])
        share = non_negative_number(r["share"], path, i, "share")
        if world <= 0 or abs(share - tonnes / world) > SHARE_TOLERANCE:
            raise SourceFormatError(path, f"share {share} is not tonnes / world "
                                    f"({tonnes:g} / {world:g})", row=i, column="share",
                                    value=r["share"])
        rows.append({"year": int(year), "country_iso3": iso3, "country": name,
                     "country_published": r["country"], "entity": "country",
                     "production_t": tonnes})
    df = pd.DataFrame(rows)
    counts = df.groupby("year").size()
    bad = counts[(counts < LISTED[0]) | (counts > LISTED[1])]
    if len(bad):
        raise SourceFormatError(path, f"{int(bad.iloc[0])} producers listed for "
                                f"{int(bad.index[0])}; the file lists {LISTED[0]}-{LISTED[1]} "
                                "a year", column="year", value=str(int(bad.index[0])))
    if df.duplicated(["year", "country_iso3"]).any():
        dup = df[df.duplicated(["year", "country_iso3"])].iloc[0]
        raise SourceFormatError(path, "a country listed twice in one year", column="iso3",
                                value=f"{dup['year']} {dup['country_iso3']}")
    listed = df.groupby("year")["production_t"].sum()
    extra = []
    for year, world in world_of.items():
        extra.append({"year": year, "country_iso3": "WLD", "country": "World",
                      "country_published": "world (BGS sum of reporting countries)",
                      "entity": "world", "production_t": world})
        rest = world - float(listed[year])
        if rest < -0.5:
            raise SourceFormatError(path, f"the listed producers of {year} add up to more "
                                    "than the world total", column="world_tonnes_reo",
                                    value=f"{float(listed[year]):g} > {world:g}")
        if rest > 0.5:
            extra.append({"year": year, "country_iso3": "XOT",
                          "country": "Other countries (not listed)",
                          "country_published": "world minus the listed producers",
                          "entity": "residual", "production_t": rest})
    out = pd.concat([df, pd.DataFrame(extra)], ignore_index=True).sort_values(
        ["year", "entity", "production_t"], ascending=[True, True, False], kind="mergesort")
    return shaped(out.assign(commodity="Rare earths", measure="Mine production",
                             compiler="BGS", source_id=SOURCE_ID,
                             edition=edition_of(SOURCE_ID)).reset_index(drop=True),
                  BGS_COUNTRIES)
