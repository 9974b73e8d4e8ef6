"""A folder's manifest: what was written there, each file's sha256, and whether the folder
is still what its manifest says.

``data/processed`` and every report folder keep a ``manifest.json``; the clean and the
report build decide from it, without importing pandas, whether there is work to do. Both
use the functions here, so "up to date" means the same thing in both places: the manifest
can be read, and every file it lists is there with the same sha256.
"""

from __future__ import annotations

import json
from pathlib import Path

from reelib.files.atomic import write_text_atomic
from reelib.files.hashing import MISSING, file_hashes, sha256_or_missing

MANIFEST = "manifest.json"


def read_manifest(folder: Path) -> dict | None:
    """The folder's manifest, or None if it is missing, unreadable or not a mapping."""
    try:
        doc = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return doc if isinstance(doc, dict) else None


def write_manifest(folder: Path, doc: dict) -> Path:
    """Write ``doc`` as the folder's manifest (sorted keys, through a temporary file)."""
    return write_text_atomic(folder / MANIFEST, json.dumps(doc, indent=2, sort_keys=True) + "\n")


def folder_hashes(folder: Path) -> dict[str, str]:
    """sha256 of every file under ``folder`` except the manifest itself."""
    return file_hashes((p for p in folder.rglob("*") if p.is_file() and p.name != MANIFEST),
                       folder)


def changed_output(folder: Path, outputs: object) -> str | None:
    """Why the files a manifest lists (``outputs``: path -> sha256) are no longer what was
    written, or None when every one is there unchanged."""
    if not isinstance(outputs, dict) or not outputs:
        return "the manifest lists no outputs"
    for rel, sha in outputs.items():
        actual = sha256_or_missing(folder / rel)
        if actual != sha:
            return f"{rel} is missing" if actual == MISSING else f"{rel} was changed"
    return None
