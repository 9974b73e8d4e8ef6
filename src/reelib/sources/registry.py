"""The source registry (``data/raw/registry.yaml``): what each published file is.

Every source has an id, publisher, title, edition, licence, kind (primary or secondary)
and its files with pinned sha256 and download address. Readers take edition names from
here; reports cite sources from here (``citations``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from reelib import config
from reelib.exceptions import RegistryError, UnsafePathError
from reelib.files import yamltext
from reelib.files.paths import check_name

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
    short_name: str | None = None
    extra: dict = field(default_factory=dict, compare=False)

    def file(self, name: str) -> SourceFile:
        """Return the registered file called ``name``."""
        for f in self.files:
            if f.name == name:
                return f
        raise RegistryError(f"source {self.id!r} has no file {name!r}; registered: "
                            f"{[f.name for f in self.files]}")

    @property
    def format(self) -> str:
        """The publisher format a reader reads this source with (``format:`` in the entry;
        ``reelib.processed.pipeline.READERS`` maps each format to its reader)."""
        return str(self.extra.get("format") or "")

    @property
    def checksums(self) -> str | None:
        """The registered file (``SHA256SUMS``) that pins every other file of a folder, or
        None when the entry lists each file itself."""
        value = self.extra.get("checksums")
        return str(value) if value else None

    @property
    def name(self) -> str:
        """How reports name the source in a fact or caption ('USGS', 'IEA')."""
        return self.short_name or self.publisher

    @property
    def link(self) -> str:
        """The DOI address, else the landing page (always http(s)), else ''."""
        return f"https://doi.org/{self.doi}" if self.doi else (self.landing_url or "")

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


_URL_KEYS = ("landing_url", "download_url")


def check_url(url: object, where: str) -> str | None:
    """Return ``url`` if it is empty or an http(s) address; raise ``RegistryError`` otherwise
    (a ``javascript:`` or ``file:`` address must never become a link or a download)."""
    if url in (None, ""):
        return None
    text = str(url).strip()
    if not re.match(r"^https?://[^\s<>\"']+$", text):
        raise RegistryError(f"{where}: address {text!r} is not an http(s) URL")
    return text


@lru_cache(maxsize=8)
def _parse_registry(path_text: str, stamp: int) -> dict[str, Source]:
    path = Path(path_text)
    try:
        doc = yamltext.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise RegistryError(f"{path}: not valid YAML: {' '.join(str(exc).split())}") from exc
    except UnicodeDecodeError as exc:
        raise RegistryError(f"{path}: not UTF-8 text ({exc})") from exc
    entries = doc.get("sources") if isinstance(doc, dict) else None
    if not isinstance(entries, list) or not entries:
        raise RegistryError(f"{path}: expected a mapping with a non-empty 'sources' list")
    registry: dict[str, Source] = {}
    for i, entry in enumerate(entries):
        where = f"{path}: source #{i + 1}"
        if not isinstance(entry, dict):
            raise RegistryError(f"{where} is a {type(entry).__name__}, expected a mapping")
        missing = [k for k in _REQUIRED_SOURCE_KEYS if not entry.get(k)]
        if missing:
            raise RegistryError(f"{where} ({entry.get('id')!r}) lacks {missing}")
        try:
            sid = check_name(entry["id"], "source id")
        except UnsafePathError as exc:
            raise RegistryError(f"{where}: {exc}") from exc
        if sid in registry:
            raise RegistryError(f"{path}: source id {sid!r} is registered twice")
        if not isinstance(entry["files"], list):
            raise RegistryError(f"{path}: {sid}: 'files' must be a list of mappings")
        files = []
        for f in entry["files"]:
            if not isinstance(f, dict):
                raise RegistryError(f"{path}: {sid}: a file entry is a {type(f).__name__}, "
                                    "expected a mapping with name, sha256, download_url")
            try:
                name = check_name(f.get("name"), "file name")
            except UnsafePathError as exc:
                raise RegistryError(f"{path}: {sid}: {exc}") from exc
            sha = str(f.get("sha256", ""))
            if len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
                raise RegistryError(f"{path}: {sid}/{name}: sha256 must be "
                                    f"64 lowercase hex digits, got {sha!r}")
            files.append(SourceFile(name=name, sha256=sha, download_url=check_url(
                f.get("download_url"), f"{path}: {sid}/{name}")))
        for key in _URL_KEYS:
            if key in entry:
                entry = {**entry, key: check_url(entry[key], f"{path}: {sid}")}
        checksums = entry.get("checksums")
        if checksums is not None and checksums not in {f.name for f in files}:
            raise RegistryError(f"{path}: {sid}: checksums names {checksums!r}, which is not "
                                "one of its files; list it under files with its sha256")
        known = {k for k in Source.__dataclass_fields__ if k not in ("files", "extra")}
        registry[sid] = Source(
            files=tuple(files),
            extra={k: v for k, v in entry.items() if k not in known and k != "files"},
            **{k: (str(v) if v is not None else None) for k, v in entry.items() if k in known},
        )
    return registry


def edition_of(source_id: str) -> str:
    """The edition a registered source holds (readers stamp it on every row)."""
    registry = load_registry()
    if source_id not in registry:
        raise RegistryError(f"unknown source id {source_id!r}; registered: {sorted(registry)}")
    return registry[source_id].edition


def source_names(source_ids) -> str:
    """The registry's short names of ``source_ids``, distinct and in order ('USGS; IEA')."""
    registry = load_registry()
    names: list[str] = []
    for sid in source_ids:
        if sid not in registry:
            raise RegistryError(f"unknown source id {sid!r}; registered: {sorted(registry)}")
        if registry[sid].name not in names:
            names.append(registry[sid].name)
    return "; ".join(names)


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
