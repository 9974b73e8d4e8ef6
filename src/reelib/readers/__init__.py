"""Readers: one module per publisher or format -- a verified raw file in, a tidy frame out.

Every reader decodes strictly (``decode``), parses printed values into numbers and
qualifiers (``values``) and returns one of the shared shapes (``shapes``). A damaged,
re-encoded, truncated or renamed file is a named ``ReelibError``, never a silent NaN.
"""
