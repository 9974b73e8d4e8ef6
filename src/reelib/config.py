"""Paths and constants, nothing else.

The project root is found from this file's location (``src/reelib/config.py`` sits two
levels below it), so notebooks work the same whether papermill starts the kernel in the
caller's directory or nbval starts it in ``notebooks/``. ``REELIB_ROOT`` overrides it.
"""

from __future__ import annotations

import os
from pathlib import Path


def find_project_root() -> Path:
    """Return the project root: ``$REELIB_ROOT`` or the folder holding ``pyproject.toml``."""
    override = os.environ.get("REELIB_ROOT")
    if override:
        return Path(override).resolve()
    here = Path(__file__).resolve()
    for candidate in here.parents:
        if (candidate / "pyproject.toml").is_file() and (candidate / "src" / "reelib").is_dir():
            return candidate
    # Installed without the source tree (not the supported layout): fall back to the cwd.
    return Path.cwd().resolve()


PROJECT_ROOT: Path = find_project_root()
DATA_DIR: Path = PROJECT_ROOT / "data"
RAW_DIR: Path = DATA_DIR / "raw"
PROCESSED_DIR: Path = DATA_DIR / "processed"
REPORTS_DIR: Path = PROJECT_ROOT / "reports"
NOTEBOOKS_DIR: Path = PROJECT_ROOT / "notebooks"
REGISTRY_FILE: Path = RAW_DIR / "registry.yaml"
REPORTS_FILE: Path = NOTEBOOKS_DIR / "reports.yaml"
REFERENCE_DIR: Path = Path(__file__).resolve().parent / "reference"

#: Environment variable naming a local mirror of the published source files.
MIRROR_ENV_VAR = "REELIB_MIRROR"
#: Where the mirror sits in CI and on the team's machines when the variable is unset.
DEFAULT_MIRROR: Path = PROJECT_ROOT.parent / "shared" / "sources"


def mirror_dir() -> Path | None:
    """Return the mirror folder (``$REELIB_MIRROR`` or ``../shared/sources``), or None."""
    value = os.environ.get(MIRROR_ENV_VAR)
    if value:
        return Path(value).expanduser().resolve()
    return DEFAULT_MIRROR if DEFAULT_MIRROR.is_dir() else None
