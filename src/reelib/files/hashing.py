"""sha256 of files: how the registry pins sources, the build names an input's version and a
folder's manifest records what it holds. The project's one sha256 of a file is here."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path

_CHUNK = 1 << 20
#: what ``sha256_or_missing`` gives for a file that cannot be read
MISSING = "missing"


def sha256_file(path: Path) -> str:
    """The sha256 of a file's bytes, read in 1 MB chunks."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(_CHUNK), b""):
            h.update(chunk)
    return h.hexdigest()


def sha256_or_missing(path: Path) -> str:
    """``sha256_file``, or ``MISSING`` when the file is absent or unreadable (a stale
    check compares it, and never stops on a damaged file)."""
    try:
        return sha256_file(path)
    except OSError:
        return MISSING


def file_hashes(paths: Iterable[Path], root: Path) -> dict[str, str]:
    """sha256 of each file, by its path relative to ``root``, in sorted order."""
    return {str(p.relative_to(root)): sha256_file(p) for p in sorted(paths)}


def source_files(folder: Path, suffixes: tuple[str, ...]) -> list[Path]:
    """The files under ``folder`` ending in one of ``suffixes``, sorted, caches left out."""
    return [p for p in sorted(folder.rglob("*"))
            if p.suffix in suffixes and "__pycache__" not in p.parts]


def fingerprint(paths: Iterable[Path], root: Path, *, head: bytes = b"") -> str:
    """sha256 over ``head`` and each file's path (relative to ``root``) and bytes: it
    changes when a file is added, removed, renamed or edited."""
    h = hashlib.sha256(head)
    for p in paths:
        h.update(str(p.relative_to(root)).encode())
        h.update(p.read_bytes())
    return h.hexdigest()
