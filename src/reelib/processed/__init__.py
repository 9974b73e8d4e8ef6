"""Processed: the clean pipeline, the tidy tables, their schemas and revisions, and the
store reports load them from (``data/processed``)."""
