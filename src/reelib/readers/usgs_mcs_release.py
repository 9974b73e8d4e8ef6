"""Reader for the USGS Mineral Commodity Summaries data releases, one file per commodity
(registry ``format: usgs-mcs-data-release``; MCS 2022, 2023 and 2024 so far).

Each ``world/mcsYYYY-<code>_world.csv`` holds one row per country and printed measure.
Nothing in the file is trusted by position or by edition:

* the **commodity** comes from the file's code through ``reference/usgs_commodity_codes.csv``;
* the **statistic, unit, year and estimate mark** come from each field name
  (``Prod_kt_est_2022``, ``Reserves_kt``, ``Prod_Sponge_t_Est_2023``): the unit token goes
  through ``reference/usgs_field_units.csv`` (USGS changed units in field names after
  release, so the field, not the edition, gives the unit); ``Cap_`` (capacity) fields are
  not read;
* the **measure and form** come from the printed ``Type`` text through the reviewed
  mapping ``reference/usgs_measures.csv`` (the same mapping the long-format reader uses);
  a blank, ``NA`` or ``XX`` Type continues the measure of the row above, as the printed
  table does; a field whose printed unit is wrong is corrected from
  ``reference/usgs_unit_corrections.csv``, with the evidence;
* **country cells** go through ``reference.countries.split_country_label``: footnote
  digits, a glued ``e`` and a bracketed form become flags, never part of the name.

An unmapped commodity code, unit token or Type stops the clean with
``UnmappedTextError`` naming the file, row, field and the line to add.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from reelib.exceptions import SourceFormatError, UnmappedTextError
from reelib.readers.decode import read_csv_text, read_text, require_columns
from reelib.readers.measures import (commodity_of_code, correct_units, files_not_read,
                                     map_measures, measure_table, unit_of_token)
from reelib.readers.shapes import OBSERVATIONS, PRICES, SALIENT, TONNES_PER_UNIT, shaped
from reelib.readers.values import parse_value
from reelib.reference.countries import split_country_label
from reelib.sources.fetch import source_files
from reelib.sources.registry import Source

FORMAT = "usgs-mcs-data-release"
_FILE_RE = re.compile(r"(?:^|/)mcs(?P<edition>\d{4})-(?P<code>[a-z-]+)_world\.csv$", re.IGNORECASE)
_FIELD_RE = re.compile(r"^(?P<stat>Prod|Reserves|Cap)(?:_(?P<qual>.+?))??_(?P<unit>[A-Za-z0-9]+?)"
                       r"(?:_(?P<est>[Ee]st))?(?:_(?P<year>\d{4}))?$")
_STATISTIC = {"Prod": "production", "Reserves": "reserves"}  # Cap: capacity, not read
_NO_TYPE = {"", "NA", "XX"}
_ESTIMATE_PREFIX = re.compile(r"^e(?=\d)")


def parse_field(name: str) -> dict | None:
    """The statistic, qualifier, unit token, estimate mark and year of a value field, or
    None for a field that holds no values (Source, Country, Type, notes, empty).

    >>> parse_field("Prod_kt_est_2022")
    {'stat': 'Prod', 'qual': None, 'unit': 'kt', 'est': 'est', 'year': '2022'}
    >>> parse_field("Reserves_ore_K2O_equiv_kt")["qual"]
    'ore_K2O_equiv'
    """
    if name.endswith(("notes", "note")) or name in ("Source", "Country", "Type"):
        return None
    m = _FIELD_RE.match(name.strip())
    return m.groupdict() if m else None


def _named_file(path: Path, file_name: str, pattern: re.Pattern, kind: str
                ) -> tuple[re.Match, str, pd.DataFrame]:
    """(name match, commodity, raw cells) of a release file named ``mcsYYYY-<code>_<kind>``."""
    m = pattern.search(file_name)
    if not m:
        raise SourceFormatError(path, f"file name is not mcsYYYY-<code>_{kind}.csv",
                                value=file_name)
    commodity = commodity_of_code(m.group("code").lower(), file=path)
    return m, commodity, read_csv_text(read_text(path, "utf-8-sig"), path)


def _pick(paths: list[Path], source_id: str, pattern: str) -> list[Path]:
    """The paths among ``paths`` whose name below the source folder matches ``pattern``."""
    import fnmatch

    return [p for p in paths if fnmatch.fnmatch(_relative(p, source_id), pattern)]


def _world_rows(path: Path, file_name: str) -> list[dict]:
    """The value cells of one ``_world.csv``, one dict per cell, before mapping."""
    m, commodity, raw = _named_file(path, file_name, _FILE_RE, "world")
    raw = raw.loc[:, [c for c in raw.columns if c.strip() and not c.startswith("Unnamed")]]
    require_columns(raw, ["Country"], path)
    # the measure text sits in 'Type'; one MCS 2024 file prints a Type value as its header
    type_col = "Type" if "Type" in raw.columns else raw.columns[2]
    if parse_field(type_col) is not None:
        raise SourceFormatError(path, "no measure column (Type) before the value fields",
                                column=type_col, fix="check the file's layout")
    fields = {c: parse_field(c) for c in raw.columns}
    unknown = [c for c, f in fields.items()
               if f is None and c not in ("Source", "Country", type_col)
               and not c.lower().endswith(("notes", "note"))]
    if unknown:
        raise SourceFormatError(path, "unrecognised field name", column=unknown[0],
                                value=unknown[0], fix="a value field reads "
                                "Prod|Reserves|Cap[_qualifier]_<unit>[_est][_YYYY]")
    value_fields = {c: f for c, f in fields.items() if f and f["stat"] in _STATISTIC}
    year_of_reserves = int(m.group("edition")) - 1  # MCS YYYY reports reserves at YYYY-1
    rows, measure_text = [], ""
    for i, r in enumerate(raw.to_dict("records")):
        country_cell = str(r["Country"]).strip()
        if not country_cell:
            continue
        printed = str(r[type_col]).strip()
        measure_text = measure_text if printed in _NO_TYPE else printed
        name, name_est, footnotes, country_form = split_country_label(country_cell)
        name = re.sub(r"\s*\(rounded\)$", "", name)  # 'World total (rounded)': a flag
        for col, f in value_fields.items():
            cell = str(r[col]).strip()
            statistic = _STATISTIC[f["stat"]]
            if statistic == "reserves" and cell == "":
                continue  # a file with no reserves for this row
            est_prefix = bool(_ESTIMATE_PREFIX.match(cell))
            p = parse_value(_ESTIMATE_PREFIX.sub("", cell), file=path, row=int(i) + 2,
                            column=col)
            notes = str(r.get("Reserves_notes" if statistic == "reserves" else
                              ("Prod_notes" if "Prod_notes" in raw.columns else "Prod_note"),
                              "") or "").strip()
            rows.append(dict(
                source_row=int(i) + 2, statistic=statistic,
                printed=measure_text if statistic == "production" else
                _reserves_text(commodity, measure_text, f["qual"] or ""),
                field=col, unit_token=f["unit"], country=name, country_form=country_form,
                year=int(f["year"]) if f["year"] else year_of_reserves,
                value=p.value, value_low=p.low, value_high=p.high, qualifier=p.qualifier,
                value_raw=cell, is_estimate=bool(f["est"]) or name_est or est_prefix,
                notes="; ".join([notes] + [f"footnote {x}" for x in footnotes]).strip("; "),
                is_rounded="rounded" in country_cell.lower(), commodity=commodity,
                file=file_name, path=str(path)))
    return rows


def _observations(rows: list[dict], source: Source) -> pd.DataFrame:
    """Cells of a release's world files as observations: mapped, one reserves cell per
    country, mass units only."""
    if not rows:
        return shaped(pd.DataFrame(columns=list(OBSERVATIONS)), OBSERVATIONS)
    df = pd.DataFrame(rows).assign(source_id=source.id, edition=source.edition)
    df = map_measures(df, FORMAT, file=df["path"])
    path = df["path"]
    df["unit_original"] = [unit_of_token(tok, file=where, field=fld)
                           for tok, fld, where in zip(df["unit_token"], df["field"], path)]
    df = correct_units(df)
    df["form"] = [", ".join(x for x in (a, b) if x) for a, b in zip(df["form"],
                                                                      df["country_form"])]
    df = _one_reserves_cell(df)
    # carats and cubic metres are not masses: left out of the tonnage tables, as the
    # long-format reader does
    df = df[df["unit_original"].isin(list(TONNES_PER_UNIT))]
    return shaped(df.assign(is_reported=False, is_revised=False), OBSERVATIONS)


def read_world_file(path: Path, source: Source, file_name: str) -> pd.DataFrame:
    """One ``_world.csv`` as observations (production by year, reserves), every value
    field of every row, mapped by meaning."""
    return _observations(_world_rows(path, file_name), source)


def _reserves_text(commodity: str, measure_text: str, qualifier: str) -> str:
    """The mapping key of a reserves cell: the row's Type where the mapping lists it for
    reserves (iron ore prints crude-ore reserves on the usable-ore row and iron-content
    reserves on the iron-content row), else the field's qualifier ('' or 'ore')."""
    typed = (FORMAT, commodity, "reserves", measure_text)
    return measure_text if typed in measure_table() else qualifier


def _one_reserves_cell(df: pd.DataFrame) -> pd.DataFrame:
    """Reserves are printed on every row of a country (one row per product or form): the
    country's reserves are its one cell. An ``XX`` or ``NA`` cell beside a real one
    and a repeat of the same printed value collapse into it; two different values stay,
    and the table's key check stops the clean on them."""
    res = df["statistic"] == "reserves"
    r = df[res]
    key = ["commodity", "measure", "country", "year"]
    missing = r["qualifier"].isin(["not_applicable", "not_available"])
    has_real = (~missing).groupby([r[k] for k in key]).transform("any")
    r = r[~(missing & has_real)]
    r = r.drop_duplicates([*key, "value_raw"])
    return pd.concat([df[~res], r]).sort_values(["source_row", "field"],
                                                kind="mergesort").reset_index(drop=True)


def read_data_release(source: Source) -> dict[str, pd.DataFrame]:
    """Everything the project reads from a data release -- observations, net import
    reliance, rare-earth prices -- with the release's files verified once."""
    paths = source_files(source.id)
    return {"observations": read_release(source, paths),
            "indicators": read_release_salient(source, paths),
            "prices": read_release_prices(source, paths)}


def read_release(source: Source, paths: list[Path] | None = None) -> pd.DataFrame:
    """Every world file of a data release, as observations (``paths``: the release's
    verified files, fetched when not given)."""
    paths = _pick(paths if paths is not None else source_files(source.id), source.id,
                  "*_world.csv")
    if not paths:
        raise SourceFormatError(source.id, "no *_world.csv files in the release",
                                fix="check the entry's SHA256SUMS")
    rows = [cell for p in paths for cell in _world_rows(p, _relative(p, source.id))]
    return _observations(rows, source)


def _relative(path: Path, source_id: str) -> str:
    """The path of a raw file below its source folder ('world/x.csv')."""
    parts = path.parts
    return "/".join(parts[len(parts) - 1 - parts[::-1].index(source_id) + 1:])


# --- U.S. salient statistics: net import reliance per edition ------------------------

# one MCS 2023 file is named without the dash ('mcs2023tellu_salient.csv')
_SALIENT_FILE_RE = re.compile(r"(?:^|/)mcs(?P<edition>\d{4})-?(?P<code>[a-z-]+)_salient\.csv$",
                              re.IGNORECASE)
_NIR_SUFFIXES = ("_pct", "pct", "_ct", "_t")  # 'NIR_Refinedpct' lacks its underscore


def nir_item(field: str) -> str | None:
    """The item a net-import-reliance field stands for, or None for another field.

    USGS gives net import reliance in percent of apparent consumption whatever the
    field's suffix (``NIR_Compounds-Metals_t`` holds percentages too).

    >>> nir_item("NIR_pct"), nir_item("NIR_Platinum_pct"), nir_item("Price_LME_ctslb")
    ('Net import reliance', 'Net import reliance: Platinum', None)
    """
    name = field.strip()
    suffix = next((s for s in _NIR_SUFFIXES if name.endswith(s)), None)
    if not name.startswith("NIR") or suffix is None:
        return None
    qual = name[: -len(suffix)][3:].replace("NIR", "").strip("_")
    return f"Net import reliance: {qual.replace('_', ' ')}" if qual else "Net import reliance"


def _salient_rows(path: Path, file_name: str) -> list[dict]:
    _, commodity, raw = _named_file(path, file_name, _SALIENT_FILE_RE, "salient")
    require_columns(raw, ["Year"], path)
    table = measure_table()  # an item worded as the long format words it, where reviewed
    fields = {c: table.get((FORMAT, commodity, "net import reliance", c.strip()),
                           {"measure": nir_item(c)})["measure"]
              for c in raw.columns if nir_item(c)}
    years = pd.to_numeric(raw["Year"].str.strip(), errors="coerce")
    last = years.max()
    rows = []
    for i, r in enumerate(raw.to_dict("records")):
        if pd.isna(years.iloc[i]):
            continue
        for col, item in fields.items():
            cell = str(r[col]).strip()
            # the column is a percentage: '>50%' prints the unit the field already says
            p = parse_value(cell.removesuffix("%").strip(), file=path, row=i + 2, column=col)
            rows.append(dict(
                source_row=i + 2, file=file_name, chapter=commodity.upper(),
                statistic="Net import reliance", item=item, country="United States",
                year=int(years.iloc[i]), year_label=str(r["Year"]).strip(), value=p.value,
                value_low=p.low, value_high=p.high, qualifier=p.qualifier, value_raw=cell,
                unit_original="percent",
                # MCS prints its last year as an estimate ('2023e'); the CSV drops the 'e'
                is_estimate=bool(years.iloc[i] == last), commodity=commodity,
                sub_commodity=commodity))
    return rows


def read_release_salient(source: Source, paths: list[Path] | None = None) -> pd.DataFrame:
    """U.S. net import reliance by year from every ``_salient.csv`` of a release, in the
    salient-statistics columns plus ``commodity`` and ``sub_commodity`` (the shape of
    ``us_indicators``). Files ``reference/usgs_release_files_not_read.csv`` lists (three
    MCS 2024 salient files that hold a world table instead) are skipped, with the reason
    there; two MCS 2023 salient files are published as .xlsx only and are not read."""
    paths = _pick(paths if paths is not None else source_files(source.id), source.id,
                  "*_salient.csv")
    skip = files_not_read(source.id)
    names = {_relative(p, source.id) for p in paths}
    missing = sorted(set(skip) - names)
    if missing:
        raise SourceFormatError(source.id, "a file listed as not read is not in the release",
                                value=missing[0], fix="update reference/"
                                "usgs_release_files_not_read.csv")
    rows = [cell for p in paths if _relative(p, source.id) not in skip
            for cell in _salient_rows(p, _relative(p, source.id))]
    if not rows:
        return pd.DataFrame()
    df = pd.DataFrame(rows).assign(source_id=source.id, edition=source.edition,
                                   correction_id="", notes="")
    out = shaped(df, SALIENT)
    return out.assign(commodity=df["commodity"].astype("string").to_numpy(),
                      sub_commodity=df["sub_commodity"].astype("string").to_numpy())


# --- rare-earth prices per edition, read by the publisher's own field definitions ---------

_PRICE_DEF = re.compile(r"^Price:\s*Average, dollars per kilogram:\s*(?P<product>.+?)\."
                        r"\s*Source:\s*(?P<source>.+?)\.(?:\s|$)")


def field_definitions(meta: Path) -> dict[str, str]:
    """``{field: definition}`` from a file's FGDC metadata (``attrlabl``/``attrdef``)."""
    import xml.etree.ElementTree as ET

    try:
        root = ET.parse(meta).getroot()
    except ET.ParseError as exc:
        raise SourceFormatError(meta, f"metadata is not valid XML ({exc})") from exc
    return {(a.findtext("attrlabl") or "").strip(): " ".join((a.findtext("attrdef") or "")
                                                             .split())
            for a in root.iter("attr")}


def read_release_prices(source: Source, paths: list[Path] | None = None) -> pd.DataFrame:
    """Annual rare-earth oxide prices (USD/kg) of a release's rare-earth salient file.

    Each ``Price_*`` field is read through its definition in the file's FGDC metadata
    ('Price: Average, dollars per kilogram: Neodymium oxide, 99.5% minimum. Source: Argus
    ...'): product, purity and price source come from the publisher's words, never from
    the field name. The metadata says the most recent year is estimated. A release
    without the metadata (the MCS 2022 selection) gives no prices."""
    from reelib.readers.usgs_mcs import parse_product

    frames = []
    paths = paths if paths is not None else source_files(source.id)
    for path in _pick(paths, source.id, "*raree_salient.csv"):
        meta = path.with_name(path.name.replace("_salient.csv", "_meta.xml"))
        if not meta.exists():
            continue
        defs = field_definitions(meta)
        raw = read_csv_text(read_text(path, "utf-8-sig"), path)
        require_columns(raw, ["Year"], path)
        years = pd.to_numeric(raw["Year"].str.strip(), errors="coerce")
        rows = []
        for col in [c for c in raw.columns if c.startswith("Price_")]:
            m = _PRICE_DEF.match(defs.get(col, ""))
            if not m:
                raise UnmappedTextError(meta, f"price field {col!r} has no definition this "
                                        "reader understands", column=col,
                                        value=defs.get(col, "(none)"),
                                        mapping="readers/usgs_mcs_release.py (_PRICE_DEF)",
                                        line="a definition 'Price: Average, dollars per "
                                        "kilogram: <product>. Source: <source>.'")
            element, product, purity = parse_product(m.group("product"))
            for i, cell in enumerate(raw[col]):
                if pd.isna(years.iloc[i]):
                    continue
                p = parse_value(str(cell).strip(), file=path, row=i + 2, column=col)
                rows.append(dict(
                    source_row=i + 2, element=element, product=product, purity_pct=purity,
                    price_basis="annual_average", market="China (USGS salient statistics)",
                    price_source=m.group("source"), year=int(years.iloc[i]),
                    price_usd_per_kg=p.value, price_low_usd_per_kg=p.low,
                    price_high_usd_per_kg=p.high, qualifier=p.qualifier,
                    value_raw=str(cell).strip(), is_estimate=bool(years.iloc[i] == years.max()),
                    dollar_year=pd.NA, correction_id=""))
        if rows:
            frames.append(pd.DataFrame(rows).assign(
                source_id=source.id, edition=source.edition, file=_relative(path, source.id)))
    if not frames:
        return shaped(pd.DataFrame(columns=list(PRICES)), PRICES)
    return shaped(pd.concat(frames, ignore_index=True), PRICES)

