"""Maintainers' tools: nothing here runs when reports are built.

``benchmark`` (``make bench``), ``screenshots`` (``make screenshots``), ``environment``
(``make environment``: environment.yml from the lock) and ``snapshots`` (``make
snapshots`` and the git filter that strips notebooks). They may use every layer; no layer
imports them, and changing them never makes a report stale.
"""
