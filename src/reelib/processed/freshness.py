"""Is ``data/processed`` current? Decided from hashes, without importing pandas.

The processed tables depend on the raw files (whose sha256 the registry records and
``fetch`` verifies), the registry itself, and the code that reads and cleans them
(``readers``, ``processed``, ``reference``, ``sources``, ``files``). ``clean`` records a
fingerprint of all of these and the sha256 of every file it wrote in
``data/processed/manifest.json``; when the fingerprint is unchanged and every file is
intact, ``reelib data`` and ``reelib build`` skip the clean (``reelib clean`` always
runs it). A no-op ``make reports`` then costs a fraction of a second.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from reelib import config
from reelib.files.hashing import file_hashes, sha256_file, source_files, update_with_files

MANIFEST = "manifest.json"
#: the parts of reelib whose code decides what the processed tables contain
CODE_PACKAGES = ("files", "sources", "reference", "readers", "processed")
_SUFFIXES = (".py", ".yaml", ".csv")
PACKAGE_DIR = Path(__file__).resolve().parents[1]


def inputs_fingerprint(registry_file: Path | None = None) -> str:
    """sha256 over the registry (which pins every raw file's sha256) and the cleaning code."""
    h = hashlib.sha256()
    h.update((registry_file or config.REGISTRY_FILE).read_bytes())
    for package in CODE_PACKAGES:
        update_with_files(h, source_files(PACKAGE_DIR / package, _SUFFIXES), PACKAGE_DIR)
    return h.hexdigest()


def output_hashes(paths: list[Path], out_dir: Path) -> dict[str, str]:
    """sha256 of each written file, by name relative to ``out_dir``."""
    return file_hashes(paths, out_dir)


def stale_reason(out_dir: Path | None = None, registry_file: Path | None = None) -> str | None:
    """Why the processed tables must be rebuilt, or None when they are current."""
    out_dir = out_dir or config.PROCESSED_DIR
    try:
        manifest = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "no readable manifest.json"
    if not isinstance(manifest, dict) or not isinstance(manifest.get("outputs"), dict):
        return "the manifest lists no outputs"
    if manifest.get("inputs_fingerprint") != inputs_fingerprint(registry_file):
        return "the registry or the cleaning code changed"
    for rel, sha in manifest["outputs"].items():
        path = out_dir / rel
        if not path.is_file():
            return f"{rel} is missing"
        if sha256_file(path) != sha:
            return f"{rel} was changed"
    return None
