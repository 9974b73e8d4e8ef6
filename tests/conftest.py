"""Shared fixtures: the real source files (fetched from the mirror) and scratch copies."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from reelib import config
from reelib.processed.pipeline import clean_all
from reelib.processed.store import load_table
from reelib.sources.fetch import source_path


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: runs notebooks or the report build")


@pytest.fixture(scope="session")
def raw():
    """Return a function giving the verified raw path of a registered file."""
    return source_path


@pytest.fixture
def scratch_copy(tmp_path):
    """Copy a registered raw file into tmp_path (writable) and return the copy's path."""

    def _copy(source_id: str, file_name: str | None = None) -> Path:
        src = source_path(source_id, file_name)
        dest = tmp_path / src.name
        shutil.copyfile(src, dest)
        dest.chmod(0o644)
        return dest

    return _copy


@pytest.fixture(scope="session")
def processed():
    """Return a loader of processed tables, building data/processed first if absent."""
    if not (config.PROCESSED_DIR / "manifest.json").exists():
        clean_all()
    return load_table
