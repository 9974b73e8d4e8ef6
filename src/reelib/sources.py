"""The source registry (``data/raw/registry.yaml``), fetch into ``data/raw``, hash checks.

``fetch_sources`` materialises ``data/raw/<source-id>/<file>`` from a mirror folder or the
file's ``download_url`` and verifies every file's sha256 with pooch. A file already in
``data/raw`` with the right hash is never touched; one with the wrong hash is refused
(``HashMismatchError``), never overwritten.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from reelib import config
from reelib.exceptions import HashMismatchError, RegistryError, SourceNotFoundError

log = logging.getLogger(__name__)

_REQUIRED_SOURCE_KEYS = ("id", "publisher", "title", "edition", "licence", "kind", "files")


@dataclass(frozen=True)
class SourceFile:
    """One registered file: its name, pinned sha256 and public download address (or None)."""

    name: str
    sha256: str
    download_url: str | None


@dataclass(frozen=True)
class Source:
    """One registered source: who published it, which edition, under which licence."""

    id: str
    publisher: str
    title: str
    edition: str
    licence: str
    kind: str
    files: tuple[SourceFile, ...]
    doi: str | None = None
    landing_url: str | None = None
    version: str | None = None
    published: str | None = None
    retrieved: str | None = None
    via: str | None = None
    notes: str | None = None
    extra: dict = field(default_factory=dict, compare=False)

    def file(self, name: str) -> SourceFile:
        """Return the registered file called ``name``."""
        for f in self.files:
            if f.name == name:
                return f
        raise RegistryError(f"source {self.id!r} has no file {name!r}; registered: "
                            f"{[f.name for f in self.files]}")

    @property
    def citation(self) -> str:
        """A one-line citation: publisher, title, edition, DOI or URL."""
        where = f"https://doi.org/{self.doi}" if self.doi else (self.landing_url or "")
        return f"{self.publisher}, {self.title} ({self.edition}). {where}".strip()


def load_registry(path: Path | None = None) -> dict[str, Source]:
    """Read the registry YAML into ``{source_id: Source}``, checking required fields.

    Parsed once per file version (path and modification time): every reader asks for it.
    """
    path = Path(path or config.REGISTRY_FILE)
    try:
        stamp = path.stat().st_mtime_ns
    except FileNotFoundError as exc:
        raise RegistryError(f"{path}: registry file not found") from exc
    return dict(_parse_registry(str(path), stamp))


@lru_cache(maxsize=8)
def _parse_registry(path_text: str, stamp: int) -> dict[str, Source]:
    path = Path(path_text)
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise RegistryError(f"{path}: not valid YAML: {exc}") from exc
    entries = (doc or {}).get("sources")
    if not isinstance(entries, list) or not entries:
        raise RegistryError(f"{path}: expected a non-empty 'sources' list")
    registry: dict[str, Source] = {}
    for i, entry in enumerate(entries):
        missing = [k for k in _REQUIRED_SOURCE_KEYS if not entry.get(k)]
        if missing:
            raise RegistryError(f"{path}: source #{i + 1} ({entry.get('id')!r}) lacks {missing}")
        if entry["id"] in registry:
            raise RegistryError(f"{path}: source id {entry['id']!r} is registered twice")
        files = []
        for f in entry["files"]:
            sha = str(f.get("sha256", ""))
            if len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
                raise RegistryError(f"{path}: {entry['id']}/{f.get('name')}: sha256 must be "
                                    f"64 lowercase hex digits, got {sha!r}")
            files.append(SourceFile(name=f["name"], sha256=sha,
                                    download_url=f.get("download_url")))
        known = {k for k in Source.__dataclass_fields__ if k not in ("files", "extra")}
        registry[entry["id"]] = Source(
            files=tuple(files),
            extra={k: v for k, v in entry.items() if k not in known and k != "files"},
            **{k: (str(v) if v is not None else None) for k, v in entry.items() if k in known},
        )
    return registry


def raw_path(source_id: str, file_name: str, raw_dir: Path | None = None) -> Path:
    """Return where a registered file lives in ``data/raw``."""
    return (raw_dir or config.RAW_DIR) / source_id / file_name


def verify_file(path: Path, expected_sha256: str) -> None:
    """Raise ``HashMismatchError`` unless ``path`` hashes to ``expected_sha256``."""
    import pooch  # imported lazily: its tqdm.auto import warns inside notebook kernels

    actual = pooch.file_hash(str(path), alg="sha256")
    if actual != expected_sha256:
        raise HashMismatchError(path, expected_sha256, actual)


def _copy_verified(src: Path, dest: Path, expected: str) -> None:
    """Copy ``src`` to ``dest`` through a temporary file, renaming only once verified."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".part")
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        shutil.copyfile(src, tmp_path)
        verify_file(tmp_path, expected)
        os.chmod(tmp_path, 0o444)  # raw data is immutable
        tmp_path.replace(dest)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise


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
        candidate = mirror / source.id / sf.name
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


def edition_dates(registry: dict[str, Source] | None = None) -> dict[str, str]:
    """When each edition was published (YYYY-MM[-DD]), from the registry.

    A source's ``published`` date belongs to its ``edition``; a source holding several
    editions lists them under ``edition_dates``.
    """
    out: dict[str, str] = {}
    for s in (registry or load_registry()).values():
        if s.extra.get("edition_dates"):
            out.update({str(k): str(v) for k, v in s.extra["edition_dates"].items()})
        elif s.published:
            out[s.edition] = s.published
    return out


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


def citations(source_ids: list[str] | None = None):
    """Return a table citing the given sources (all if None): id, citation, kind, licence."""
    import pandas as pd

    registry = load_registry()
    ids = source_ids or list(registry)
    unknown = [i for i in ids if i not in registry]
    if unknown:
        raise RegistryError(f"unknown source id(s) {unknown}")
    return pd.DataFrame([{"source_id": i, "citation": registry[i].citation,
                          "kind": registry[i].kind, "licence": registry[i].licence}
                         for i in ids])
