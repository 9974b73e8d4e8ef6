"""Is ``data/processed`` current? Decided from hashes, without importing pandas.

The processed tables depend on the raw files (whose sha256 the registry records and
``fetch`` verifies), the registry itself, and the code that reads and cleans them
(``readers``, ``processed``, ``reference``, ``sources``, ``files``). ``clean`` records a
fingerprint of all of these and the sha256 of every file it wrote in
``data/processed/manifest.json`` (``reelib.files.manifest``); when the fingerprint is
unchanged and every file is intact, ``reelib data`` and ``reelib build`` skip the clean
(``reelib clean`` always runs it). A no-op ``make reports`` then costs a fraction of a
second.
"""

from __future__ import annotations

from pathlib import Path

from reelib import config
from reelib.files.hashing import fingerprint, source_files
from reelib.files.manifest import MANIFEST, changed_output, read_manifest

#: the parts of reelib whose code decides what the processed tables contain
CODE_PACKAGES = ("files", "sources", "reference", "readers", "processed")
_SUFFIXES = (".py", ".yaml", ".csv")
PACKAGE_DIR = Path(__file__).resolve().parents[1]


def _code_files() -> list[Path]:
    return [p for package in CODE_PACKAGES
            for p in source_files(PACKAGE_DIR / package, _SUFFIXES)]


def inputs_fingerprint(registry_file: Path | None = None) -> str:
    """sha256 over the registry (which pins every raw file's sha256) and the cleaning code."""
    return fingerprint(_code_files(), PACKAGE_DIR,
                       head=(registry_file or config.REGISTRY_FILE).read_bytes())


def cleaning_code_fingerprint() -> str:
    """sha256 over the cleaning code alone (the reader cache keys each source on it)."""
    return fingerprint(_code_files(), PACKAGE_DIR)


def stale_reason(out_dir: Path | None = None, registry_file: Path | None = None) -> str | None:
    """Why the processed tables must be rebuilt, or None when they are current."""
    out_dir = out_dir or config.PROCESSED_DIR
    manifest = read_manifest(out_dir)
    if manifest is None:
        return f"no readable {MANIFEST}"
    if manifest.get("inputs_fingerprint") != inputs_fingerprint(registry_file):
        return "the registry or the cleaning code changed"
    return changed_output(out_dir, manifest.get("outputs"))
