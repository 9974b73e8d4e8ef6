"""Publish: from processed tables to ``reports/`` -- the reports file, parameter checks,
execution in warm worker processes, scheduling, provenance, the report pages and the index.

Everything here runs when reports are built; the maintainers' tools live in
``reelib.devtools``.
"""
