"""Materialise ``data/raw`` from a mirror folder or the registered URLs, checking sha256.

``fetch_sources`` copies ``data/raw/<source-id>/<file>`` from the mirror
(``$REELIB_MIRROR``) or downloads it from the file's ``download_url``, and verifies every
file's sha256 with pooch before it appears under its final name. A file already in
``data/raw`` with the right hash is never touched; one with the wrong hash is refused
(``HashMismatchError``), never overwritten.
"""

from __future__ import annotations

import logging
import re
import shutil
import tempfile
from pathlib import Path

from reelib import config
from reelib.exceptions import (HashMismatchError, MirrorMissingError, RegistryError,
                               SourceNotFoundError, UnsafePathError)
from reelib.files.atomic import atomic_write
from reelib.files.paths import check_name, ensure_inside
from reelib.sources.registry import Source, SourceFile, load_registry

log = logging.getLogger(__name__)


#: one part of a path listed in a SHA256SUMS file (publishers use spaces and brackets)
_LISTED_PART = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_. ()-]{0,199}$")
_SUMS_LINE = re.compile(r"^([0-9a-f]{64}) [ *](.+)$")


def _relative_parts(file_name: str) -> list[str]:
    """The parts of a registered or listed file name ('world/x.csv'), each checked."""
    parts = file_name.split("/")
    if len(parts) == 1:
        return [check_name(file_name, "file name")]
    for part in parts:
        if not _LISTED_PART.fullmatch(part) or ".." in part:
            raise UnsafePathError(f"file name {file_name!r}: part {part!r} is not a plain "
                                  "name (letters, digits, space, '-', '_', '.', brackets)")
    return parts


def raw_path(source_id: str, file_name: str, raw_dir: Path | None = None) -> Path:
    """Return where a registered file lives in ``data/raw`` (refusing any name that would
    reach outside it: ``UnsafePathError``). A file listed in a folder's ``SHA256SUMS``
    may sit in a sub-folder (``world/mcs2023-raree_world.csv``)."""
    root = raw_dir or config.RAW_DIR
    path = root.joinpath(check_name(source_id, "source id"), *_relative_parts(file_name))
    ensure_inside(path, root, "raw file")
    return path


def parse_checksums(text: str, where: str) -> list[tuple[str, str]]:
    """The ``(sha256, relative name)`` pairs of a ``sha256sum``-format file; a malformed
    line or an unsafe name raises ``RegistryError`` naming the line."""
    pairs = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        m = _SUMS_LINE.match(line.rstrip("\r"))
        if not m:
            raise RegistryError(f"{where}, line {n}: {line[:80]!r} is not '<sha256>  <name>'")
        try:
            _relative_parts(m.group(2))
        except UnsafePathError as exc:
            raise RegistryError(f"{where}, line {n}: {exc}") from exc
        pairs.append((m.group(1), m.group(2)))
    return pairs


def listed_files(source: Source, *, mirror: Path | None = None, raw_dir: Path | None = None,
                 allow_download: bool = True) -> tuple[SourceFile, ...]:
    """The files a pinned folder's ``SHA256SUMS`` lists (empty when the entry lists its
    files itself). The checksums file is fetched and verified against the registry first,
    so every listed hash is as trustworthy as a registered one."""
    if not source.checksums:
        return ()
    sums = fetch_file(source, source.file(source.checksums), mirror=mirror, raw_dir=raw_dir,
                      allow_download=allow_download)
    base = source.extra.get("base_url")
    return tuple(SourceFile(name=name, sha256=sha,
                            download_url=f"{str(base).rstrip('/')}/{name}" if base else None)
                 for sha, name in parse_checksums(sums.read_text(encoding="utf-8"),
                                                  f"{source.id}/{source.checksums}"))


def verify_file(path: Path, expected_sha256: str, *, named: Path | None = None) -> None:
    """Raise ``HashMismatchError`` unless ``path`` hashes to ``expected_sha256``; the error
    names ``named`` when ``path`` is a temporary copy of it (the file a user can fix)."""
    import pooch  # imported lazily: its tqdm.auto import warns inside notebook kernels

    actual = pooch.file_hash(str(path), alg="sha256")
    if actual != expected_sha256:
        raise HashMismatchError(named or path, expected_sha256, actual)


def _copy_verified(src: Path, dest: Path, expected: str) -> None:
    """Copy ``src`` to ``dest`` through a temporary file, renaming only once verified."""

    def copy_and_check(tmp: Path) -> None:
        shutil.copyfile(src, tmp)
        verify_file(tmp, expected, named=src)

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
        candidate = mirror.joinpath(check_name(source.id, "source id"),
                                    *_relative_parts(sf.name))
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
    paths, missing, offline = [], [], None
    downloadable = [sid for sid in source_ids or list(registry)
                    if all(f.download_url for f in registry[sid].files)]
    for sid in source_ids or list(registry):
        source = registry[sid]
        try:
            listed = listed_files(source, mirror=mirror, raw_dir=raw_dir,
                                  allow_download=allow_download)
            for sf in (*source.files, *listed):
                paths.append(fetch_file(source, sf, mirror=mirror, raw_dir=raw_dir,
                                        allow_download=allow_download))
        except SourceNotFoundError as exc:
            if sid in downloadable:  # a download that failed or was not allowed
                if allow_download:
                    raise
                offline = offline or exc
                continue
            missing.append(sid)  # only the mirror (or its archive) holds it
    if missing:
        raise MirrorMissingError(missing, downloadable)
    if offline is not None:
        raise offline
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
    elif file_name in {f.name for f in source.files}:
        sf = source.file(file_name)
    else:
        listed = {f.name: f for f in listed_files(source, mirror=config.mirror_dir())}
        if file_name not in listed:
            source.file(file_name)  # raises, naming the registered files
        sf = listed[file_name]
    return fetch_file(source, sf, mirror=config.mirror_dir())


def source_files(source_id: str, pattern: str = "*") -> list[Path]:
    """The verified raw paths of a source's files whose name matches ``pattern`` (a glob
    over the registered and listed names), in name order; fetched first if missing."""
    import fnmatch

    source = load_registry()[source_id]
    mirror = config.mirror_dir()
    every = (*source.files, *listed_files(source, mirror=mirror))
    return [fetch_file(source, sf, mirror=mirror)
            for sf in sorted(every, key=lambda f: f.name) if fnmatch.fnmatch(sf.name, pattern)]


