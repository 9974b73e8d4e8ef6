"""The clean pipeline: read every registered source, build the processed tables,
validate them all, then write.

``clean_all`` builds all tables in memory and validates every one before writing any,
so a bad input leaves the previous ``data/processed`` untouched. Each table is written
as Parquet (and CSV where a person would open it) through a temporary file and a rename;
re-running on the same inputs rewrites identical bytes. ``manifest.json`` records row
counts, the sha256 of every raw input and written file, and a fingerprint of the inputs
and cleaning code (``freshness``) by which a build with nothing to clean skips the clean.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pandas as pd

from reelib import config
from reelib.exceptions import RegistryError, RowCountError
from reelib.files import yamltext
from reelib.files.atomic import write_csv_atomic, write_parquet_atomic, write_text_atomic
from reelib.files.hashing import file_hashes
from reelib.files.manifest import write_manifest
from reelib.processed import datapackage, freshness, revisions, tables
from reelib.processed.reader_cache import ReaderCache
from reelib.processed.schemas import validate_table
from reelib.readers import (baci, bgs_by_country, chain_shares, comtrade,
                            comtrade_materials, cpi, daily_prices, eu_magnets, iea,
                            production_compilers, usitc, wgi)
from reelib.readers import usgs_ds140 as ds140
from reelib.readers import usgs_mcs as mcs
from reelib.readers import usgs_mcs_release as release
from reelib.readers import usgs_myb as myb
from reelib.sources.registry import Source, load_registry

log = logging.getLogger(__name__)

#: the kinds of frame the readers give (``build_tables`` turns them into tables)
KINDS = ("observations", "prices", "indicators", "salient", "daily", "trade", "supply", "cpi",
         "chain_shares", "compilers", "bgs_countries", "trade_flows", "trade_lines",
         "eu_imports", "governance")


def _one_source(reader_id: str, read):
    """A reader written for one registered source: refuses an entry it was not written
    for, so a second entry of its format is an error, never a silent re-read."""
    def run(source: Source) -> dict[str, pd.DataFrame]:
        if source.id != reader_id:
            raise RegistryError(
                f"source {source.id!r}: format {source.format!r} is read only for "
                f"{reader_id!r} so far; a new edition of it needs its reader to take the "
                "registry entry (see docs/updating-editions.md)")
        return read()
    return run


def _long_release(source: Source) -> dict[str, pd.DataFrame]:
    release = mcs.read_long_release(source)
    return {"observations": mcs.long_world_observations(release),
            "prices": mcs.long_rare_earth_prices(release),
            "indicators": mcs.long_us_indicators(release),
            "salient": mcs.long_us_salient(release)}


def _chapter_transcription() -> dict[str, pd.DataFrame]:
    salient, prices = mcs.read_mcs2025_salient()
    return {"observations": mcs.read_mcs2025_world(), "salient": salient, "prices": prices}


def _ds140() -> dict[str, pd.DataFrame]:
    ds = ds140.read_ds140()
    return {"observations": ds140.ds140_production_observations(ds),
            "prices": ds140.ds140_unit_values(ds), "salient": ds140.ds140_us_salient(ds)}


#: registry ``format`` -> reader: every registered source is read through its format
READERS = {
    mcs.LONG_FORMAT: _long_release,
    release.FORMAT: release.read_data_release,
    "usgs-mcs-chapter-transcription": _one_source(mcs.MCS2025_ID, _chapter_transcription),
    "usgs-myb-workbook": _one_source(myb.SOURCE_ID, lambda: {
        "observations": myb.read_myb2022_world_production(),
        "prices": myb.read_myb2022_prices()}),
    "usgs-ds140-workbook": _one_source(ds140.SOURCE_ID, _ds140),
    "usgs-mcs-prices-transcription": _one_source(mcs.MCS_PRICES_ID, lambda: {
        "prices": mcs.read_mcs_prices_2011_2020()}),
    "un-comtrade-csv": _one_source(comtrade.COMTRADE_ID, lambda: {
        "trade": comtrade.read_comtrade()}),
    "usitc-dataweb": _one_source(usitc.USITC_ID, lambda: {
        "trade": pd.concat([usitc.read_usitc("import"), usitc.read_usitc("export")],
                           ignore_index=True)}),
    "iea-gcmo-extract": _one_source(iea.SOURCE_ID, lambda: {"supply": iea.read_iea_supply()}),
    "daily-prices-china-domestic": _one_source(daily_prices.CHINA_ID, lambda: {
        "daily": daily_prices.read_china_domestic()}),
    "daily-prices-komis": _one_source(daily_prices.KOMIS_ID, lambda: {
        "daily": daily_prices.read_komis()}),
    "fred-cpi": _one_source(cpi.CPI_ID, lambda: {"cpi": cpi.read_cpi()}),
    "chain-shares-table": _one_source(chain_shares.SOURCE_ID, lambda: {
        "chain_shares": chain_shares.read_chain_shares()}),
    "production-compilers-table": _one_source(production_compilers.SOURCE_ID, lambda: {
        "compilers": production_compilers.read_compilers()}),
    "bgs-rare-earths-by-country": _one_source(bgs_by_country.SOURCE_ID, lambda: {
        "bgs_countries": bgs_by_country.read_bgs_by_country()}),
    "baci-flows-extract": _one_source(baci.SOURCE_ID, lambda: {
        "trade_flows": baci.read_baci()}),
    "comtrade-materials-extract": _one_source(comtrade_materials.SOURCE_ID, lambda: {
        "trade_lines": comtrade_materials.read_comtrade_materials()}),
    "eu-magnet-imports": _one_source(eu_magnets.SOURCE_ID, lambda: {
        "eu_imports": eu_magnets.read_eu_magnet_imports()}),
    "wgi-mean": _one_source(wgi.SOURCE_ID, lambda: {"governance": wgi.read_wgi()}),
}


def read_all_sources(registry: dict[str, Source] | None = None,
                     cache: ReaderCache | None = None) -> dict[str, pd.DataFrame]:
    """Run the reader of every registered source's ``format``; return frames by kind.

    A source with no format, or one no reader reads, stops the clean naming it: a
    registered source is never silently left unread. With a ``cache``, a source whose
    entry, files and cleaning code are unchanged is not read again (``reader_cache``).
    """
    registry = registry or load_registry()
    parts: dict[str, list[pd.DataFrame]] = {kind: [] for kind in KINDS}
    for sid, source in registry.items():
        if source.format not in READERS:
            raise RegistryError(
                f"source {sid!r} has format {source.format or '(none)'!r}, which no reader "
                f"reads; known formats: {sorted(READERS)}. Give the entry the format of the "
                "file it registers (data/raw/registry.yaml)")
        reader = READERS[source.format]
        frames = cache.read(source, reader) if cache is not None else reader(source)
        for kind, frame in frames.items():
            parts[kind].append(frame)
    empty = sorted(kind for kind, frames in parts.items() if not frames)
    if empty:
        raise RegistryError(f"no registered source gives {empty}")
    return {kind: (frames[0] if len(frames) == 1 else pd.concat(frames, ignore_index=True))
            for kind, frames in parts.items()}


def build_tables(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Build and validate every processed table from the readers' frames."""
    production = tables.build_production(frames["observations"])
    reserves = tables.build_reserves(frames["observations"])
    prices_annual = tables.build_prices_annual(frames["prices"])
    out = {
        "production": production,
        "reserves": reserves,
        "prices_annual": prices_annual,
        "prices_daily": tables.build_prices_daily(frames["daily"]),
        "trade": tables.build_trade(frames["trade"]),
        "supply_stages": tables.build_supply_stages(frames["supply"]),
        "cpi": frames["cpi"],
        "us_salient": tables.build_us_salient(frames["salient"]),
        "revisions": revisions.compute_revisions(production, reserves, prices_annual),
        "chain_shares": tables.build_chain_shares(frames["chain_shares"]),
        "production_compilers": tables.build_production_compilers(frames["compilers"]),
        "production_bgs": frames["bgs_countries"],
        "trade_flows": frames["trade_flows"],
        "trade_materials": frames["trade_lines"],
        "eu_magnet_imports": frames["eu_imports"],
        "governance": frames["governance"],
        "us_indicators": tables.build_us_indicators(frames["indicators"]),
    }
    for name, df in out.items():
        out[name] = validate_table(name, df)
    # Derived views: the newest edition per commodity-year (production) and per commodity
    # (reserves). Not validated separately: they are row subsets of validated tables.
    out["production_latest"] = tables.latest_view(production)
    out["reserves_latest"] = tables.latest_view(reserves, ["commodity", "measure"])
    return out


#: read by ``reelib.publish.specs`` without pandas to expand ``matrix:`` entries
MATRIX_VALUES = "matrix_values.json"
ROW_COUNTS_FILE: Path = Path(__file__).resolve().parent / "row_counts.yaml"


def check_row_counts(built: dict[str, pd.DataFrame], path: Path | None = None,
                     registry: dict[str, Source] | None = None) -> None:
    """Raise ``RowCountError`` if a source edition gives a row count outside its range.

    The range is recorded in ``row_counts.yaml`` for the editions read so far; a newer
    edition of an annual format needs no line there: its range is derived from the
    newest earlier edition of the same format (half to twice its rows), so a next edition
    is one registry entry. A source with neither stops the clean, as does a recorded
    edition that vanished.
    """
    registry = registry or load_registry()
    expected = yamltext.safe_load((path or ROW_COUNTS_FILE).read_text(encoding="utf-8"))
    for table, ranges in expected.items():
        if table not in built:
            raise RegistryError(f"{ROW_COUNTS_FILE.name} lists unknown table {table!r}")
        counts = built[table].groupby(["source_id", "edition"]).size()
        seen = {f"{s} | {e}": int(n) for (s, e), n in counts.items()}
        for key in sorted(set(seen) | set(ranges)):
            source_id, _, edition = key.partition(" | ")
            bounds = ranges.get(key) or _derived_range(key, seen, registry)
            if bounds is None:
                raise RowCountError(table, source_id, edition, seen[key], None)
            low, high = bounds
            if not low <= seen.get(key, 0) <= high:
                raise RowCountError(table, source_id, edition, seen.get(key, 0), (low, high))


def _derived_range(key: str, seen: dict[str, int],
                   registry: dict[str, Source]) -> tuple[int, int] | None:
    """Half to twice the rows of the newest earlier edition of the same format."""
    source_id = key.partition(" | ")[0]
    source = registry.get(source_id)
    if source is None or not source.format:
        return None
    earlier = [(registry[s].published or "", n) for k, n in seen.items()
               for s in [k.partition(" | ")[0]]
               if s in registry and s != source_id and registry[s].format == source.format
               and (registry[s].published or "") < (source.published or "")]
    if not earlier:
        return None
    previous = max(earlier)[1]
    return previous // 2, previous * 2


def write_tables(built: dict[str, pd.DataFrame], out_dir: Path | None = None) -> list[Path]:
    """Write every table as Parquet and as CSV (each is small enough to open in a
    spreadsheet), the matrix values and ``manifest.json``."""
    out_dir = out_dir or config.PROCESSED_DIR
    written = []
    for name, df in built.items():
        written.append(write_parquet_atomic(df, out_dir / f"{name}.parquet"))
        written.append(write_csv_atomic(df, out_dir / f"{name}.csv"))
    if "production" in built:  # the values report matrices expand over (build.specs)
        values = {"country_production": tables.country_production_pairs(built["production"])}
        written.append(write_text_atomic(out_dir / MATRIX_VALUES,
                                         json.dumps(values, indent=1) + "\n"))
    registry = load_registry()
    written.append(write_text_atomic(out_dir / datapackage.PACKAGE_FILE,
                                     datapackage.package_text(built, registry)))
    manifest = {
        "tables": {name: {"rows": int(len(df)), "columns": list(df.columns)}
                   for name, df in built.items()},
        "inputs": {sid: {"edition": s.edition, "files": {f.name: f.sha256 for f in s.files}}
                   for sid, s in registry.items()},
        # what `reelib build` compares to skip a clean with nothing to do (freshness.py)
        "inputs_fingerprint": freshness.inputs_fingerprint(),
        "outputs": file_hashes(written, out_dir),
    }
    written.append(write_manifest(out_dir, manifest))
    return written


def clean_all(out_dir: Path | None = None,
              cache: ReaderCache | None = None) -> dict[str, pd.DataFrame]:
    """Read, build, validate and write all processed tables; return them.

    ``cache`` (a ``ReaderCache``) spares re-reading the sources that did not change; without
    one every source is read. Two cleans of one folder never interleave: the second
    waits for the first.
    """
    from reelib.files.lock import folder_lock

    built = build_tables(read_all_sources(cache=cache))
    check_row_counts(built)
    with folder_lock(out_dir or config.PROCESSED_DIR, wait=600):
        write_tables(built, out_dir)
    return built
