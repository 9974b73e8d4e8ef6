"""Where a report's files go: the names inside ``reports/`` and inside each report folder.

Defined once, here: the notebook's ``Report`` writes these files, the build checks and
hashes them, the summary and the index read them. Plain names and paths only (no pandas),
so the build can decide what is up to date without the data stack.

    reports/
      index.html            the index of every report (``INDEX_PAGE``)
      facts.json            every report's facts, collected (``ALL_FACTS``)
      <report>/
        <report>.html       the page (``page_file``), <report>.ipynb the executed notebook
        facts.json          the numbers it states (``FACTS``)
        reads.json          the processed tables it read, with their sha256 (``READS``)
        sources.json        the source ids of the rows it read (``SOURCES``)
        figures/<slug>.png and .svg, tables/<slug>.csv
        manifest.json       what it depends on and wrote (``reelib.files.manifest``)
      _failed/              the last failed run of a report, kept to read (``FAILED_DIR``)
      .staging/             reports being built (``STAGING_DIR``)
"""

from __future__ import annotations

from pathlib import Path

from reelib.files.lock import LOCK_NAME
from reelib.files.manifest import MANIFEST

FACTS = "facts.json"
READS = "reads.json"
SOURCES = "sources.json"
FIGURES = "figures"
TABLES = "tables"
FIGURE_FORMATS = ("png", "svg")
INDEX_PAGE = "index.html"
ALL_FACTS = "facts.json"
FAILED_DIR = "_failed"
STAGING_DIR = ".staging"
#: the cell a report is running (read when it times out)
PROGRESS = ".progress.json"
#: committed screenshots of the pages, and the folder's own README
SCREENSHOTS_DIR = "screenshots"
README = "README.md"


def page_file(report: str) -> str:
    """The file name of a report's page: ``<report>.html``."""
    return f"{report}.html"


def notebook_file(report: str) -> str:
    """The file name of a report's executed notebook: ``<report>.ipynb``."""
    return f"{report}.ipynb"


def figure_path(folder: Path, slug: str, fmt: str) -> Path:
    """``<folder>/figures/<slug>.<fmt>``."""
    return folder / FIGURES / f"{slug}.{fmt}"


def table_path(folder: Path, slug: str) -> Path:
    """``<folder>/tables/<slug>.csv``."""
    return folder / TABLES / f"{slug}.csv"


def reserved_names() -> frozenset[str]:
    """Names under ``reports/`` the build keeps for itself: no report may be called so."""
    return frozenset({INDEX_PAGE, ALL_FACTS, FAILED_DIR, STAGING_DIR, SCREENSHOTS_DIR,
                      README, MANIFEST, LOCK_NAME})
