"""Provenance of a build: the checkout's commit, a fingerprint of reelib's code, package
versions. Imported by the build (to decide what is stale) and by the index page (to show
it); it imports neither."""

from __future__ import annotations

import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path

from reelib import config
from reelib.files.hashing import fingerprint, source_files

PACKAGES = ("reelib", "pandas", "numpy", "pyarrow", "statsmodels", "scipy", "matplotlib",
            "seaborn", "pandera", "pooch", "country-converter", "papermill", "nbconvert",
            "nbval", "ipykernel")
#: files whose change can change a report: code, reference tables, page templates
CODE_SUFFIXES = (".py", ".yaml", ".csv", ".html", ".j2", ".css", ".json", ".js")
#: code that never runs inside a report (the command line, the maintainers' tools, the
#: index page's template): changing it must not make reports stale
NOT_REPORT_CODE = ("cli.py", "devtools/", "publish/templates/index.html")
#: The package's source folder (``src/reelib``).
PACKAGE_DIR = Path(__file__).resolve().parents[1]


def code_fingerprint() -> str:
    """sha256 over reelib's source and reference files (what a report's code depends on),
    leaving out the tools that never run inside a report (``NOT_REPORT_CODE``)."""
    return fingerprint([p for p in source_files(PACKAGE_DIR, CODE_SUFFIXES)
                        if not p.relative_to(PACKAGE_DIR).as_posix().startswith(NOT_REPORT_CODE)],
                       PACKAGE_DIR)


def git_commit() -> str:
    """Return the checkout's commit (with '+dirty' if there are local changes)."""
    try:
        sha = subprocess.run(["git", "rev-parse", "HEAD"], cwd=config.PROJECT_ROOT,
                             capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=config.PROJECT_ROOT, capture_output=True, text=True
                               ).stdout.strip()
        return sha + ("+dirty" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"


def build_time() -> str:
    """When this build ran ('YYYY-MM-DD HH:MM UTC'); ``SOURCE_DATE_EPOCH`` (seconds since
    1970, the reproducible-builds convention) fixes it, so two builds can be compared."""
    from datetime import datetime, timezone

    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    when = (datetime.fromtimestamp(int(epoch), timezone.utc) if epoch.isdigit()
            else datetime.now(timezone.utc))
    return when.strftime("%Y-%m-%d %H:%M UTC")


def build_stamp() -> dict[str, str]:
    """What every page of one build shows about it: its time and the checkout's commit."""
    return {"built_at": build_time(), "commit": git_commit()}


def reelib_version() -> str:
    """The installed reelib version."""
    from reelib import __version__

    return __version__


def package_versions() -> list[tuple[str, str]]:
    """Return (package, version) for the packages a report depends on, plus Python."""
    out = [("python", platform.python_version())]
    for name in PACKAGES:
        try:
            out.append((name, metadata.version(name)))
        except metadata.PackageNotFoundError:
            out.append((name, "not installed"))
    return out
