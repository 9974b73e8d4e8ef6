"""reelib: clean, harmonise and report on published rare-earth data.

The public API is re-exported here; each concern lives in its own module.
"""

from reelib.clean import clean_all, load_table  # noqa: F401
from reelib.countries import harmonise_countries  # noqa: F401
from reelib.exceptions import ReelibError  # noqa: F401
from reelib.sources import fetch_sources, load_registry, source_path  # noqa: F401
from reelib.tables import latest_view  # noqa: F401

__version__ = "0.1.0"
