"""reelib: clean, harmonise and report on published rare-earth data.

The package is layered like the data's journey (each layer imports only from layers
before it):

    files -> sources -> reference -> readers -> processed -> analysis -> present -> build

The few names below are re-exported lazily, so ``import reelib`` (and the ``reelib``
command) stays light: nothing heavy is imported until it is used.
"""

from __future__ import annotations

import importlib

__version__ = "0.1.0"

_EXPORTS = {
    "ReelibError": "reelib.exceptions",
    "load_registry": "reelib.sources.registry",
    "fetch_sources": "reelib.sources.fetch",
    "source_path": "reelib.sources.fetch",
    "harmonise_countries": "reelib.reference.countries",
    "clean_all": "reelib.processed.pipeline",
    "load_table": "reelib.processed.store",
    "latest_view": "reelib.processed.tables",
    "Report": "reelib.present.report",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'reelib' has no attribute {name!r}")
