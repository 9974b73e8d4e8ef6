"""The reader cache: each source's reader output, kept until its inputs change.

Reading the 23 registered sources is most of a clean (about 8 s of 14). When one source
changes (a next edition, a corrected file), the others need not be read again: what a
reader gives is decided by the source's registry entry (which pins the sha256 of every
file it reads), the cleaning code and the library versions that build the frames. The
cache keeps each source's frames under a key over exactly these, in
``data/processed/.reader-cache/<source id>.<key>.pickle.gz``.

``reelib data`` and ``reelib build`` use it; ``reelib clean`` reads every source afresh
(and refreshes the cache). An entry that cannot be read is read again from the source,
never trusted; an entry whose key no longer matches is replaced, so the folder holds one
entry per source. The pickles are written by this project's own clean, through a
temporary file and a rename, and read only from this folder.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import sys
from collections.abc import Callable
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path

import pandas as pd

from reelib.exceptions import UnsafePathError
from reelib.files.atomic import atomic_write
from reelib.files.paths import ensure_inside
from reelib.processed.freshness import cleaning_code_fingerprint
from reelib.sources.registry import Source

log = logging.getLogger(__name__)

CACHE_DIR = ".reader-cache"
_SUFFIX = ".pickle.gz"
#: gzip level 1: the 66 MB BACI frames become 6 MB for 0.3 s (pickle alone is exact)
_COMPRESSION = {"method": "gzip", "compresslevel": 1, "mtime": 0}
#: the libraries whose versions decide the frames and their pickles
_LIBRARIES = ("pandas", "numpy", "pyarrow", "openpyxl", "country_converter", "pandera")

Frames = dict[str, pd.DataFrame]


@lru_cache(maxsize=1)
def _versions() -> tuple[str, ...]:
    """Python's and the libraries' versions (looked up once: 6 metadata reads a source
    cost 0.1 s a clean)."""
    return (sys.version, *(f"{lib} {version(lib)}" for lib in _LIBRARIES))


def source_key(source: Source, code: str) -> str:
    """sha256 over the registry entry (with its files' sha256), the cleaning code's
    fingerprint ``code``, Python's and the libraries' versions; 16 hex digits."""
    entry = json.dumps(dataclasses.asdict(source), sort_keys=True, default=str)
    h = hashlib.sha256("\n".join([entry, code, *_versions()]).encode())
    return h.hexdigest()[:16]


def entry_path(cache_dir: Path, source: Source, code: str) -> Path:
    return cache_dir / f"{source.id}.{source_key(source, code)}{_SUFFIX}"


def _load(path: Path) -> Frames | None:
    """The cached frames, or None when the entry is absent or cannot be read."""
    if not path.is_file():
        return None
    try:
        frames = pd.read_pickle(path, compression=_COMPRESSION)
    except Exception as exc:  # whatever is wrong with it: a cache is never trusted
        log.warning("reader cache: %s is unreadable (%s: %s); reading the source again",
                    path, type(exc).__name__, exc)
        return None
    if not isinstance(frames, dict) or not all(
            isinstance(k, str) and isinstance(v, pd.DataFrame) for k, v in frames.items()):
        log.warning("reader cache: %s does not hold a reader's frames; reading the source "
                    "again", path)
        return None
    return frames


def _store(path: Path, source_id: str, frames: Frames) -> None:
    """Write the entry (temporary file, rename), then remove the source's older entries
    (``<source id>.<key>``: a longer id that starts alike has a dot in the rest)."""
    atomic_write(path, lambda tmp: pd.to_pickle(frames, tmp, compression=_COMPRESSION),
                 suffix=".tmp")
    for old in path.parent.glob(f"{source_id}.*{_SUFFIX}"):
        if old != path and "." not in old.name[len(source_id) + 1: -len(_SUFFIX)]:
            old.unlink(missing_ok=True)


class ReaderCache:
    """Reads each source through its reader at most once per set of inputs.

    ``read(source, reader)`` gives the reader's frames, from the cache when its entry is
    current; ``read_ids`` lists the sources that were read from their files.
    """

    def __init__(self, cache_dir: Path, *, reuse: bool = True) -> None:
        self.cache_dir = cache_dir
        self.reuse = reuse
        self.code = cleaning_code_fingerprint()
        self.read_ids: list[str] = []
        self.cached_ids: list[str] = []
        # confinement before writing: a cache folder that is a link out of its own folder
        # (data/processed) is neither read nor written; the clean reads every source
        try:
            ensure_inside(cache_dir, cache_dir.parent, "reader cache folder")
            self.usable = True
        except UnsafePathError as exc:
            log.warning("%s; the clean reads every source and writes no cache", exc)
            self.usable = False

    def read(self, source: Source, reader: Callable[[Source], Frames]) -> Frames:
        path = entry_path(self.cache_dir, source, self.code)
        frames = _load(path) if self.reuse and self.usable else None
        if frames is not None:
            self.cached_ids.append(source.id)
            return frames
        frames = reader(source)
        self.read_ids.append(source.id)
        if not self.usable:
            return frames
        try:
            _store(path, source.id, frames)
        except OSError as exc:  # a cache that cannot be written costs time, not data
            log.warning("reader cache: could not write %s (%s); the clean goes on without it",
                        path, exc)
        return frames

    def summary(self) -> str:
        """'read 2 of 23 sources (21 unchanged, from the reader cache)'."""
        n = len(self.read_ids) + len(self.cached_ids)
        if not self.cached_ids:
            return f"read all {n} sources"
        return (f"read {len(self.read_ids)} of {n} sources ({len(self.cached_ids)} "
                "unchanged, from the reader cache)")
