"""Shared fixtures: the real source files (fetched from the mirror) and scratch copies."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from reelib.publish.workers import THREAD_LIMITS

# One BLAS thread per process, set before numpy loads here and inherited by every kernel
# nbval starts and every build a test runs. The tests run two at a time on two cores;
# with OpenBLAS's thread per core, a statsmodels fit in one test spun against the other:
# the price notebook's forecast cell took 17 s instead of 3 s beside a busy core.
for _name, _value in THREAD_LIMITS.items():
    os.environ.setdefault(_name, _value)

import pytest  # noqa: E402

from reelib import config  # noqa: E402
from reelib.present import layout  # noqa: E402
from reelib.processed.pipeline import clean_all  # noqa: E402
from reelib.processed.reader_cache import CACHE_DIR, ReaderCache  # noqa: E402
from reelib.processed.store import load_table  # noqa: E402
from reelib.sources.fetch import source_path  # noqa: E402


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: takes more than a few seconds (notebooks, report "
                                       "builds, whole cleans); `make unit` leaves it out")
    config.addinivalue_line("markers", "needs_reports: reads the reports a build made; `make "
                                       "test` builds them first, `make unit` leaves it out")


@pytest.fixture(scope="session")
def built_reports() -> Path:
    """The built reports folder; a test that needs it fails, never skips, without it."""
    if not (config.REPORTS_DIR / layout.ALL_FACTS).exists():
        pytest.fail(f"no built reports in {config.REPORTS_DIR}: run `make reports` first "
                    "(`make test` builds them before it tests)")
    return config.REPORTS_DIR


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
    """Return a loader of processed tables, building data/processed first if absent (as
    ``reelib data`` does: through the reader cache)."""
    if not (config.PROCESSED_DIR / "manifest.json").exists():
        clean_all(cache=ReaderCache(config.PROCESSED_DIR / CACHE_DIR))
    return load_table
