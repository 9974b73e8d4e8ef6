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
from reelib.processed import freshness, revisions, tables
from reelib.processed.schemas import validate_table
from reelib.readers import (chain_shares, comtrade, cpi, daily_prices, iea,
                            production_compilers, usitc)
from reelib.readers import usgs_ds140 as ds140
from reelib.readers import usgs_mcs as mcs
from reelib.readers import usgs_myb as myb
from reelib.sources.registry import load_registry

log = logging.getLogger(__name__)

def read_all_sources() -> dict[str, pd.DataFrame]:
    """Run every reader on the verified raw files; return frames by kind."""
    release = mcs.read_mcs2026_release()
    ds = ds140.read_ds140()
    sal_2025, prices_2025 = mcs.read_mcs2025_salient()
    return {
        "observations": pd.concat([
            mcs.mcs2026_world_observations(release), mcs.read_mcs2025_world(),
            mcs.read_mcs2024_world(), myb.read_myb2022_world_production(),
            ds140.ds140_production_observations(ds),
        ], ignore_index=True),
        "prices": pd.concat([
            mcs.mcs2026_rare_earth_prices(release), prices_2025,
            mcs.read_mcs_prices_2011_2020(), myb.read_myb2022_prices(),
            ds140.ds140_unit_values(ds),
        ], ignore_index=True),
        "indicators": mcs.mcs2026_us_indicators(release),
        "salient": pd.concat([mcs.mcs2026_us_salient(release), sal_2025,
                              ds140.ds140_us_salient(ds)], ignore_index=True),
        "daily": pd.concat([daily_prices.read_china_domestic(), daily_prices.read_komis()],
                           ignore_index=True),
        "trade": pd.concat([comtrade.read_comtrade(), usitc.read_usitc("import"),
                            usitc.read_usitc("export")], ignore_index=True),
        "supply": iea.read_iea_supply(),
        "cpi": cpi.read_cpi(),
        "chain_shares": chain_shares.read_chain_shares(),
        "compilers": production_compilers.read_compilers(),
    }


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


def check_row_counts(built: dict[str, pd.DataFrame], path: Path | None = None) -> None:
    """Raise ``RowCountError`` if a source edition gives a row count outside its recorded
    range in ``row_counts.yaml`` (or has no recorded range, or vanished)."""
    expected = yamltext.safe_load((path or ROW_COUNTS_FILE).read_text(encoding="utf-8"))
    for table, ranges in expected.items():
        if table not in built:
            raise RegistryError(f"{ROW_COUNTS_FILE.name} lists unknown table {table!r}")
        counts = built[table].groupby(["source_id", "edition"]).size()
        seen = {f"{s} | {e}": int(n) for (s, e), n in counts.items()}
        for key in sorted(set(seen) | set(ranges)):
            source_id, _, edition = key.partition(" | ")
            if key not in ranges:
                raise RowCountError(table, source_id, edition, seen[key], None)
            low, high = ranges[key]
            if not low <= seen.get(key, 0) <= high:
                raise RowCountError(table, source_id, edition, seen.get(key, 0), (low, high))


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


def clean_all(out_dir: Path | None = None) -> dict[str, pd.DataFrame]:
    """Read, build, validate and write all processed tables; return them.

    Two cleans of one folder never interleave: the second waits for the first.
    """
    from reelib.files.lock import folder_lock

    built = build_tables(read_all_sources())
    check_row_counts(built)
    with folder_lock(out_dir or config.PROCESSED_DIR, wait=600):
        write_tables(built, out_dir)
    return built
