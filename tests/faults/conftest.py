"""Fixtures for the fault-injection suite: real builds to damage, temporary projects to
break, and a way to run the ``reelib`` command on them as a user would."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reelib import config
from reelib.publish import schedule

QUIET = {"echo": lambda *a: None}


@pytest.fixture(scope="session")
def real_build(tmp_path_factory) -> Path:
    """A real build of two reports (reserves, supply-chain-stages) made once per worker."""
    out = tmp_path_factory.mktemp("real-build") / "reports"
    result = schedule.build_reports(["reserves", "supply-chain-stages"], reports_dir=out,
                                    jobs=2, **QUIET)
    assert result.ok, [r.error for r in result.results]
    return out


@pytest.fixture
def reports_copy(real_build, tmp_path) -> Path:
    """A private copy of the real build, to damage."""
    dest = tmp_path / "reports"
    shutil.copytree(real_build, dest, symlinks=True)
    (dest / ".build.lock").unlink(missing_ok=True)
    return dest


@pytest.fixture
def project(tmp_path, processed) -> Path:
    """A temporary project root: the real notebooks and processed tables (cleaned first
    when the checkout has none, as on a fresh clone under ``make unit``), empty reports/.

    Run the command on it with ``run(..., root=project)``; nothing touches the checkout.
    """
    root = tmp_path / "project"
    shutil.copytree(config.NOTEBOOKS_DIR, root / "notebooks")
    shutil.copytree(config.PROCESSED_DIR, root / "data" / "processed",
                    ignore=shutil.ignore_patterns(".build.lock"))
    (root / "data" / "raw").mkdir(parents=True)
    shutil.copyfile(config.REGISTRY_FILE, root / "data" / "raw" / "registry.yaml")
    (root / "reports").mkdir()
    return root
