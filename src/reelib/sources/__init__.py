"""Sources: the registry of published files and fetching them into ``data/raw``."""

from reelib.sources.fetch import fetch_sources, source_path  # noqa: F401
from reelib.sources.registry import citations, load_registry  # noqa: F401
