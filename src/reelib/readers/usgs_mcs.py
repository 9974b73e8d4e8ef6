"""Readers for USGS Mineral Commodity Summaries (MCS) files.

* ``read_long_release``: an all-commodity data release in the long format USGS uses from
  MCS 2026 on (cp1252; thousands commas; ``—``, ``NA``, ``W``, ``E``, ``>`` codes; notes),
  for any registry entry of ``format: usgs-mcs-long-csv``.
* ``read_mcs2025_world`` / ``read_mcs2025_salient``: the transcribed MCS 2025 rare-earth
  world and salient tables.
* ``read_mcs_prices_2011_2020``: transcribed MCS 2016/2019/2021 price rows, where MCS 2016
  gives year-end ranges and the later editions annual averages.

Each returns a tidy frame of *observations* (see ``reelib.readers.shapes``): one printed
number per row, its qualifier and flags, the source id, edition, file and source row.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from reelib.readers.shapes import (OBSERVATIONS, PRICES, SALIENT, TONNES_PER_UNIT, element_code,
                                   shaped)
from reelib.exceptions import (RegistryError, SourceFormatError, TruncatedFileError,
                               UnparseableValueError)
from reelib.readers.decode import read_csv_text, read_text, require_columns
from reelib.readers.measures import correct_units, map_measures
from reelib.readers.values import parse_value
from reelib.reference.corrections import apply_corrections
from reelib.sources.fetch import source_path
from reelib.sources.registry import Source, edition_of

MCS2025_ID = "usgs-mcs-2025"
MCS_PRICES_ID = "usgs-mcs-2016-2019-2021-rare-earths-prices-transcribed"
LONG_COLUMNS = ["MCS chapter", "Section", "Commodity", "Country", "Statistics",
                   "Statistics_detail", "Unit", "Year", "Value", "Notes",
                   "Is critical mineral 2025", "Other notes"]
RARE_EARTH_CHAPTERS = ("RARE EARTHS", "RARE EARTHS (Heavy)")
#: the registry ``format`` of the all-commodity long CSV (MCS 2026 on)
LONG_FORMAT = "usgs-mcs-long-csv"

_ROUNDED_RE = re.compile(r"[:,]?\s*rounded$", re.IGNORECASE)
_BASIS_RE = re.compile(r"\(Data in (.+?),?\s+unless otherwise specified\)")


def commodity_name(chapter: str) -> str:
    """Return a chapter title in sentence case: 'RARE EARTHS' -> 'Rare earths'."""
    return str(chapter).strip().capitalize()


def _basis_from_header(other_notes: str) -> str:
    """Return the basis in a chapter header, e.g. 'rare-earth-oxide (REO) equivalent'."""
    m = _BASIS_RE.search(other_notes or "")
    if not m:
        return ""
    parts = [p.strip() for p in m.group(1).split(",", 1)]
    return parts[1].strip(" ,") if len(parts) == 2 else ""


def _split_notes(notes: str) -> tuple[bool, bool, str]:
    """Split a Notes cell into (is_estimate, is_reported, remaining notes)."""
    parts = [p.strip() for p in (notes or "").split(" -- ") if p.strip()]
    is_est = any(p == "Estimated." for p in parts)
    is_rep = any(p == "Reported." for p in parts)
    rest = [p for p in parts if p not in ("Estimated.", "Reported.")]
    return is_est, is_rep, " -- ".join(rest)


def long_release_file(source: Source) -> str:
    """The all-commodity CSV of a long-format entry: its one registered ``.csv`` file."""
    csvs = [f.name for f in source.files if f.name.lower().endswith(".csv")]
    if len(csvs) != 1:
        raise RegistryError(f"source {source.id!r} (format {LONG_FORMAT}) must register "
                            f"exactly one .csv file, has {csvs}")
    return csvs[0]


def read_long_release(source: Source, path: Path | None = None) -> pd.DataFrame:
    """Read an all-commodity MCS data release (long format, MCS 2026 on) into a long
    frame, one printed value per row. Edition, file and minimum row count (``min_rows``,
    optional) come from the registry entry.

    Columns: chapter, section, commodity, country, statistic, measure, is_rounded,
    unit_original, year (Int64, missing for ranges such as '2021–24'), year_label,
    value/value_low/value_high (Float64, in ``unit_original``), qualifier, value_raw,
    is_estimate, is_reported, notes, basis, critical_2025, correction_id, source_row.
    Published corrections (versions 1.1-1.3) are applied and flagged.
    """
    file_name = long_release_file(source)
    path = path or source_path(source.id, file_name)
    text = read_text(path, str(source.extra.get("encoding") or "cp1252"),
                     expect="Salient Statistics—United States")
    raw = read_csv_text(text, path)
    require_columns(raw, LONG_COLUMNS, path)
    min_rows = int(source.extra.get("min_rows") or 0)
    if len(raw) < min_rows:
        raise TruncatedFileError(path, f"{len(raw)} data rows, expected {min_rows}",
                                 fix="re-fetch it: `reelib fetch` checks the sha256")
    raw = apply_corrections(raw, source.id, file_name, path=path)
    parsed = [parse_value(v, file=path, row=i + 2, column="Value")
              for i, v in enumerate(raw["Value"])]
    notes = [_split_notes(n) for n in raw["Notes"]]
    year_digits = raw["Year"].str.strip().where(raw["Year"].str.strip().str.fullmatch(r"\d{4}"))
    # The basis is stated in the chapter header carried by most rows; spread it to all.
    basis = raw["Other notes"].map(_basis_from_header)
    basis = basis.where(basis != "").groupby(raw["MCS chapter"]).transform("first").fillna("")
    return pd.DataFrame({
        "source_id": source.id,
        "edition": source.edition,
        "file": file_name,
        "source_row": pd.array(range(2, len(raw) + 2), dtype="Int64"),
        "chapter": raw["MCS chapter"].str.strip(),
        "section": raw["Section"].str.strip().str.rstrip(":"),
        "commodity": raw["Commodity"].str.strip(),
        "country": raw["Country"].str.strip(),
        "statistic": raw["Statistics"].str.strip(),
        "measure": raw["Statistics_detail"].str.strip().str.replace(_ROUNDED_RE, "", regex=True),
        "is_rounded": raw["Statistics_detail"].str.strip().str.contains(_ROUNDED_RE),
        "unit_original": raw["Unit"].str.strip(),
        "year": pd.array(year_digits, dtype="Int64"),
        "year_label": raw["Year"].str.strip(),
        "value": pd.array([p.value for p in parsed], dtype="Float64"),
        "value_low": pd.array([p.low for p in parsed], dtype="Float64"),
        "value_high": pd.array([p.high for p in parsed], dtype="Float64"),
        "qualifier": [p.qualifier for p in parsed],
        "value_raw": raw["Value"],
        "is_estimate": [n[0] for n in notes],
        "is_reported": [n[1] for n in notes],
        "notes": [n[2] for n in notes],
        "basis": basis,
        "critical_2025": raw["Is critical mineral 2025"].str.strip().eq("Yes"),
        "correction_id": raw["correction_id"],
    }).astype({c: "string" for c in ("chapter", "section", "commodity", "country", "statistic",
                                      "measure", "unit_original", "year_label", "value_raw",
                                      "notes", "basis", "correction_id", "source_id",
                                      "edition", "file")})


def long_world_observations(release: pd.DataFrame) -> pd.DataFrame:
    """Return the world production and reserves rows of the release as observations.

    Only rows whose unit converts to metric tons are kept (carats, cubic metres and
    litres are not masses; those commodities are left out of the tonnage tables).
    """
    world = release[release["section"].str.startswith("World")
                    & release["statistic"].isin(["Production", "Reserves"])]
    mass = world[world["unit_original"].isin(list(TONNES_PER_UNIT))]
    mass = mass.assign(commodity=mass["chapter"].map(commodity_name),
                       statistic=mass["statistic"].str.lower(), is_revised=False)
    # the printed measure ('Mine production: processed') -> measure and form, by meaning
    mapped = map_measures(mass.rename(columns={"measure": "printed"}), LONG_FORMAT,
                          file=str(mass["file"].iloc[0]) if len(mass) else "<release>")
    return shaped(correct_units(mapped), OBSERVATIONS)


_FOOTNOTE_RE = re.compile(r"^fn(\d+)(?::\s*(.*))?$")


def _transcribed_notes(note: str) -> tuple[bool, str]:
    """Return (is_zero_dash, notes) from a transcribed 'fn12: ...; em dash ...' note."""
    note = (note or "").strip()
    if note == "em dash (zero) in source":
        return True, ""
    m = _FOOTNOTE_RE.match(note)
    if m:
        return False, (m.group(2) or f"footnote {m.group(1)}").strip()
    return False, note


def _wide_world_to_observations(raw: pd.DataFrame, *, path: Path, source_id: str,
                                edition: str, file: str, prod_cols: dict[str, tuple[int, bool]],
                                reserves_year: int) -> pd.DataFrame:
    """Melt a USGS per-commodity world file (one row per country) into observations."""
    rows = []
    for i, r in raw.iterrows():
        src_row = int(i) + 2
        zero_dash, prod_note = _transcribed_notes(r.get("Prod_notes", ""))
        for col, (year, is_est) in prod_cols.items():
            p = parse_value(r[col], file=path, row=src_row, column=col)
            qualifier = "zero" if (zero_dash and p.value == 0) else p.qualifier
            rows.append(dict(source_row=src_row, statistic="production", measure="Mine production",
                             country=r["Country"], year=year, value=p.value, value_low=p.low,
                             value_high=p.high, qualifier=qualifier, value_raw=r[col],
                             is_estimate=is_est, notes=prod_note,
                             is_rounded=r["Country"].startswith("World total")))
        p = parse_value(r["Reserves_t"], file=path, row=src_row, column="Reserves_t")
        _, res_note = _transcribed_notes(r.get("Reserves_notes", ""))
        rows.append(dict(source_row=src_row, statistic="reserves", measure="Reserves",
                         country=r["Country"], year=reserves_year, value=p.value, value_low=p.low,
                         value_high=p.high, qualifier=p.qualifier, value_raw=r["Reserves_t"],
                         is_estimate=False, notes=res_note,
                         is_rounded=r["Country"].startswith("World total")))
    df = pd.DataFrame(rows)
    df["country"] = df["country"].str.replace(r"\s*\(rounded\)$", "", regex=True)
    return shaped(df.assign(
        source_id=source_id, edition=edition, file=file, commodity="Rare earths",
        unit_original="metric tons", basis="rare-earth-oxide (REO) equivalent",
        is_reported=False, is_revised=False, correction_id=""), OBSERVATIONS)


def _check_type_column(raw: pd.DataFrame, path: Path) -> None:
    bad = raw[~raw["Type"].str.contains("rare-earth-oxide equivalent, metric tons", na=False)]
    if len(bad):
        raise SourceFormatError(path, "unexpected unit/basis in 'Type'", row=int(bad.index[0]) + 2,
                                column="Type", value=bad["Type"].iloc[0],
                                fix="this reader expects t REO; check the edition")


def read_mcs2025_world(path: Path | None = None) -> pd.DataFrame:
    """Read the transcribed MCS 2025 rare-earth world table (2023, 2024e, reserves)."""
    path = path or source_path(MCS2025_ID, "mcs2025-rare-earths_world_transcribed.csv")
    raw = read_csv_text(read_text(path, "utf-8"), path)
    require_columns(raw, ["Source", "Country", "Type", "Prod_t_2023", "Prod_t_est_2024",
                          "Prod_notes", "Reserves_t", "Reserves_notes"], path)
    raw = raw[raw["Country"].str.strip() != ""].reset_index(drop=True)
    _check_type_column(raw, path)
    return _wide_world_to_observations(
        raw, path=path, source_id=MCS2025_ID, edition=edition_of(MCS2025_ID), file=path.name,
        prod_cols={"Prod_t_2023": (2023, False), "Prod_t_est_2024": (2024, True)},
        reserves_year=2024)


# --- salient statistics and prices ---------------------------------------------------

_PRODUCT_RE = re.compile(r"^(?P<name>.+?)(?:,\s*(?P<purity>[\d.]+)%,?\s*minimum)?$")


def parse_product(text: str) -> tuple[str, str, float | None]:
    """Return (element code, product name, purity %) for a USGS price row label.

    'Neodymium oxide, 99.5% minimum' -> ('Nd', 'Neodymium oxide', 99.5);
    'Mischmetal, 65% cerium, 35% lanthanum' -> ('Mischmetal', 'Mischmetal, 65% cerium,
    35% lanthanum', None).
    """
    label = text.split(":", 1)[1].strip() if ":" in text else text.strip()
    m = _PRODUCT_RE.match(label)
    name, purity = (m.group("name").strip(), float(m.group("purity"))) if m and m.group(
        "purity") else (label, None)
    return element_code(name), name, purity


def long_rare_earth_prices(release: pd.DataFrame) -> pd.DataFrame:
    """Return the annual average oxide prices (USD/kg, FOB China) of both RE chapters."""
    rows = release[release["chapter"].isin(RARE_EARTH_CHAPTERS)
                   & (release["statistic"] == "Price")]
    parsed = [parse_product(t) for t in rows["measure"]]
    return shaped(rows.assign(
        element=[p[0] for p in parsed], product=[p[1] for p in parsed],
        purity_pct=[p[2] for p in parsed], price_basis="annual_average",
        market="FOB China", price_source=rows["notes"], dollar_year=pd.NA,
        price_usd_per_kg=rows["value"], price_low_usd_per_kg=rows["value_low"],
        price_high_usd_per_kg=rows["value_high"],
    ), PRICES)


def long_us_salient(release: pd.DataFrame) -> pd.DataFrame:
    """Return the U.S. salient statistics and import sources of the rare-earth chapters."""
    rows = release[release["chapter"].isin(RARE_EARTH_CHAPTERS)
                   & release["section"].isin(["Salient Statistics—United States",
                                              "Import Sources"])
                   & (release["statistic"] != "Price")]
    return shaped(rows.assign(item=rows["measure"]), SALIENT)


#: the U.S. indicators the critical-minerals atlas compares across every chapter
US_INDICATORS = ("Net import reliance", "Price")


def long_us_indicators(release: pd.DataFrame) -> pd.DataFrame:
    """U.S. net import reliance and prices of every chapter, in the salient-statistics
    columns plus ``commodity`` (named as in the world production tables) and
    ``sub_commodity`` (the release's own name, e.g. Bauxite or Alumina)."""
    rows = release[(release["section"] == "Salient Statistics—United States")
                   & release["statistic"].isin(US_INDICATORS)]
    out = shaped(rows.assign(item=rows["measure"]), SALIENT)
    commodity = rows["chapter"].map(commodity_name).astype("string").reset_index(drop=True)
    # a chapter may hold several commodities (bauxite and alumina): keep which one
    return out.assign(commodity=commodity.to_numpy(),
                      sub_commodity=rows["commodity"].astype("string").to_numpy())


def read_mcs2025_salient(path: Path | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read the transcribed MCS 2025 U.S. salient table: (salient rows, price rows)."""
    path = path or source_path(MCS2025_ID, "mcs2025-rare-earths_salient_transcribed.csv")
    raw = read_csv_text(read_text(path, "utf-8"), path)
    years = {"2020": (2020, False), "2021": (2021, False), "2022": (2022, False),
             "2023": (2023, False), "2024e": (2024, True)}
    require_columns(raw, ["Section", "Item", "Unit", *years, "Notes"], path)
    rows = []
    for i, r in raw.iterrows():
        for col, (year, is_est) in years.items():
            p = parse_value(r[col], file=path, row=int(i) + 2, column=col)
            rows.append(dict(source_row=int(i) + 2, section=r["Section"], item=r["Item"],
                             unit_original=r["Unit"], year=year, year_label=col,
                             value=p.value, value_low=p.low, value_high=p.high,
                             qualifier=p.qualifier, value_raw=r[col],
                             is_estimate=is_est or r["Section"] == "Production",
                             notes=r["Notes"]))
    df = pd.DataFrame(rows).assign(source_id=MCS2025_ID, edition=edition_of(MCS2025_ID),
                                   file=path.name, country="United States",
                                   chapter="RARE EARTHS", correction_id="")
    is_price = df["section"] == "Price"
    prices = df[is_price]
    parsed = [parse_product(t) for t in prices["item"]]
    price_obs = shaped(prices.assign(
        element=[p[0] for p in parsed], product=[p[1] for p in parsed],
        purity_pct=[p[2] for p in parsed], price_basis="annual_average", market="FOB China",
        price_source="Argus Media group, Argus Non-Ferrous Markets (rounded to whole dollars "
                     "in this edition)", dollar_year=pd.NA,
        price_usd_per_kg=prices["value"], price_low_usd_per_kg=prices["value_low"],
        price_high_usd_per_kg=prices["value_high"]), PRICES)
    salient = df[~is_price]
    salient = salient.assign(statistic=salient["section"],
                             item=salient["section"] + ": " + salient["item"])
    return shaped(salient, SALIENT), price_obs


_PRICE_BASIS = {"yearend range": "yearend_range", "annual average": "annual_average"}


def read_mcs_prices_2011_2020(path: Path | None = None) -> pd.DataFrame:
    """Read the transcribed MCS 2016/2019/2021 oxide prices (USD/kg).

    MCS 2016 prints year-end ranges (kept as low/high, with the transcribed midpoint as
    the value, ``qualifier='range'`` and ``price_basis='yearend_range'``); MCS 2019 and 2021
    print annual averages. The two bases are different statistics: never splice them.
    """
    path = path or source_path(MCS_PRICES_ID)
    raw = read_csv_text(read_text(path, "utf-8"), path)
    require_columns(raw, ["edition", "year", "estimated", "item", "price_basis",
                          "value_as_printed", "value_low", "value_high", "value_mid", "unit",
                          "notes"], path)
    unknown = sorted(set(raw["price_basis"]) - set(_PRICE_BASIS))
    if unknown:
        raise UnparseableValueError(path, "unknown price basis", column="price_basis",
                                    value=unknown[0])
    parsed = [parse_product(t) for t in raw["item"]]

    def num(col: str) -> pd.array:
        return pd.array([parse_value(v, file=path, row=i + 2, column=col).value
                         for i, v in enumerate(raw[col])], dtype="Float64")

    return shaped(pd.DataFrame({
        "source_id": MCS_PRICES_ID,
        "edition": raw["edition"].str.replace(r"^MCS(\d{4})$", r"MCS \1", regex=True),
        "file": path.name,
        "source_row": range(2, len(raw) + 2),
        "element": [p[0] for p in parsed],
        "product": [p[1] for p in parsed],
        "purity_pct": [p[2] for p in parsed],
        "price_basis": raw["price_basis"].map(_PRICE_BASIS),
        "market": "China (USGS salient statistics)",
        "price_source": raw["notes"],
        "year": pd.array(raw["year"].astype(int), dtype="Int64"),
        "price_usd_per_kg": num("value_mid"),
        "price_low_usd_per_kg": num("value_low"),
        "price_high_usd_per_kg": num("value_high"),
        "qualifier": (raw["value_low"] != raw["value_high"]).map({True: "range",
                                                                   False: "exact"}),
        "value_raw": raw["value_as_printed"],
        "is_estimate": raw["estimated"].str.strip().eq("e"),
        "dollar_year": pd.NA,
        "correction_id": "",
    }), PRICES)
