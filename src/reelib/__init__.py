"""reelib: clean, harmonise and report on published rare-earth data."""

__version__ = "0.1.0"
