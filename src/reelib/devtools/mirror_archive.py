"""Pack the mirror-only sources into one checksummed archive (``make mirror-archive``).

    python -m reelib.devtools.mirror_archive [OUT.tar.gz]

A fresh clone without the mirror can fetch every source with a public ``download_url``
by itself; the others (transcriptions, re-saved copies, the pinned data-release folders)
come from this archive, which CI downloads from the release tagged ``mirror`` and checks
against ``data/raw/mirror-archive.sha256``. The archive holds ``<source-id>/<file>`` for
every such source, taken from ``data/raw`` after ``reelib fetch`` verified each file, and
is byte-reproducible: sorted members, fixed times and owners, gzip without a timestamp.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import sys
import tarfile
from pathlib import Path

from reelib import config
from reelib.sources.fetch import fetch_sources
from reelib.sources.registry import load_registry

ARCHIVE = "reelib-mirror.tar.gz"
CHECKSUM_FILE = config.RAW_DIR / "mirror-archive.sha256"


def mirror_only() -> list[str]:
    """Registered sources with at least one file no public address serves."""
    return [sid for sid, s in load_registry().items()
            if s.checksums or not all(f.download_url for f in s.files)]


def build(out: Path) -> str:
    """Write the archive to ``out``; return its sha256."""
    ids = mirror_only()
    paths = fetch_sources(ids, allow_download=False)  # verified copies in data/raw
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for path in sorted(paths, key=lambda p: p.relative_to(config.RAW_DIR).as_posix()):
            info = tarfile.TarInfo(path.relative_to(config.RAW_DIR).as_posix())
            data = path.read_bytes()
            info.size, info.mode, info.mtime = len(data), 0o444, 0
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            tar.addfile(info, io.BytesIO(data))
    packed = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=packed, mtime=0) as gz:
        gz.write(buf.getvalue())
    out.write_bytes(packed.getvalue())
    return hashlib.sha256(packed.getvalue()).hexdigest()


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    out = Path(args[0]) if args else config.PROJECT_ROOT / ARCHIVE
    digest = build(out)
    CHECKSUM_FILE.write_text(f"{digest}  {ARCHIVE}\n", encoding="utf-8")
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB, {len(mirror_only())} sources); "
          f"sha256 in {CHECKSUM_FILE.relative_to(config.PROJECT_ROOT)}. Attach it to the "
          "release tagged 'mirror' (gh release upload mirror " + out.name + " --clobber)")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
