"""Materialise ``data/raw`` from a mirror folder or the registered URLs, checking sha256.

``fetch_sources`` copies ``data/raw/<source-id>/<file>`` from the mirror
(``$REELIB_MIRROR``) or downloads it from the file's ``download_url``, and verifies every
file's sha256 with pooch before it appears under its final name. A file already in
``data/raw`` with the right hash is never touched; one with the wrong hash is refused
(``HashMismatchError``), never overwritten.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path

from reelib import config
from reelib.exceptions import HashMismatchError, RegistryError, SourceNotFoundError
from reelib.files.atomic import atomic_write
from reelib.files.paths import check_name, ensure_inside
from reelib.sources.registry import Source, SourceFile, load_registry

log = logging.getLogger(__name__)


def raw_path(source_id: str, file_name: str, raw_dir: Path | None = None) -> Path:
    """Return where a registered file lives in ``data/raw`` (refusing any name that would
    reach outside it: ``UnsafePathError``)."""
    root = raw_dir or config.RAW_DIR
    path = root / check_name(source_id, "source id") / check_name(file_name, "file name")
    ensure_inside(path, root, "raw file")
    return path


def verify_file(path: Path, expected_sha256: str) -> None:
    """Raise ``HashMismatchError`` unless ``path`` hashes to ``expected_sha256``."""
    import pooch  # imported lazily: its tqdm.auto import warns inside notebook kernels

    actual = pooch.file_hash(str(path), alg="sha256")
    if actual != expected_sha256:
        raise HashMismatchError(path, expected_sha256, actual)


def _copy_verified(src: Path, dest: Path, expected: str) -> None:
    """Copy ``src`` to ``dest`` through a temporary file, renaming only once verified."""

    def copy_and_check(tmp: Path) -> None:
        shutil.copyfile(src, tmp)
        verify_file(tmp, expected)

    atomic_write(dest, copy_and_check, mode=0o444, suffix=".part")  # raw data is immutable


def fetch_file(source: Source, sf: SourceFile, *, mirror: Path | None = None,
               raw_dir: Path | None = None, allow_download: bool = True) -> Path:
    """Materialise one registered file in ``data/raw`` and return its path.

    Order: a verified copy already in place is kept; else the mirror
    (``<mirror>/<source-id>/<name>``); else ``download_url`` via pooch. Every route checks
    the sha256 before the file appears under its final name.
    """
    dest = raw_path(source.id, sf.name, raw_dir)
    if dest.exists():
        verify_file(dest, sf.sha256)  # refuse, never overwrite, a mismatching file
        return dest
    tried = []
    if mirror is not None:
        candidate = mirror / check_name(source.id, "source id") / check_name(sf.name, "file name")
        if candidate.is_file():
            _copy_verified(candidate, dest, sf.sha256)
            log.info("fetched %s/%s from mirror", source.id, sf.name)
            return dest
        tried.append(f"mirror {candidate}")
    else:
        tried.append(f"mirror (unset: ${config.MIRROR_ENV_VAR})")
    if sf.download_url and allow_download:
        tried.append(sf.download_url)
        import pooch

        with tempfile.TemporaryDirectory(prefix="reelib-fetch-") as tmp:
            try:
                fetched = pooch.retrieve(url=sf.download_url, known_hash=None, fname=sf.name,
                                         path=tmp, progressbar=False)
            except Exception as exc:  # network errors: report what was tried
                raise SourceNotFoundError(source.id, sf.name,
                                          tried + [f"error: {exc}"]) from exc
            _copy_verified(Path(fetched), dest, sf.sha256)
        log.info("downloaded %s/%s from %s", source.id, sf.name, sf.download_url)
        return dest
    if not sf.download_url:
        tried.append("no public download_url (mirror-only file)")
    raise SourceNotFoundError(source.id, sf.name, tried)


def fetch_sources(source_ids: list[str] | None = None, *, mirror: Path | None = None,
                  raw_dir: Path | None = None, registry: dict[str, Source] | None = None,
                  allow_download: bool = True) -> list[Path]:
    """Fetch every file of the given sources (all by default); return their paths."""
    registry = registry or load_registry()
    mirror = mirror if mirror is not None else config.mirror_dir()
    unknown = sorted(set(source_ids or []) - set(registry))
    if unknown:
        raise RegistryError(f"unknown source id(s) {unknown}; registered: {sorted(registry)}")
    paths = []
    for sid in source_ids or list(registry):
        source = registry[sid]
        for sf in source.files:
            paths.append(fetch_file(source, sf, mirror=mirror, raw_dir=raw_dir,
                                    allow_download=allow_download))
    return paths


def source_path(source_id: str, file_name: str | None = None) -> Path:
    """Return the verified raw path of a registered file (the only file, if unnamed).

    Fetches it first if it is missing, so readers can be called on a fresh clone.
    """
    registry = load_registry()
    if source_id not in registry:
        raise RegistryError(f"unknown source id {source_id!r}; registered: {sorted(registry)}")
    source = registry[source_id]
    if file_name is None:
        if len(source.files) != 1:
            raise RegistryError(f"source {source_id!r} has {len(source.files)} files; name one")
        sf = source.files[0]
    else:
        sf = source.file(file_name)
    return fetch_file(source, sf, mirror=config.mirror_dir())


