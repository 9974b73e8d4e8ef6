"""sha256 of files: how the registry pins sources and the build names an input's version."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

_CHUNK = 1 << 20


def sha256_file(path: Path) -> str:
    """The sha256 of a file's bytes, read in 1 MB chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(_CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


def file_hashes(paths: Iterable[Path], root: Path) -> dict[str, str]:
    """sha256 of each file, by its path relative to ``root``, in sorted order."""
    return {str(p.relative_to(root)): sha256_file(p) for p in sorted(paths)}


def source_files(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    """The files under ``folder`` ending in one of ``suffixes``, sorted, caches left out."""
    return [p for p in sorted(folder.rglob("*"))
            if p.suffix in suffixes and "__pycache__" not in p.parts]


def update_with_files(h: Any, paths: Iterable[Path], root: Path) -> None:
    """Feed each file's path (relative to ``root``) and bytes to the hash ``h``: a
    fingerprint that changes when a file is added, removed, renamed or edited."""
    for p in paths:
        h.update(str(p.relative_to(root)).encode())
        h.update(p.read_bytes())
