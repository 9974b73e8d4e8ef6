"""reelib: clean, harmonise and report on published rare-earth data.

The package is layered like the data's journey; each layer imports only from the layers
before it (``tests/unit/test_layers.py`` holds every module to it):

    files -> sources -> reference -> readers -> processed -> analysis -> present -> publish

Importing ``reelib`` imports nothing else, so the ``reelib`` command stays light; the
command line is ``reelib.cli`` and the maintainers' tools are ``reelib.devtools``.
"""

__version__ = "0.1.0"
